#pragma once
// The access policy's facts (UserFacts) found in claims the host already trusts: a verified ID
// token, a verified JWT access token, or the userinfo answer to the host's own access token.
// Pure, so which claim counts from which source is tested without a server.
#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "mcphost/auth/server/UpstreamClient.h"
#include "mcphost/auth/server/UserFacts.h"

namespace mcph::auth::server {

class UpstreamFacts {
public:
    // Adds what `claims` says to `facts`, by where the claims come from (`source`):
    // - hostedDomain: Google's `hd`, from an ID token only (a string);
    // - tenant and groups: Entra's `tid` and `groups` (an array of strings), from a verified JWT;
    //   on group overage (`_claim_names.groups` or `hasgroups`) groups stay empty and a warning
    //   is logged, since the token no longer lists them;
    // - claims: each name of `factClaims`, from any source: a string value, or the strings of an
    //   array value; other types are ignored.
    // Values with control characters are dropped. Subject and email are the identity's (below).
    static void addClaims(const Poco::JSON::Object& claims, UpstreamIdentityMethod source,
                          const std::vector<std::string>& factClaims, UserFacts& facts);

    // Copies the established subject and email into `identity.facts` (the email lowercased).
    static void addIdentity(UpstreamIdentity& identity);
};

}  // namespace mcph::auth::server
