#include "mcphost/auth/JwsSignature.h"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <memory>

namespace mcph::auth {

namespace {

enum class Family { Rs, Ps, Es };

struct Algorithm {
    const char* name;
    Family family;
    const EVP_MD* (*digest)();
    KeyType esKey;           // only for ES
    std::size_t esPartSize;  // bytes of R and of S, only for ES
};

const Algorithm kAlgorithms[] = {
    {"RS256", Family::Rs, EVP_sha256, KeyType::Rsa, 0},
    {"RS384", Family::Rs, EVP_sha384, KeyType::Rsa, 0},
    {"RS512", Family::Rs, EVP_sha512, KeyType::Rsa, 0},
    {"PS256", Family::Ps, EVP_sha256, KeyType::Rsa, 0},
    {"PS384", Family::Ps, EVP_sha384, KeyType::Rsa, 0},
    {"PS512", Family::Ps, EVP_sha512, KeyType::Rsa, 0},
    {"ES256", Family::Es, EVP_sha256, KeyType::EcP256, 32},
    {"ES384", Family::Es, EVP_sha384, KeyType::EcP384, 48},
};

const Algorithm* findAlgorithm(const std::string& alg) {
    for (const auto& a : kAlgorithms) {
        if (alg == a.name) return &a;  // case-sensitive: "rs256" is not RS256
    }
    return nullptr;
}

struct MdCtxFree {
    void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct SigFree {
    void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};

// JWS carries ECDSA signatures as fixed-size big-endian R||S (RFC 7518 §3.4); OpenSSL wants
// DER. A DER signature in the token is therefore the wrong length and is refused here.
bool rawToDer(std::string_view raw, std::size_t partSize, std::string& der) {
    if (raw.size() != 2 * partSize) return false;
    std::unique_ptr<ECDSA_SIG, SigFree> sig(ECDSA_SIG_new());
    if (!sig) return false;
    const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
    BIGNUM* r = BN_bin2bn(bytes, static_cast<int>(partSize), nullptr);
    BIGNUM* s = BN_bin2bn(bytes + partSize, static_cast<int>(partSize), nullptr);
    if (!r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {  // set0 owns r and s on success
        BN_free(r);
        BN_free(s);
        return false;
    }
    const int len = i2d_ECDSA_SIG(sig.get(), nullptr);
    if (len <= 0) return false;
    der.resize(static_cast<std::size_t>(len));
    auto* out = reinterpret_cast<unsigned char*>(der.data());
    return i2d_ECDSA_SIG(sig.get(), &out) == len;
}

}  // namespace

const std::vector<std::string>& JwsSignature::supportedAlgorithms() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& a : kAlgorithms) out.emplace_back(a.name);
        return out;
    }();
    return names;
}

bool JwsSignature::isSupported(const std::string& alg) { return findAlgorithm(alg) != nullptr; }

bool JwsSignature::keyFits(const std::string& alg, const PublicKey& key) {
    const Algorithm* a = findAlgorithm(alg);
    if (!a) return false;
    if (a->family == Family::Es) return key.type() == a->esKey;
    return key.type() == KeyType::Rsa;
}

bool JwsSignature::verify(const std::string& alg, const PublicKey& key,
                          std::string_view signingInput, std::string_view signature) {
    const Algorithm* a = findAlgorithm(alg);
    if (!a || !keyFits(alg, key)) return false;
    std::string der;
    if (a->family == Family::Es) {
        if (!rawToDer(signature, a->esPartSize, der)) return false;
        signature = der;
    }
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, a->digest(), nullptr, key.evp()) != 1)
        return false;
    if (a->family == Family::Ps) {
        // RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash output.
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
            EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
            EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, a->digest()) != 1) {
            return false;
        }
    } else if (a->family == Family::Rs) {
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) return false;
    }
    return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(),
                            reinterpret_cast<const unsigned char*>(signingInput.data()),
                            signingInput.size()) == 1;
}

}  // namespace mcph::auth
