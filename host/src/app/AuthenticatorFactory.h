#pragma once
// auth.provider -> what guards the MCP endpoint: the Authenticator, and (for OAuth modes) the
// Protected Resource Metadata document the host publishes.
#include <memory>
#include <optional>
#include <string>

#include "app/ProxyAuthServer.h"
#include "config/HostConfig.h"
#include "mcphost/auth/Authenticator.h"
#include "mcphost/auth/ProtectedResourceMetadata.h"

namespace mcph::app {

struct AuthSetup {
    std::unique_ptr<auth::Authenticator> authenticator;
    // Set in OAuth modes: the RFC 9728 document and where it is served.
    std::optional<auth::ProtectedResourceMetadata> resourceMetadata;
    std::optional<auth::ProtectedResourceMetadata::WellKnown> wellKnown;
    // Set in proxy mode and for `local`: the host's own authorization server.
    std::unique_ptr<ProxyAuthServer> proxyServer;
};

// `site.mcpUrl` is the canonical MCP URL (the resource). Throws std::runtime_error with an
// operator-readable reason when the setup cannot be completed (e.g. the issuer's metadata
// cannot be fetched): the host then refuses to start rather than serve unprotected.
AuthSetup makeAuthSetup(const config::AuthConfig& auth, const ProxySite& site);

}  // namespace mcph::app
