#pragma once
// GitHub organisations and teams of the signed-in user, read from GitHub's API with the host's
// own upstream access token (read:org), for a policy on membership. Unlike the email, a list
// that was asked for and cannot be read fails the sign-in: the policy cannot be decided
// without it.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mcphost/auth/HttpFetcher.h"
#include "mcphost/auth/server/UpstreamClient.h"
#include "mcphost/auth/server/UserFacts.h"

namespace mcph::auth::server {

class GitHubMemberships {
public:
    GitHubMemberships(std::shared_ptr<HttpFetcher> fetcher, const UpstreamOptions& options);

    // Fills facts.organizations (logins) and facts.teams ("org/slug"), lowercase, as the options
    // ask. The error (Unavailable for transport failures and 5xx, BadIdentity otherwise) when a
    // list that was asked for could not be read; its message names the URL's path and status.
    std::optional<UpstreamError> read(const std::string& accessToken, UserFacts& facts);

private:
    struct List;
    std::optional<UpstreamError> readList(const List& list, const std::string& accessToken,
                                          std::vector<std::string>& out);

    std::shared_ptr<HttpFetcher> fetcher_;
    std::string orgsUrl_;
    std::string teamsUrl_;
    bool readOrganizations_;
    bool readTeams_;
};

}  // namespace mcph::auth::server
