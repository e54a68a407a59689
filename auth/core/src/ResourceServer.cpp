#include "mcphost/auth/ResourceServer.h"

#include <stdexcept>

#include "mcphost/auth/AuthServerMetadata.h"
#include "mcphost/auth/EnrichingVerifier.h"
#include "mcphost/auth/IntrospectionVerifier.h"
#include "mcphost/auth/JwksKeySet.h"
#include "mcphost/auth/JwtVerifier.h"

namespace mcph::auth {
namespace {

// The issuer's metadata, needed when the options leave an endpoint to discovery.
AuthServerMetadata discover(HttpFetcher& fetcher, const std::string& issuer) {
    auto found = AuthServerMetadata::discover(fetcher, issuer);
    if (!found.metadata)
        throw std::runtime_error("cannot discover the metadata of issuer " + issuer + ": " +
                                 found.error);
    return *found.metadata;
}

std::shared_ptr<TokenVerifier> makeVerifier(const ResourceServerOptions& s,
                                            const std::string& audience,
                                            const std::shared_ptr<HttpFetcher>& fetcher,
                                            AuthEvents* events) {
    if (s.tokenFormat == TokenFormat::Opaque) {
        IntrospectionOptions o;
        o.endpoint = s.introspection.endpoint.empty()
                         ? discover(*fetcher, s.issuer).introspectionEndpoint
                         : s.introspection.endpoint;
        if (o.endpoint.empty())
            throw std::runtime_error("issuer " + s.issuer + " publishes no introspection_endpoint");
        o.clientId = s.introspection.clientId;
        o.clientSecret = s.introspection.clientSecret;
        o.issuer = s.issuer;
        o.audience = audience;
        o.allowMissingAudience = s.introspection.allowMissingAudience;
        o.leeway = s.leeway;
        o.claims = s.claims;
        return std::make_shared<IntrospectionVerifier>(fetcher, o);
    }
    JwksOptions keys;
    keys.events = events;
    keys.jwksUri = s.jwksUrl.empty() ? discover(*fetcher, s.issuer).jwksUri : s.jwksUrl;
    if (keys.jwksUri.empty())
        throw std::runtime_error("issuer " + s.issuer + " publishes no jwks_uri; set auth.jwksUrl");
    JwtVerifierOptions o;
    o.issuer = s.issuer;
    o.audience = audience;
    o.allowedAlgorithms = s.algorithms;
    o.leeway = s.leeway;
    o.claims = s.claims;
    return std::make_shared<JwtVerifier>(std::make_shared<JwksKeySet>(fetcher, keys), o);
}

}  // namespace

ResourceServer makeResourceServer(const ResourceServerOptions& options, const std::string& mcpUrl,
                                  const std::shared_ptr<HttpFetcher>& fetcher, AuthEvents* events) {
    ResourceServer rs;
    rs.audience = options.audience.empty() ? mcpUrl : options.audience;
    rs.verifier = makeVerifier(options, rs.audience, fetcher, events);
    if (options.userinfo) {
        // The userinfo endpoint is looked up on first need, so a start never waits for it.
        rs.verifier = std::make_shared<EnrichingVerifier>(
            rs.verifier, std::make_shared<UserInfoEnricher>(fetcher, options.issuer));
    }
    rs.metadata.resource = mcpUrl;
    rs.metadata.authorizationServer = options.issuer;
    rs.metadata.scopesSupported = options.scopes;
    rs.metadata.resourceName = "mcp-host";
    return rs;
}

}  // namespace mcph::auth
