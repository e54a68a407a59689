#pragma once
// Everything the host's own authorization server needs, filled by the config's provider
// readers (host/src/config/providers/): the upstream identity provider to sign users in at
// (proxy mode: auth0, google, github, okta, entra, generic), or none for the local sign-in page.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "mcphost/auth/AuthEvents.h"
#include "mcphost/auth/server/AccessPolicy.h"
#include "mcphost/auth/server/CimdClientLookup.h"
#include "mcphost/auth/server/RedisConnection.h"
#include "mcphost/auth/server/UpstreamClient.h"

namespace mcph::auth::server {

// Several instances (config `redis`): every record in Redis, the signing key there sealed with
// `signingKeySecret` (SigningKey::loadOrCreate).
struct SharedStoreOptions {
    RedisEndpoint endpoint;
    std::string keyPrefix = "mcph:";
    std::string signingKeySecret;
};

struct AuthorizationServerOptions {
    std::string providerName = "proxy";  // the config's provider, for the start-up log
    // Proxy mode: where users sign in. Absent: the local provider (users file, sign-in page).
    std::optional<UpstreamOptions> upstream;
    // Local: the users file; "" = users.json beside the store, created with an "admin" user and
    // a random password on first start.
    std::string usersFile;
    // Scopes MCP clients may be granted; empty = every scope a loaded tool requires.
    std::vector<std::string> mcpScopes;
    // SQLite database; "" = var/mcp-host-auth.db under the working directory. The host's config
    // always fills it: <state directory>/mcp-host-auth.db unless set (config/StateDirectory.h).
    std::string storeFile;
    // Set: the store is Redis, shared by every instance, and storeFile is not used for it.
    std::optional<SharedStoreOptions> sharedStore;
    std::chrono::seconds accessTokenLifetime{3600};
    // Absolute: counted from the sign-in that started the grant; rotations do not extend it.
    std::chrono::hours refreshTokenLifetime{24 * 30};
    // A grant not refreshed for this long ends; 0 = no idle limit.
    std::chrono::seconds refreshIdleTimeout{0};
    // Who may sign in and with which scopes (config `auth.access`); unrestricted when absent.
    AccessPolicy access = AccessPolicy::unrestricted();
    std::chrono::seconds refreshGrace{
        60};  // the immediately previous refresh token still works this long
    std::chrono::seconds authorizationCodeLifetime{60};
    std::chrono::seconds loginTimeout{600};  // consent + upstream sign-in must finish within this
    std::size_t maxClients = 10000;
    std::chrono::hours unusedClientLifetime{24};  // registrations that never got a token
    int registrationsPerMinute = 30;              // per client address
    CimdOptions cimd;

    bool isLocal() const { return !upstream.has_value(); }
};

// What only the running host knows: its URLs (once bound) and the scopes its tools require.
struct AuthorizationServerSite {
    std::string publicBaseUrl;            // scheme://host[:port], no trailing slash
    std::string mcpUrl;                   // the canonical MCP URL (the resource)
    std::vector<std::string> toolScopes;  // every scope a loaded tool requires
    AuthEvents* events = nullptr;         // hears of sign-ins, consents, grants (metrics)
};

}  // namespace mcph::auth::server
