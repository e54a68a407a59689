#pragma once
// Identity from the upstream's user endpoint (GitHub /user, Google or any OIDC userinfo), asked
// with the access token we just received for our own client. GitHub hides private emails from
// /user; /user/emails lists them, and only the primary, verified one is taken. Organisations
// and teams are read when the options ask for them (GitHubMemberships).
#include <memory>
#include <string>
#include <vector>

#include "mcphost/auth/HttpFetcher.h"
#include "mcphost/auth/server/GitHubMemberships.h"
#include "mcphost/auth/server/UpstreamClient.h"

namespace mcph::auth::server {

class UpstreamUserInfo {
public:
    UpstreamUserInfo(std::shared_ptr<HttpFetcher> fetcher, const UpstreamOptions& options);

    UpstreamSignIn fetch(const std::string& accessToken);

private:
    // The primary verified address from the emails endpoint, "" when there is none or the
    // endpoint cannot be read (the email is optional; the sign-in goes on without it).
    std::string primaryVerifiedEmail(const std::string& accessToken);

    std::shared_ptr<HttpFetcher> fetcher_;
    std::string userInfoUrl_;
    std::string userEmailsUrl_;
    ClaimNames claims_;
    std::vector<std::string> factClaims_;
    GitHubMemberships memberships_;
};

}  // namespace mcph::auth::server
