#pragma once
// auth.provider -> what guards the MCP endpoint: the Authenticator, the Protected Resource
// Metadata document the host publishes (OAuth modes), and in proxy mode and for `local` the
// host's own authorization server.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/HostConfig.h"
#include "mcphost/auth/Authenticator.h"
#include "mcphost/auth/ProtectedResourceMetadata.h"
#include "mcphost/auth/server/AuthorizationServer.h"

namespace mcph::app {

struct AuthSetup {
    std::unique_ptr<auth::Authenticator> authenticator;
    // Set in OAuth modes: the RFC 9728 document and where it is served.
    std::optional<auth::ProtectedResourceMetadata> resourceMetadata;
    std::optional<auth::ProtectedResourceMetadata::WellKnown> wellKnown;
    // Set in proxy mode and for `local`: the host's own authorization server.
    std::unique_ptr<auth::server::AuthorizationServer> authorizationServer;
};

// `site.mcpUrl` is the canonical MCP URL (the resource). Throws std::runtime_error with an
// operator-readable reason when the setup cannot be completed (e.g. the issuer's metadata
// cannot be fetched): the host then refuses to start rather than serve unprotected.
AuthSetup makeAuthSetup(const config::AuthConfig& auth,
                        const auth::server::AuthorizationServerSite& site);

}  // namespace mcph::app
