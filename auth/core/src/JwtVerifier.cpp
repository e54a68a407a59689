#include "mcphost/auth/JwtVerifier.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "mcphost/auth/Base64Url.h"
#include "mcphost/auth/ClaimChecks.h"
#include "mcphost/auth/JsonFields.h"
#include "mcphost/auth/JwsSignature.h"

namespace mcph::auth {

namespace {

// A verified token stays cached at most this long even if its exp is far away.
constexpr std::chrono::hours kMaxCacheLifetime{24};
constexpr std::size_t kMaxJsonDepth = 8;  // JOSE headers and access-token claims are shallow

bool equalsIgnoreCase(const std::string& a, const char* b) {
    const std::string other(b);
    return a.size() == other.size() &&
           std::equal(a.begin(), a.end(), other.begin(), [](unsigned char x, unsigned char y) {
               return std::tolower(x) == std::tolower(y);
           });
}

// RFC 9068 §2.1 asks for at+jwt; many servers still send JWT. Media types are case-insensitive.
bool acceptableTyp(const std::string& typ) {
    return equalsIgnoreCase(typ, "at+jwt") || equalsIgnoreCase(typ, "application/at+jwt") ||
           equalsIgnoreCase(typ, "JWT");
}

}  // namespace

JwtVerifier::JwtVerifier(std::shared_ptr<JwksKeySet> keys, JwtVerifierOptions options)
    : keys_(std::move(keys)),
      options_(std::move(options)),
      mapping_(options_.claims),
      cache_(options_.cacheCapacity) {
    if (!keys_) throw std::invalid_argument("JwtVerifier needs a key set");
    if (options_.issuer.empty())
        throw std::invalid_argument("JwtVerifier needs the expected issuer");
    if (options_.audience.empty())
        throw std::invalid_argument("JwtVerifier needs the expected audience");
    if (options_.allowedAlgorithms.empty())
        throw std::invalid_argument("JwtVerifier needs at least one algorithm");
    for (const auto& alg : options_.allowedAlgorithms) {
        if (!JwsSignature::isSupported(alg)) {
            throw std::invalid_argument("unsupported JWT algorithm \"" + alg +
                                        "\" (asymmetric algorithms only)");
        }
    }
    if (!options_.now) options_.now = systemClock();
}

bool JwtVerifier::algorithmAllowed(const std::string& alg) const {
    return std::find(options_.allowedAlgorithms.begin(), options_.allowedAlgorithms.end(), alg) !=
           options_.allowedAlgorithms.end();
}

VerifyResult JwtVerifier::verify(const std::string& token) {
    // The size limit comes before hashing, decoding or parsing anything.
    if (token.size() > options_.maxTokenBytes) return VerifyResult::fail("token too large");
    if (token.empty()) return VerifyResult::fail("token is empty");
    const TimePoint now = options_.now();
    if (auto cached = cache_.get(token, now)) return VerifyResult::ok(std::move(*cached));
    TimePoint expiresAt{};
    VerifyResult result = verifyUncached(token, now, expiresAt);
    if (result.context) cache_.put(token, *result.context, expiresAt, now);
    return result;
}

Poco::JSON::Object::Ptr JwtVerifier::verifiedClaims(const std::string& token,
                                                    VerifyResult& failure) {
    if (token.size() > options_.maxTokenBytes) {
        failure = VerifyResult::fail("token too large");
        return nullptr;
    }
    if (token.empty()) {
        failure = VerifyResult::fail("token is empty");
        return nullptr;
    }
    return checkedClaims(token, options_.now(), failure);
}

VerifyResult JwtVerifier::verifyUncached(const std::string& token, TimePoint now,
                                         TimePoint& expiresAt) {
    VerifyResult failure;
    const auto claims = checkedClaims(token, now, failure);
    if (!claims) return failure;
    // checkedClaims compared `iss` with the configured issuer byte for byte.
    VerifyResult mapped = mapping_.map(*claims, options_.issuer);
    if (mapped.context)
        expiresAt = ClaimChecks::expiry(
            *claims, now, std::chrono::duration_cast<std::chrono::seconds>(kMaxCacheLifetime));
    return mapped;
}

Poco::JSON::Object::Ptr JwtVerifier::checkedClaims(const std::string& token, TimePoint now,
                                                   VerifyResult& failure) {
    const auto fail = [&failure](std::string why, bool unavailable = false) {
        failure = VerifyResult::fail(std::move(why), unavailable);
        return Poco::JSON::Object::Ptr();
    };
    // Compact serialization: exactly header.payload.signature, each non-empty.
    const auto dot1 = token.find('.');
    const auto dot2 = dot1 == std::string::npos ? std::string::npos : token.find('.', dot1 + 1);
    if (dot2 == std::string::npos || token.find('.', dot2 + 1) != std::string::npos) {
        return fail("token is not a JWS (three segments expected)");
    }
    const std::string_view all(token);
    const auto headerPart = all.substr(0, dot1);
    const auto payloadPart = all.substr(dot1 + 1, dot2 - dot1 - 1);
    const auto signaturePart = all.substr(dot2 + 1);
    if (headerPart.empty() || payloadPart.empty() || signaturePart.empty()) {
        return fail("token has an empty segment");
    }
    const auto headerJson = Base64Url::decode(headerPart);
    const auto payloadJson = Base64Url::decode(payloadPart);
    const auto signature = Base64Url::decode(signaturePart);
    if (!headerJson || !payloadJson || !signature) return fail("token is not valid base64url");

    const auto header = JsonFields::parseObject(*headerJson, kMaxJsonDepth);
    if (!header) return fail("token header is not a JSON object");
    const auto alg = JsonFields::string(*header, "alg");
    if (!alg) return fail("token header has no algorithm");
    if (!algorithmAllowed(*alg)) return fail("token algorithm not allowed");
    // We understand no extensions, so any critical one makes the token unacceptable (RFC 7515
    // §4.1.11). jku / jwk / x5u / x5c are simply never read: keys come from our JWKS only.
    if (header->has("crit")) return fail("token uses unsupported critical header parameters");
    if (options_.checkTyp && header->has("typ")) {
        const auto typ = JsonFields::string(*header, "typ");
        if (!typ || !acceptableTyp(*typ)) return fail("token type (typ) is not an access token");
    }
    const auto kid = JsonFields::string(*header, "kid");
    if (!kid || kid->empty()) return fail("token header has no key id (kid)");

    const auto claims = JsonFields::parseObject(*payloadJson, kMaxJsonDepth);
    if (!claims) return fail("token payload is not a JSON object");

    JwksKeySet::Lookup found = keys_->find(*kid);
    if (!found.key) return fail(found.error, found.unavailable);
    const PublicKey& key = *found.key;
    // A key the issuer pinned to one algorithm verifies only that one; the key type must fit
    // the algorithm in any case (no RSA key for ES256, no P-384 key for ES256).
    if ((!key.alg().empty() && key.alg() != *alg) || !JwsSignature::keyFits(*alg, key)) {
        return fail("token algorithm does not match its signing key");
    }
    ++signatureChecks_;
    if (!JwsSignature::verify(*alg, key, all.substr(0, dot2), *signature)) {
        return fail("token signature is invalid");
    }

    // Only now are the claims trustworthy.
    const auto iss = JsonFields::string(*claims, "iss");
    if (!iss) return fail("token has no issuer (iss)");
    if (*iss != options_.issuer) return fail("token issuer (iss) is not the expected one");
    if (auto why = ClaimChecks::checkAudience(*claims, options_.audience, true); !why.empty()) {
        return fail(why);
    }
    if (auto why = ClaimChecks::checkTimes(*claims, now, options_.leeway, true); !why.empty()) {
        return fail(why);
    }
    return claims;
}

}  // namespace mcph::auth
