#include "app/AuthenticatorFactory.h"

#include <Poco/Logger.h>

#include "mcphost/auth/BearerAuthenticator.h"
#include "mcphost/auth/PocoHttpFetcher.h"
#include "mcphost/auth/ResourceServer.h"

namespace mcph::app {
namespace {

AuthSetup protectedBy(std::shared_ptr<auth::TokenVerifier> verifier,
                      auth::ProtectedResourceMetadata prm) {
    AuthSetup setup;
    setup.wellKnown = auth::ProtectedResourceMetadata::wellKnownFor(prm.resource);
    setup.authenticator = std::make_unique<auth::BearerAuthenticator>(
        std::move(verifier), setup.wellKnown->metadataUrl, prm.scopesSupported);
    setup.resourceMetadata = std::move(prm);
    return setup;
}

// Native mode: tokens of another issuer, verified here.
AuthSetup nativeSetup(const auth::ResourceServerOptions& options, const std::string& mcpUrl,
                      auth::AuthEvents* events) {
    auto rs = auth::makeResourceServer(options, mcpUrl, std::make_shared<auth::PocoHttpFetcher>(),
                                       events);
    Poco::Logger::get("mcp-host.auth")
        .information("auth: %s, issuer %s, tokens for %s", options.providerName, options.issuer,
                     rs.audience);
    return protectedBy(rs.verifier, rs.metadata);
}

// The host is its own authorization server: its PRM names itself, and the MCP endpoint accepts
// the tokens it issued.
AuthSetup authorizationServerSetup(const auth::server::AuthorizationServerOptions& options,
                                   const auth::server::AuthorizationServerSite& site) {
    auto server = std::make_unique<auth::server::AuthorizationServer>(options, site);
    auth::ProtectedResourceMetadata prm;
    prm.resource = site.mcpUrl;
    prm.authorizationServer = server->issuer();
    prm.scopesSupported = server->scopes();
    prm.resourceName = "mcp-host";
    AuthSetup setup = protectedBy(server->tokenVerifier(), std::move(prm));
    setup.authorizationServer = std::move(server);
    return setup;
}

}  // namespace

AuthSetup makeAuthSetup(const config::AuthConfig& auth,
                        const auth::server::AuthorizationServerSite& site) {
    if (const auto* native = std::get_if<auth::ResourceServerOptions>(&auth.settings))
        return nativeSetup(*native, site.mcpUrl, site.events);
    if (const auto* own = std::get_if<auth::server::AuthorizationServerOptions>(&auth.settings)) {
        return authorizationServerSetup(*own, site);
    }
    AuthSetup setup;
    setup.authenticator = std::make_unique<auth::AnonymousAuthenticator>();
    return setup;
}

}  // namespace mcph::app
