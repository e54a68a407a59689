#include "mcphost/auth/PublicKey.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <algorithm>

#include "mcphost/auth/Base64Url.h"
#include "mcphost/auth/JsonFields.h"

namespace mcph::auth {

namespace {

struct BnFree {
    void operator()(BIGNUM* p) const { BN_free(p); }
};
struct BldFree {
    void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
};
struct ParamFree {
    void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct CtxFree {
    void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;

constexpr int kMinRsaBits = 2048;  // RFC 7518 §3.3
constexpr int kMaxRsaBits = 16384;

std::shared_ptr<EVP_PKEY> fromParams(const char* algorithm, OSSL_PARAM_BLD* bld) {
    std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld));
    if (!params) return nullptr;
    std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(
        EVP_PKEY_CTX_new_from_name(nullptr, algorithm, nullptr));
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0) return nullptr;
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) return nullptr;
    std::shared_ptr<EVP_PKEY> key(raw, EVP_PKEY_free);
    // fromdata takes the numbers as given; the public check refuses points off the curve and
    // nonsensical RSA exponents.
    std::unique_ptr<EVP_PKEY_CTX, CtxFree> check(
        EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) != 1) return nullptr;
    return key;
}

std::optional<std::string> member(const Poco::JSON::Object& jwk, const char* name,
                                  std::string& error) {
    const auto text = JsonFields::string(jwk, name);
    if (!text) {
        error = std::string("missing \"") + name + "\"";
        return std::nullopt;
    }
    auto bytes = Base64Url::decode(*text);
    if (!bytes || bytes->empty()) {
        error = std::string("\"") + name + "\" is not base64url";
        return std::nullopt;
    }
    return bytes;
}

BnPtr toBn(const std::string& bytes) {
    return BnPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                           static_cast<int>(bytes.size()), nullptr));
}

std::shared_ptr<EVP_PKEY> rsaKey(const Poco::JSON::Object& jwk, std::string& error) {
    const auto n = member(jwk, "n", error);
    const auto e = member(jwk, "e", error);
    if (!n || !e) return nullptr;
    BnPtr bn(toBn(*n)), be(toBn(*e));
    if (!bn || !be) return nullptr;
    const int bits = BN_num_bits(bn.get());
    if (bits < kMinRsaBits || bits > kMaxRsaBits) {
        error = "RSA modulus of " + std::to_string(bits) + " bits";
        return nullptr;
    }
    std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
    if (!bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn.get()) ||
        !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, be.get())) {
        return nullptr;
    }
    auto key = fromParams("RSA", bld.get());
    if (!key) error = "invalid RSA key";
    return key;
}

std::shared_ptr<EVP_PKEY> ecKey(const Poco::JSON::Object& jwk, const std::string& crv,
                                std::string& error, KeyType& type) {
    std::size_t fieldBytes = 0;
    const char* group = nullptr;
    if (crv == "P-256") {
        fieldBytes = 32, group = "prime256v1", type = KeyType::EcP256;
    } else if (crv == "P-384") {
        fieldBytes = 48, group = "secp384r1", type = KeyType::EcP384;
    } else {
        error = "unsupported curve \"" + crv + "\"";
        return nullptr;
    }
    const auto x = member(jwk, "x", error);
    const auto y = member(jwk, "y", error);
    if (!x || !y) return nullptr;
    // RFC 7518 §6.2.1.2: coordinates are exactly the field size, leading zeros kept.
    if (x->size() != fieldBytes || y->size() != fieldBytes) {
        error = "EC coordinates of the wrong length";
        return nullptr;
    }
    const std::string point = std::string(1, '\x04') + *x + *y;  // uncompressed SEC1 point
    std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
    if (!bld || !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) ||
        !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                          point.size())) {
        return nullptr;
    }
    auto key = fromParams("EC", bld.get());
    if (!key) error = "invalid EC key";
    return key;
}

}  // namespace

std::optional<PublicKey> PublicKey::fromJwk(const Poco::JSON::Object& jwk, std::string& error) {
    const auto kty = JsonFields::string(jwk, "kty");
    if (!kty) {
        error = "missing \"kty\"";
        return std::nullopt;
    }
    // A key meant for encryption must never verify a signature.
    if (JsonFields::has(jwk, "use") &&
        JsonFields::string(jwk, "use") != std::optional<std::string>("sig")) {
        error = "\"use\" is not \"sig\"";
        return std::nullopt;
    }
    if (JsonFields::has(jwk, "key_ops")) {
        const auto ops = JsonFields::stringOrArray(jwk, "key_ops");
        if (!ops || std::find(ops->begin(), ops->end(), "verify") == ops->end()) {
            error = "\"key_ops\" does not include \"verify\"";
            return std::nullopt;
        }
    }
    const auto kid = JsonFields::string(jwk, "kid");
    if (!kid || kid->empty()) {
        error = "missing \"kid\" (keys are selected by kid only)";
        return std::nullopt;
    }
    const std::string alg = JsonFields::string(jwk, "alg").value_or("");
    std::shared_ptr<EVP_PKEY> key;
    KeyType type = KeyType::Rsa;
    if (*kty == "RSA") {
        key = rsaKey(jwk, error);
    } else if (*kty == "EC") {
        const auto crv = JsonFields::string(jwk, "crv");
        if (!crv) {
            error = "missing \"crv\"";
            return std::nullopt;
        }
        key = ecKey(jwk, *crv, error, type);
    } else {
        // "oct" (a shared secret has no place in a public key set) and anything unknown.
        error = "unsupported kty \"" + *kty + "\"";
        return std::nullopt;
    }
    if (!key) {
        if (error.empty()) error = "unusable key";
        return std::nullopt;
    }
    return PublicKey(std::move(key), type, *kid, alg);
}

}  // namespace mcph::auth
