#pragma once
// Issues the host's own access tokens in proxy mode: RFC 9068 JWTs signed ES256, so the
// host's ordinary JwtVerifier (pointed at the host's JWKS) checks them like any other issuer's.
// Upstream tokens never leave the host; these are what clients hold.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "mcphost/auth/Clock.h"
#include "mcphost/auth/server/SigningKey.h"

namespace mcph::auth::server {

struct TokenIssuerOptions {
    std::string issuer;    // the host's public URL (the metadata `issuer`)
    std::string audience;  // the canonical MCP URL
    std::chrono::seconds lifetime{3600};
    NowFunction now = systemClock();
};

struct AccessTokenClaims {
    std::string subject;
    std::string email;  // omitted when empty
    std::string name;   // omitted when empty
    std::string clientId;
    std::vector<std::string> scopes;
    // The refresh family the token belongs to ("sid"): revoking or replaying the family ends
    // the access tokens issued from it too (GrantCheckingVerifier).
    std::string grantId;
};

struct IssuedAccessToken {
    std::string token;
    std::string jti;
    long long expiresIn = 0;  // seconds, for the token response
    TimePoint expiresAt{};
};

class TokenIssuer {
public:
    // Throws std::invalid_argument for a missing key, issuer or audience.
    TokenIssuer(std::shared_ptr<const SigningKey> key, TokenIssuerOptions options);

    // Throws std::invalid_argument for an empty subject or client id: a token nobody owns.
    IssuedAccessToken issue(const AccessTokenClaims& claims) const;

    const TokenIssuerOptions& options() const { return options_; }

private:
    std::shared_ptr<const SigningKey> key_;
    TokenIssuerOptions options_;
};

}  // namespace mcph::auth::server
