#pragma once
// JWT access tokens (RFC 9068) checked the RFC 8725 way: size first, strict compact form, an
// explicit allow-list of asymmetric algorithms, keys only from the configured JWKS by `kid`,
// then iss / aud / exp / nbf / iat / sub. Verified tokens are cached until they expire.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

#include "mcphost/auth/ClaimMapping.h"
#include "mcphost/auth/Clock.h"
#include "mcphost/auth/JwksKeySet.h"
#include "mcphost/auth/TokenVerifier.h"
#include "mcphost/auth/VerifiedTokenCache.h"

namespace mcph::auth {

struct JwtVerifierOptions {
    std::string issuer;    // compared byte for byte with `iss`
    std::string audience;  // the canonical MCP URL; compared with `aud` after normalisation
    std::vector<std::string> allowedAlgorithms{"RS256", "ES256"};
    std::size_t maxTokenBytes = 16 * 1024;
    std::chrono::seconds leeway{60};
    bool checkTyp = true;  // `typ`, when present, must be at+jwt / application/at+jwt / JWT
    ClaimNames claims;
    std::size_t cacheCapacity = 10000;  // 0 disables the verified-token cache
    NowFunction now = systemClock();
};

class JwtVerifier final : public TokenVerifier {
public:
    // Throws std::invalid_argument for an empty issuer or audience, or an algorithm outside
    // JwsSignature::supportedAlgorithms() (so "none" and HS256 are configuration errors).
    JwtVerifier(std::shared_ptr<JwksKeySet> keys, JwtVerifierOptions options);

    VerifyResult verify(const std::string& token) override;

    // The claims of a token whose size, form, algorithm, signature, iss, aud and times check
    // out, without claim mapping or caching: for callers that need claims an AuthContext does
    // not carry (an OIDC ID token's nonce, azp, email_verified). Null, with `failure` set,
    // otherwise.
    Poco::JSON::Object::Ptr verifiedClaims(const std::string& token, VerifyResult& failure);

    // Signature checks performed (cache hits do none); for tests and metrics.
    std::uint64_t signatureChecks() const { return signatureChecks_.load(); }

private:
    VerifyResult verifyUncached(const std::string& token, TimePoint now, TimePoint& expiresAt);
    Poco::JSON::Object::Ptr checkedClaims(const std::string& token, TimePoint now,
                                          VerifyResult& failure);
    bool algorithmAllowed(const std::string& alg) const;

    std::shared_ptr<JwksKeySet> keys_;
    JwtVerifierOptions options_;
    ClaimMapping mapping_;
    VerifiedTokenCache cache_;
    std::atomic<std::uint64_t> signatureChecks_{0};
};

}  // namespace mcph::auth
