// JWS compact serialization of access tokens: JwtVerifier::verify and ::verifiedClaims (split
// into header.payload.signature, strict base64url, the JOSE header, the claims, the key lookup
// by kid, the signature, iss / aud / exp / nbf / iat, the claim mapping), with the key set
// served by a stub fetcher (no network) and a fixed clock, so the seed tokens in
// corpus/jws_compact verify and the fuzzer starts from tokens that reach the claim checks.
// Also Base64Url::decode, which promises one spelling per byte string.
//
// verify() documents no exception (a refusal is a VerifyResult with an error; BearerAuthenticator
// counts an exception as the key server being down), so nothing is caught.
#include <memory>

#include "FuzzSupport.h"
#include "StubFetcher.h"
#include "mcphost/auth/Base64Url.h"
#include "mcphost/auth/JwsSignature.h"
#include "mcphost/auth/JwtVerifier.h"

namespace {
#include "jws_test_keys.inc"

constexpr const char* kTarget = "jws_compact";

mcph::auth::JwtVerifier& verifier() {
    static mcph::auth::JwtVerifier* v = [] {
        mcph::auth::JwksOptions jo;
        jo.jwksUri = "https://issuer.example/jwks";
        jo.now = mcph::fuzz::fixedNow;
        auto keys = std::make_shared<mcph::auth::JwksKeySet>(std::make_shared<mcph::fuzz::StubFetcher>(kFuzzJwks), jo);
        mcph::auth::JwtVerifierOptions o;
        o.issuer = "https://issuer.example";
        o.audience = "https://mcp.example.com/mcp";
        o.allowedAlgorithms = mcph::auth::JwsSignature::supportedAlgorithms();
        o.cacheCapacity = 0;  // every input goes through the whole check
        o.now = mcph::fuzz::fixedNow;
        auto* made = new mcph::auth::JwtVerifier(keys, o);
        // Load the keys once now, so no input triggers the (stubbed) fetch.
        if (!keys->find("rsa-1").key) mcph::fuzz::fuzzFail(kTarget, "the fixed JWKS does not load");
        return made;
    }();
    return *v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string token = mcph::fuzz::bytes(data, size);

    if (const auto decoded = mcph::auth::Base64Url::decode(token)) {
        if (mcph::auth::Base64Url::encode(*decoded) != token)
            mcph::fuzz::fuzzFail(kTarget, "base64url: two spellings decode to the same bytes");
    }

    const mcph::auth::VerifyResult result = verifier().verify(token);
    if (result.context) {
        if (result.context->userId.empty()) mcph::fuzz::fuzzFail(kTarget, "accepted a token without a user id");
    } else {
        if (result.error.empty()) mcph::fuzz::fuzzFail(kTarget, "refused a token without saying why");
        if (result.unavailable) mcph::fuzz::fuzzFail(kTarget, "the stubbed key set counted as unavailable");
        // No fixed refusal text holds a '.', so one that contains a dotted token echoes it.
        if (token.size() >= 16 && token.find('.') != std::string::npos && result.error.find(token) != std::string::npos)
            mcph::fuzz::fuzzFail(kTarget, "the refusal echoes the token");
    }

    mcph::auth::VerifyResult failure;
    const auto claims = verifier().verifiedClaims(token, failure);
    if (!claims && failure.error.empty()) mcph::fuzz::fuzzFail(kTarget, "verifiedClaims refused without saying why");
    // A token whose signature and claims check out is one verify() could only refuse in the
    // claim mapping, never in the form or signature steps.
    if (claims && !result.context && result.error.find("signature") != std::string::npos)
        mcph::fuzz::fuzzFail(kTarget, "verify and verifiedClaims disagree about the signature");
    return 0;
}
