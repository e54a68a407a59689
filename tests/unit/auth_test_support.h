#pragma once
// Test-only helpers for the auth tests: real keys, a JWT signer written independently of the
// library (so a bug in the verifier's encoding cannot cancel itself out), and a clock the test
// moves by hand. The local HTTP server lives in auth_test_http_server.h.
#include <Poco/JSON/Object.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "auth_test_http_server.h"
#include "mcphost/auth/Clock.h"

namespace authtest {

// ---- encoding ---------------------------------------------------------------------------

// Deliberately not mcph::auth::Base64Url: the tests must not trust the code under test.
inline std::string b64url(const std::string& bytes) {
    static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8 |
                           (unsigned char)bytes[i + 2];
        out += {abc[v >> 18 & 63], abc[v >> 12 & 63], abc[v >> 6 & 63], abc[v & 63]};
    }
    if (bytes.size() - i == 1) {
        const unsigned v = (unsigned char)bytes[i] << 16;
        out += {abc[v >> 18 & 63], abc[v >> 12 & 63]};
    } else if (bytes.size() - i == 2) {
        const unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8;
        out += {abc[v >> 18 & 63], abc[v >> 12 & 63], abc[v >> 6 & 63]};
    }
    return out;
}

inline std::string toJson(const Poco::JSON::Object& obj) {
    std::ostringstream out;
    obj.stringify(out);
    return out.str();
}

// ---- keys -------------------------------------------------------------------------------

inline std::string bnBytes(const EVP_PKEY* key, const char* param, int padTo = 0) {
    BIGNUM* bn = nullptr;
    if (EVP_PKEY_get_bn_param(key, param, &bn) != 1)
        throw std::runtime_error("get_bn_param failed");
    std::string out(padTo > 0 ? padTo : BN_num_bytes(bn), '\0');
    BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
    BN_free(bn);
    return out;
}

struct TestKey {
    std::shared_ptr<EVP_PKEY> pkey;
    std::string kid;
    std::string crv;  // "" for RSA

    static TestKey rsa(const std::string& kid, unsigned bits = 2048) {
        return {std::shared_ptr<EVP_PKEY>(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", (size_t)bits),
                                          EVP_PKEY_free),
                kid, ""};
    }
    static TestKey ec(const std::string& kid, const std::string& crv) {
        return {std::shared_ptr<EVP_PKEY>(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", crv.c_str()),
                                          EVP_PKEY_free),
                kid, crv};
    }
    int fieldBytes() const { return crv == "P-384" ? 48 : 32; }

    // The public JWK; `extra` members (use, alg, key_ops...) are added or override.
    Poco::JSON::Object jwkObject(const std::map<std::string, std::string>& extra = {}) const {
        Poco::JSON::Object jwk(Poco::JSON_PRESERVE_KEY_ORDER);
        if (crv.empty()) {
            jwk.set("kty", "RSA");
            jwk.set("n", b64url(bnBytes(pkey.get(), OSSL_PKEY_PARAM_RSA_N)));
            jwk.set("e", b64url(bnBytes(pkey.get(), OSSL_PKEY_PARAM_RSA_E)));
        } else {
            jwk.set("kty", "EC");
            jwk.set("crv", crv);
            jwk.set("x", b64url(bnBytes(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_X, fieldBytes())));
            jwk.set("y", b64url(bnBytes(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_Y, fieldBytes())));
        }
        jwk.set("kid", kid);
        for (const auto& [k, v] : extra) jwk.set(k, v);
        return jwk;
    }
    std::string jwk(const std::map<std::string, std::string>& extra = {}) const {
        return toJson(jwkObject(extra));
    }

    std::string publicPem() const {
        BIO* bio = BIO_new(BIO_s_mem());
        PEM_write_bio_PUBKEY(bio, pkey.get());
        char* data = nullptr;
        const long len = BIO_get_mem_data(bio, &data);
        std::string out(data, static_cast<std::size_t>(len));
        BIO_free(bio);
        return out;
    }
};

inline std::string jwks(const std::vector<std::string>& jwkJsons) {
    std::string out = "{\"keys\":[";
    for (std::size_t i = 0; i < jwkJsons.size(); ++i) out += (i ? "," : "") + jwkJsons[i];
    return out + "]}";
}

// ---- signing ----------------------------------------------------------------------------

enum class EcFormat { Raw, Der };

inline const EVP_MD* digestFor(const std::string& alg) {
    const std::string bits = alg.substr(2);
    return bits == "256" ? EVP_sha256() : bits == "384" ? EVP_sha384() : EVP_sha512();
}

inline std::string signBytes(const std::string& alg, const TestKey& key, const std::string& input,
                             EcFormat format = EcFormat::Raw) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX* pctx = nullptr;
    if (EVP_DigestSignInit(ctx, &pctx, digestFor(alg), nullptr, key.pkey.get()) != 1)
        throw std::runtime_error("sign init");
    if (alg[0] == 'P') {
        EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
    }
    std::size_t len = 0;
    EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    std::string sig(len, '\0');
    if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
        throw std::runtime_error("sign");
    }
    sig.resize(len);
    EVP_MD_CTX_free(ctx);
    if (alg[0] != 'E' || format == EcFormat::Der) return sig;
    const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* ecdsa = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    const int part = key.fieldBytes();
    std::string raw(2 * part, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(ecdsa), reinterpret_cast<unsigned char*>(raw.data()), part);
    BN_bn2binpad(ECDSA_SIG_get0_s(ecdsa), reinterpret_cast<unsigned char*>(raw.data()) + part,
                 part);
    ECDSA_SIG_free(ecdsa);
    return raw;
}

// A compact JWS over the given header and payload JSON, exactly as written.
inline std::string signJwt(const std::string& alg, const TestKey& key,
                           const std::string& headerJson, const std::string& payloadJson,
                           EcFormat format = EcFormat::Raw) {
    const std::string input = b64url(headerJson) + "." + b64url(payloadJson);
    return input + "." + b64url(signBytes(alg, key, input, format));
}

inline std::string hs256Jwt(const std::string& secret, const std::string& headerJson,
                            const std::string& payloadJson) {
    const std::string input = b64url(headerJson) + "." + b64url(payloadJson);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
    return input + "." + b64url(std::string(reinterpret_cast<char*>(mac), len));
}

// ---- clock ------------------------------------------------------------------------------

class ManualClock {
  public:
    ManualClock() : state_(std::make_shared<State>()) {
        state_->now = std::chrono::system_clock::now();
    }
    mcph::auth::NowFunction fn() const {
        return [s = state_] {
            std::lock_guard<std::mutex> lock(s->mutex);
            return s->now;
        };
    }
    mcph::auth::TimePoint now() const { return fn()(); }
    long long epoch() const {
        return std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count();
    }
    void advance(std::chrono::seconds by) {
        std::lock_guard<std::mutex> lock(state_->mutex);
        state_->now += by;
    }

  private:
    struct State {
        std::mutex mutex;
        mcph::auth::TimePoint now;
    };
    std::shared_ptr<State> state_;
};

}  // namespace authtest
