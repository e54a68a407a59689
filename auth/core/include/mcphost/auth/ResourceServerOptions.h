#pragma once
// Native mode: the host is a protected resource. Clients register and sign in at `issuer` (any
// OAuth / OIDC authorization server), and the host verifies the access tokens they present.
#include <chrono>
#include <string>
#include <vector>

#include "mcphost/auth/ClaimMapping.h"

namespace mcph::auth {

enum class TokenFormat {
    Jwt,     // signed JWTs, checked against the issuer's JWKS
    Opaque,  // RFC 7662 introspection at the issuer
};

struct IntrospectionClient {
    std::string endpoint;  // "" = from the issuer's metadata
    std::string clientId;
    std::string clientSecret;
    // Accept active tokens whose introspection answer has no `aud` (a token issued for another
    // resource would then pass here). Off by default; see IntrospectionOptions.
    bool allowMissingAudience = false;
};

struct ResourceServerOptions {
    std::string providerName = "oidc";  // the config's provider, for the start-up log
    std::string issuer;                 // exact, as the authorization server's metadata states it
    std::string audience;               // "" = the canonical MCP URL
    std::string jwksUrl;                // "" = jwks_uri from the issuer's metadata
    std::vector<std::string> scopes{"openid", "email", "profile"};  // advertised in the PRM
    std::vector<std::string> algorithms{"RS256", "ES256"};
    std::chrono::seconds leeway{60};
    TokenFormat tokenFormat = TokenFormat::Jwt;
    IntrospectionClient introspection;  // TokenFormat::Opaque
    ClaimNames claims;
    // Ask the issuer's OIDC userinfo endpoint for email, name and picture when a verified
    // token lacks the email or the name (UserInfoEnricher).
    bool userinfo = true;
};

}  // namespace mcph::auth
