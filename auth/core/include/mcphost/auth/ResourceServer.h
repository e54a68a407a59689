#pragma once
// Builds what guards the MCP endpoint in native mode from ResourceServerOptions: the token
// verifier (JWT at the issuer's keys, or introspection) and the RFC 9728 metadata document.
#include <memory>
#include <string>

#include "mcphost/auth/AuthEvents.h"
#include "mcphost/auth/HttpFetcher.h"
#include "mcphost/auth/ProtectedResourceMetadata.h"
#include "mcphost/auth/ResourceServerOptions.h"
#include "mcphost/auth/TokenVerifier.h"

namespace mcph::auth {

struct ResourceServer {
    std::shared_ptr<TokenVerifier> verifier;
    ProtectedResourceMetadata metadata;
    std::string audience;  // what tokens must be issued for
};

// `mcpUrl` is the canonical MCP URL (the resource). Fetches the issuer's metadata when the
// options leave an endpoint to discovery; throws std::runtime_error with an operator-readable
// reason when that fails, so the host refuses to start rather than serve unprotected.
// `events`, when set, hears of each key fetch (operations metrics).
ResourceServer makeResourceServer(const ResourceServerOptions& options, const std::string& mcpUrl,
                                  const std::shared_ptr<HttpFetcher>& fetcher,
                                  AuthEvents* events = nullptr);

}  // namespace mcph::auth
