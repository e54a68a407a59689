// JWK Set documents as the authorization server's jwks_uri serves them: JwksKeySet::parse, and
// through it PublicKey::fromJwk for each key (kty / use / key_ops / kid / alg, base64url
// members, RSA modulus size, EC points on the curve). Each usable key is then used once the
// way the verifier uses it (JwsSignature::keyFits and ::verify over a fixed input).
//
// parse() documents no exception: an unusable document is nullopt with `error` set, an
// unusable key is skipped and counted. So nothing is caught.
#include "FuzzSupport.h"
#include "mcphost/auth/JwksKeySet.h"
#include "mcphost/auth/JwsSignature.h"

using mcph::fuzz::fuzzFail;

namespace {
constexpr const char* kTarget = "jwks_document";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string json = mcph::fuzz::bytes(data, size);
    std::size_t skipped = 0;
    std::string error;
    const auto keys = mcph::auth::JwksKeySet::parse(json, &skipped, error);
    if (!keys) {
        if (error.empty()) fuzzFail(kTarget, "a refused document without a reason");
        return 0;
    }
    for (const auto& [kid, key] : *keys) {
        if (kid.empty() || kid != key.kid()) fuzzFail(kTarget, "a key filed under another kid");
        if (!key.evp()) fuzzFail(kTarget, "a usable key without key material");
        for (const auto& alg : mcph::auth::JwsSignature::supportedAlgorithms()) {
            const bool fits = mcph::auth::JwsSignature::keyFits(alg, key);
            // A signature of the right size made of zeros verifies under no key.
            const std::size_t sigSize = alg == "ES256" ? 64 : alg == "ES384" ? 96 : 256;
            if (mcph::auth::JwsSignature::verify(alg, key, "header.payload", std::string(sigSize, '\0')))
                fuzzFail(kTarget, "an all-zero signature verified under " + alg);
            if (!fits && mcph::auth::JwsSignature::verify(alg, key, "header.payload", "x"))
                fuzzFail(kTarget, "a key that does not fit " + alg + " verified with it");
        }
    }
    return 0;
}
