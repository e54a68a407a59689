#include "app/AuthenticatorFactory.h"

#include <Poco/Logger.h>

#include <stdexcept>

#include "mcphost/auth/AuthServerMetadata.h"
#include "mcphost/auth/BearerAuthenticator.h"
#include "mcphost/auth/IntrospectionVerifier.h"
#include "mcphost/auth/JwksKeySet.h"
#include "mcphost/auth/JwtVerifier.h"
#include "mcphost/auth/PocoHttpFetcher.h"

namespace mcph::app {
namespace {

auth::ClaimNames claimNamesFrom(const config::ClaimNames& c) {
    auth::ClaimNames names;
    names.userId = c.userId;
    names.email = c.email;
    names.name = c.name;
    names.scope = c.scopes;
    names.clientId = c.clientId;
    return names;
}

// The issuer's metadata, needed when the config leaves an endpoint to discovery.
auth::AuthServerMetadata discover(auth::HttpFetcher& fetcher, const std::string& issuer) {
    auto found = auth::AuthServerMetadata::discover(fetcher, issuer);
    if (!found.metadata) throw std::runtime_error("cannot discover the metadata of issuer " + issuer + ": " + found.error);
    return *found.metadata;
}

std::shared_ptr<auth::TokenVerifier> makeVerifier(const config::OidcSettings& s, const std::string& audience,
                                                  const std::shared_ptr<auth::HttpFetcher>& fetcher) {
    if (s.tokenFormat == "opaque") {
        auth::IntrospectionOptions o;
        o.endpoint = s.introspection.endpoint.empty() ? discover(*fetcher, s.issuer).introspectionEndpoint
                                                      : s.introspection.endpoint;
        if (o.endpoint.empty()) throw std::runtime_error("issuer " + s.issuer + " publishes no introspection_endpoint");
        o.clientId = s.introspection.clientId;
        o.clientSecret = s.introspection.clientSecret;
        o.issuer = s.issuer;
        o.audience = audience;
        o.leeway = std::chrono::seconds(s.leewaySeconds);
        o.claims = claimNamesFrom(s.claims);
        return std::make_shared<auth::IntrospectionVerifier>(fetcher, o);
    }
    auth::JwksOptions keys;
    keys.jwksUri = s.jwksUrl.empty() ? discover(*fetcher, s.issuer).jwksUri : s.jwksUrl;
    if (keys.jwksUri.empty()) throw std::runtime_error("issuer " + s.issuer + " publishes no jwks_uri; set auth.jwksUrl");
    auth::JwtVerifierOptions o;
    o.issuer = s.issuer;
    o.audience = audience;
    o.allowedAlgorithms = s.algorithms;
    o.leeway = std::chrono::seconds(s.leewaySeconds);
    o.claims = claimNamesFrom(s.claims);
    return std::make_shared<auth::JwtVerifier>(std::make_shared<auth::JwksKeySet>(fetcher, keys), o);
}

// The host is its own authorization server: its PRM names itself, and the MCP endpoint accepts
// the tokens it issued.
AuthSetup proxySetup(const config::ProxySettings& s, const ProxySite& site) {
    AuthSetup setup;
    setup.proxyServer = std::make_unique<ProxyAuthServer>(s, site);
    auth::ProtectedResourceMetadata prm;
    prm.resource = site.mcpUrl;
    prm.authorizationServer = setup.proxyServer->issuer();
    prm.scopesSupported = setup.proxyServer->scopes();
    prm.resourceName = "mcp-host";
    setup.wellKnown = auth::ProtectedResourceMetadata::wellKnownFor(site.mcpUrl);
    setup.resourceMetadata = prm;
    setup.authenticator = std::make_unique<auth::BearerAuthenticator>(
        setup.proxyServer->tokenVerifier(), setup.wellKnown->metadataUrl, setup.proxyServer->scopes());
    return setup;
}

}  // namespace

AuthSetup makeAuthSetup(const config::AuthConfig& auth, const ProxySite& site) {
    AuthSetup setup;
    if (std::holds_alternative<config::NoAuthSettings>(auth.settings)) {
        setup.authenticator = std::make_unique<auth::AnonymousAuthenticator>();
        return setup;
    }
    if (const auto* proxySettings = std::get_if<config::ProxySettings>(&auth.settings)) return proxySetup(*proxySettings, site);
    const std::string& mcpUrl = site.mcpUrl;
    const auto& s = std::get<config::OidcSettings>(auth.settings);
    const std::string audience = s.audience.empty() ? mcpUrl : s.audience;
    auto fetcher = std::make_shared<auth::PocoHttpFetcher>();
    auto verifier = makeVerifier(s, audience, fetcher);

    auth::ProtectedResourceMetadata prm;
    prm.resource = mcpUrl;
    prm.authorizationServer = s.issuer;
    prm.scopesSupported = s.scopes;
    prm.resourceName = "mcp-host";
    setup.wellKnown = auth::ProtectedResourceMetadata::wellKnownFor(mcpUrl);
    setup.resourceMetadata = prm;
    setup.authenticator = std::make_unique<auth::BearerAuthenticator>(verifier, setup.wellKnown->metadataUrl, s.scopes);
    Poco::Logger::get("mcp-host.auth").information("auth: %s, issuer %s, tokens for %s", s.preset, s.issuer, audience);
    return setup;
}

}  // namespace mcph::app
