#pragma once
// Opaque access tokens checked at the authorization server's introspection endpoint
// (RFC 7662), authenticated with client_secret_basic. Only positive answers are cached, and
// only briefly, so a revoked token stops working within `maxCacheTtl`.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "mcphost/auth/ClaimMapping.h"
#include "mcphost/auth/Clock.h"
#include "mcphost/auth/HttpFetcher.h"
#include "mcphost/auth/TokenVerifier.h"
#include "mcphost/auth/VerifiedTokenCache.h"

namespace mcph::auth {

struct IntrospectionOptions {
    std::string endpoint;
    std::string clientId;
    std::string clientSecret;
    std::string issuer;    // expected `iss` when the answer has one; also the context's issuer
    std::string audience;  // must be named in `aud`
    // RFC 7662 makes `aud` optional, but an active token without one may have been issued for
    // any resource: it is refused unless this is set (config key
    // auth.introspection.dangerouslyAllowMissingAudience). A present `aud` is always checked.
    bool allowMissingAudience = false;
    std::chrono::seconds leeway{60};
    std::chrono::seconds maxCacheTtl{300};
    std::size_t maxTokenBytes = 16 * 1024;
    std::size_t cacheCapacity = 10000;
    ClaimNames claims;
    NowFunction now = systemClock();
};

class IntrospectionVerifier final : public TokenVerifier {
public:
    // Throws std::invalid_argument when endpoint, client id, issuer or audience is empty.
    IntrospectionVerifier(std::shared_ptr<HttpFetcher> fetcher, IntrospectionOptions options);

    VerifyResult verify(const std::string& token) override;

    std::uint64_t introspectionCalls() const { return calls_.load(); }

    // RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64'd.
    static std::string basicAuthorization(const std::string& clientId, const std::string& clientSecret);

private:
    VerifyResult introspect(const std::string& token, TimePoint now, TimePoint& expiresAt);

    std::shared_ptr<HttpFetcher> fetcher_;
    IntrospectionOptions options_;
    ClaimMapping mapping_;
    VerifiedTokenCache cache_;
    std::atomic<std::uint64_t> calls_{0};
};

}  // namespace mcph::auth
