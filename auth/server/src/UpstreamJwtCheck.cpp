#include "mcphost/auth/server/UpstreamJwtCheck.h"

#include "mcphost/auth/JsonFields.h"
#include "mcphost/auth/JwksKeySet.h"
#include "mcphost/auth/server/Secrets.h"
#include "mcphost/auth/server/UpstreamClaims.h"
#include "mcphost/auth/server/UpstreamFacts.h"

namespace mcph::auth::server {

namespace {

using Kind = UpstreamError::Kind;

// Entra ID tokens with group claims run to several kilobytes; the access-token default is 16.
constexpr std::size_t kMaxUpstreamTokenBytes = 64 * 1024;

}  // namespace

UpstreamJwtCheck::UpstreamJwtCheck(std::shared_ptr<HttpFetcher> fetcher,
                                   const UpstreamOptions& options, std::string audience)
    : clientId_(options.clientId),
      claims_(options.claims),
      source_(options.identity),
      factClaims_(options.factClaims) {
    JwksOptions jwks;
    jwks.jwksUri = options.jwksUrl;
    jwks.now = options.now;
    jwks.events = options.events;
    JwtVerifierOptions verify;
    verify.issuer = options.issuer;
    verify.audience = std::move(audience);
    verify.allowedAlgorithms = options.algorithms;
    verify.maxTokenBytes = kMaxUpstreamTokenBytes;
    verify.leeway = options.leeway;
    verify.checkTyp = false;  // ID tokens say JWT or nothing; upstream access tokens vary
    verify.claims = options.claims;
    verify.cacheCapacity = 0;  // each token is seen once, at its one callback
    verify.now = options.now;
    verifier_ = std::make_shared<JwtVerifier>(
        std::make_shared<JwksKeySet>(std::move(fetcher), std::move(jwks)), std::move(verify));
}

UpstreamSignIn UpstreamJwtCheck::check(const std::string& token, const std::string& expectedNonce,
                                       const std::string& what) {
    // Messages name the check that failed; JwtVerifier's reasons never quote the token.
    VerifyResult failure;
    const auto claims = verifier_->verifiedClaims(token, failure);
    if (!claims) {
        return UpstreamSignIn::failure(failure.unavailable ? Kind::Unavailable : Kind::BadIdentity,
                                       "upstream " + what + " refused: " + failure.error);
    }
    // OIDC Core §3.1.3.7 (4, 5): with several audiences the token must name us as the party
    // it was issued to; an `azp` that names anyone else is refused in any case.
    const auto audiences = JsonFields::stringOrArray(*claims, "aud");
    const auto azp = JsonFields::string(*claims, "azp");
    if (JsonFields::has(*claims, "azp") && (!azp || *azp != clientId_)) {
        return UpstreamSignIn::failure(Kind::BadIdentity,
                                       "upstream " + what + " refused: azp is not our client id");
    }
    if (audiences && audiences->size() > 1 && !azp) {
        return UpstreamSignIn::failure(
            Kind::BadIdentity, "upstream " + what + " refused: several audiences and no azp");
    }
    // The nonce binds the token to the authorization request this browser started (§3.1.2.1).
    if (!expectedNonce.empty()) {
        const auto nonce = JsonFields::string(*claims, "nonce");
        if (!nonce) {
            return UpstreamSignIn::failure(Kind::BadIdentity,
                                           "upstream " + what + " refused: nonce missing");
        }
        if (!Secrets::constantTimeEquals(*nonce, expectedNonce)) {
            return UpstreamSignIn::failure(Kind::BadIdentity,
                                           "upstream " + what + " refused: nonce mismatch");
        }
    }
    std::string why;
    auto identity = UpstreamClaims::identity(*claims, claims_, why);
    if (!identity)
        return UpstreamSignIn::failure(Kind::BadIdentity, "upstream " + what + " has " + why);
    UpstreamFacts::addClaims(*claims, source_, factClaims_, identity->facts);
    return UpstreamSignIn::success(std::move(*identity));
}

}  // namespace mcph::auth::server
