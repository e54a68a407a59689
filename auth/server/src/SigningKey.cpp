#include "mcphost/auth/server/SigningKey.h"

#include <sstream>
#include <stdexcept>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "mcphost/auth/Base64Url.h"
#include "mcphost/auth/server/AuthStore.h"
#include "mcphost/auth/server/Secrets.h"
#include "SigningKeySeal.h"

namespace mcph::auth::server {

namespace {

constexpr int kCoordBytes = 32;

struct BioFree { void operator()(BIO* p) const { BIO_free(p); } };
struct BnFree { void operator()(BIGNUM* p) const { BN_free(p); } };
struct MdCtxFree { void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); } };
struct SigFree { void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); } };

std::string coordinate(EVP_PKEY* key, const char* name) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) throw std::runtime_error("cannot read EC public key");
    std::unique_ptr<BIGNUM, BnFree> bn(raw);
    std::string out(kCoordBytes, '\0');
    if (BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(out.data()), kCoordBytes) != kCoordBytes) {
        throw std::runtime_error("EC coordinate too large");
    }
    return Base64Url::encode(out);
}

bool isP256(EVP_PKEY* key) {
    if (EVP_PKEY_base_id(key) != EVP_PKEY_EC) return false;
    char group[64] = {0};
    std::size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &len) != 1) return false;
    return std::string(group, len) == "prime256v1";
}

}  // namespace

SigningKey::SigningKey(std::shared_ptr<EVP_PKEY> key) : key_(std::move(key)) {
    x_ = coordinate(key_.get(), OSSL_PKEY_PARAM_EC_PUB_X);
    y_ = coordinate(key_.get(), OSSL_PKEY_PARAM_EC_PUB_Y);
    // RFC 7638 §3.2: the required members only, lexicographic order, no whitespace.
    const std::string canonical = R"({"crv":"P-256","kty":"EC","x":")" + x_ + R"(","y":")" + y_ + R"("})";
    kid_ = Base64Url::encode(Secrets::sha256(canonical));
}

SigningKey SigningKey::generate() {
    EVP_PKEY* raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    if (!raw) throw std::runtime_error("EC P-256 key generation failed");
    return SigningKey(std::shared_ptr<EVP_PKEY>(raw, EVP_PKEY_free));
}

std::optional<SigningKey> SigningKey::fromPem(const std::string& pem, std::string& error) {
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    EVP_PKEY* raw = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
    if (!raw) {
        error = "not a PEM private key";
        return std::nullopt;
    }
    std::shared_ptr<EVP_PKEY> key(raw, EVP_PKEY_free);
    if (!isP256(key.get())) {
        error = "signing key is not an EC P-256 key";
        return std::nullopt;
    }
    return SigningKey(std::move(key));
}

SigningKey SigningKey::loadOrCreate(AuthStore& store, const std::string& sealingSecret) {
    const bool sealed = !sealingSecret.empty();
    std::string stored;
    if (auto existing = store.loadSigningKey()) {
        stored = *existing;
    } else {
        const std::string pem = generate().privatePem();
        stored = store.storeSigningKeyIfAbsent(sealed ? seal::sealKey(pem, sealingSecret) : pem);
    }
    std::string pem = stored;
    if (sealed) {
        // Never replace a stored key silently (every token issued with it would die at once),
        // and never use one that was in clear: someone may have read it.
        if (!seal::isSealed(stored))
            throw std::runtime_error("the stored signing key is not sealed (it was stored in clear)");
        auto opened = seal::openKey(stored, sealingSecret);
        if (!opened)
            throw std::runtime_error(
                "the stored signing key cannot be opened with redis.signingKeySecret (every "
                "instance must have the same secret)");
        pem = std::move(*opened);
    } else if (seal::isSealed(stored)) {
        throw std::runtime_error("the stored signing key is sealed, and no secret was given");
    }
    std::string error;
    auto key = fromPem(pem, error);
    if (!key) throw std::runtime_error("stored signing key is unusable: " + error);
    return std::move(*key);
}

std::string SigningKey::privatePem() const {
    std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        throw std::runtime_error("cannot write signing key");
    }
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(len));
}

Poco::JSON::Object::Ptr SigningKey::publicJwk() const {
    Poco::JSON::Object::Ptr jwk = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    jwk->set("kty", "EC");
    jwk->set("crv", "P-256");
    jwk->set("x", x_);
    jwk->set("y", y_);
    jwk->set("kid", kid_);
    jwk->set("use", "sig");
    jwk->set("alg", "ES256");
    return jwk;
}

std::string SigningKey::jwksJson() const {
    Poco::JSON::Array::Ptr keys = new Poco::JSON::Array;
    keys->add(publicJwk());
    Poco::JSON::Object doc;
    doc.set("keys", keys);
    std::ostringstream out;
    doc.stringify(out);
    return out.str();
}

std::string SigningKey::signEs256(std::string_view input) const {
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    std::size_t len = 0;
    const auto* in = reinterpret_cast<const unsigned char*>(input.data());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &len, in, input.size()) != 1) {
        throw std::runtime_error("ES256 signing failed");
    }
    std::string der(len, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &len, in, input.size()) != 1) {
        throw std::runtime_error("ES256 signing failed");
    }
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    std::unique_ptr<ECDSA_SIG, SigFree> sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len)));
    if (!sig) throw std::runtime_error("ES256 signature not DER");
    std::string raw(2 * kCoordBytes, '\0');
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out, kCoordBytes) != kCoordBytes ||
        BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out + kCoordBytes, kCoordBytes) != kCoordBytes) {
        throw std::runtime_error("ES256 signature too large");
    }
    return raw;
}

}  // namespace mcph::auth::server
