#pragma once
// Proxy mode and the `local` provider: the host as the authorization server MCP clients see.
// Owns the state store, the signing key, the upstream client (or the local users) and every
// endpoint, and adds their routes: metadata, JWKS, /register (ProxyRoutes), /authorize,
// /oauth/callback, /token and /revoke. The MCP endpoint then accepts only the host's own tokens,
// checked with the same JwtVerifier as any other issuer's, against the host's key in memory.
#include <memory>
#include <string>
#include <vector>

#include "config/HostConfig.h"
#include "http/Router.h"
#include "mcphost/auth/TokenVerifier.h"

namespace mcph::app {

struct ProxySite {
    std::string publicBaseUrl;  // scheme://host[:port], no trailing slash
    std::string mcpUrl;         // the canonical MCP URL
    std::vector<std::string> toolScopes;  // every scope a loaded tool requires
};

class ProxyAuthServer {
public:
    // Opens the store, loads (or creates) the signing key and builds the endpoints. Throws
    // std::runtime_error with an operator-readable reason when something is unusable (store
    // file, users file, upstream settings): the host then refuses to start.
    ProxyAuthServer(const config::ProxySettings& settings, const ProxySite& site);
    ~ProxyAuthServer();
    ProxyAuthServer(const ProxyAuthServer&) = delete;
    ProxyAuthServer& operator=(const ProxyAuthServer&) = delete;

    void addRoutes(http::Router& router);

    const std::string& issuer() const;
    const std::vector<std::string>& scopes() const;  // what clients may be granted
    std::shared_ptr<auth::TokenVerifier> tokenVerifier() const;

    // Deletes expired pending authorizations, codes and refresh families, and registrations that
    // never got a token. Called periodically; safe from any thread.
    void sweep();

private:
    struct Parts;
    std::unique_ptr<Parts> parts_;
};

}  // namespace mcph::app
