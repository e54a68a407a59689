#pragma once
// The answers that send the browser back to the MCP client's redirect URI (RFC 6749 §4.1.2):
// with the host's own single-use authorization code, or with an error. Each carries the
// client's `state` unchanged and `iss` (RFC 9207), so a client talking to several authorization
// servers can tell which one answered (mix-up attacks). Only ever called with a redirect URI
// that matched the client's registration.
#include <string>
#include <utility>
#include <vector>

#include "mcphost/auth/server/AuthorizationServerSettings.h"
#include "mcphost/auth/server/EndpointMessages.h"
#include "mcphost/auth/server/AuthStore.h"

namespace mcph::auth::server {

struct SignedInUser {
    std::string subject;
    std::string email;
    std::string name;
    UserFacts facts;  // kept with the grant, for the access policy's later checks
};

class ClientRedirect {
public:
    ClientRedirect(AuthStore& store, const AuthorizationServerSettings& settings);

    // Stores a fresh code for (pending, user, scopes) and redirects with it.
    EndpointResponse withCode(const PendingAuthorization& pending, const SignedInUser& user,
                              const std::vector<std::string>& scopes) const;
    EndpointResponse withError(const std::string& redirectUri, const std::string& clientState, const std::string& error,
                               const std::string& description) const;

    // `uri` with the parameters appended (after its own query, if any; before no fragment:
    // registered URIs have none), form-encoded.
    static std::string appendQuery(const std::string& uri, const std::vector<std::pair<std::string, std::string>>& params);

private:
    AuthStore& store_;
    const AuthorizationServerSettings& settings_;
};

}  // namespace mcph::auth::server
