#pragma once
// The stand-in upstream identity provider for proxy-mode tests: a local HTTP server with a token
// endpoint and a JWKS, signing real ID tokens. It issues the ID token the test prepared for each
// upstream code, and records the last code exchange it received.
#include <map>
#include <mutex>
#include <string>

#include "mcphost/auth/server/AuthorizationServerOptions.h"
#include "unit/auth_test_support.h"

namespace mcph::testing {

// The one client registered at the upstream, as the host's proxy settings name it.
inline constexpr const char* kStandInUpstreamClient = "upstream-client-id";
inline constexpr const char* kStandInUpstreamSecret = "upstream-secret-value-1234567890";
// What the upstream hands the host as its access token: it must never reach an MCP client.
inline constexpr const char* kStandInUpstreamAccessToken = "UPSTREAM-ACCESS-TOKEN-never-leaves-the-host";

class StandInUpstream {
public:
    StandInUpstream();

    // The next sign-in: the claims of the ID token for `code` (nonce from the authorize URL).
    void prepare(const std::string& code, const std::string& idTokenPayload);
    // ID token claims for `sub`; `aud` defaults to the upstream client, `iss` to this server.
    std::string idTokenClaims(const std::string& sub, const std::string& nonce,
                              const std::string& aud = kStandInUpstreamClient, const std::string& iss = "") const;

    authtest::TestHttpServer::Reply token(const authtest::TestHttpServer::Request& req);

    // Proxy-mode settings that sign users in here (ID tokens checked at this server's keys),
    // with the host's state in `storeFile`.
    auth::server::AuthorizationServerOptions proxySettings(const std::string& storeFile) const;

    authtest::TestKey key = authtest::TestKey::rsa("up-1");
    authtest::TestHttpServer server;
    std::mutex mutex;
    std::map<std::string, std::string> idTokens;
    std::map<std::string, std::string> lastExchange;
};

}  // namespace mcph::testing
