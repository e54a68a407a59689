#pragma once
// The upstream authorization server's metadata (RFC 8414, or OIDC discovery as a fallback):
// where its keys and introspection endpoint are. The document's `issuer` must equal the
// configured issuer exactly (RFC 8414 §3.3), otherwise a server could speak for another.
#include <optional>
#include <string>
#include <vector>

#include "mcphost/auth/HttpFetcher.h"

namespace mcph::auth {

struct AuthServerDiscovery;

struct AuthServerMetadata {
    std::string issuer;
    std::string authorizationEndpoint;
    std::string tokenEndpoint;
    std::string jwksUri;
    std::string introspectionEndpoint;
    std::string registrationEndpoint;
    std::string revocationEndpoint;
    std::string userinfoEndpoint;
    std::vector<std::string> scopesSupported;
    std::vector<std::string> codeChallengeMethodsSupported;
    std::string sourceUrl;  // where the document was found

    // The URLs tried, in order: RFC 8414 path-inserted, OIDC path-inserted, OIDC path-appended
    // (Keycloak's form). For an issuer without a path the path-inserted and appended forms
    // coincide and appear once.
    static std::vector<std::string> candidateUrls(const std::string& issuer);

    // Parses one document; nullopt with `error` when it is not JSON, its issuer differs from
    // `expectedIssuer`, or a listed member has the wrong type.
    static std::optional<AuthServerMetadata> parse(const std::string& json, const std::string& expectedIssuer,
                                                   std::string& error);

    static AuthServerDiscovery discover(HttpFetcher& fetcher, const std::string& issuer);
};

struct AuthServerDiscovery {
    std::optional<AuthServerMetadata> metadata;
    std::string error;  // why nothing usable was found (every candidate is named)
};

}  // namespace mcph::auth
