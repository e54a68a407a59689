#pragma once
// Verifies the upstream's ID token (OIDC Core §3.1.3.7) or JWT access token with the upstream
// JWKS. The signature, algorithm allow-list, kid lookup, iss, aud and times are JwtVerifier's
// (one implementation of the JWS rules); this adds what an ID token needs on top: `azp` when
// there are several audiences, the nonce, and the identity with a verified email only, plus the
// policy facts the token carries (UpstreamFacts).
#include <memory>
#include <string>
#include <vector>

#include "mcphost/auth/HttpFetcher.h"
#include "mcphost/auth/JwtVerifier.h"
#include "mcphost/auth/server/UpstreamClient.h"

namespace mcph::auth::server {

class UpstreamJwtCheck {
public:
    // `audience` is what `aud` must contain (the client id for ID tokens). Throws
    // std::invalid_argument for options JwtVerifier refuses (no issuer, unsupported algorithm).
    UpstreamJwtCheck(std::shared_ptr<HttpFetcher> fetcher, const UpstreamOptions& options,
                     std::string audience);

    // `expectedNonce` "" means no nonce was sent (and none is checked). `what` names the token
    // in messages ("ID token", "access token").
    UpstreamSignIn check(const std::string& token, const std::string& expectedNonce,
                         const std::string& what);

private:
    std::string clientId_;
    ClaimNames claims_;
    UpstreamIdentityMethod source_;
    std::vector<std::string> factClaims_;
    std::shared_ptr<JwtVerifier> verifier_;
};

}  // namespace mcph::auth::server
