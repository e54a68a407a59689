#pragma once
// One verification key from a JWKS, held as an OpenSSL EVP_PKEY. OpenSSL 3 is the
// well-maintained, constant-time implementation here; we only translate JWK members into its
// parameter builder and never do big-number or curve arithmetic ourselves.
#include <memory>
#include <optional>
#include <string>

#include <Poco/JSON/Object.h>

typedef struct evp_pkey_st EVP_PKEY;

namespace mcph::auth {

enum class KeyType { Rsa, EcP256, EcP384 };

class PublicKey {
public:
    // Builds the key from one JWK object. Returns nullopt (and the reason in `error`) for
    // anything we will not verify with: symmetric keys, unknown kty or crv, malformed members,
    // RSA moduli under 2048 bits, points not on the curve.
    static std::optional<PublicKey> fromJwk(const Poco::JSON::Object& jwk, std::string& error);

    KeyType type() const { return type_; }
    EVP_PKEY* evp() const { return key_.get(); }
    const std::string& kid() const { return kid_; }
    const std::string& alg() const { return alg_; }  // the JWK's "alg", "" when absent

private:
    PublicKey(std::shared_ptr<EVP_PKEY> key, KeyType type, std::string kid, std::string alg)
        : key_(std::move(key)), type_(type), kid_(std::move(kid)), alg_(std::move(alg)) {}

    // Shared: an EVP_PKEY may be used by many threads at once for verification (each with
    // its own EVP_MD_CTX), and copies of the key set must not copy key material.
    std::shared_ptr<EVP_PKEY> key_;
    KeyType type_;
    std::string kid_;
    std::string alg_;
};

}  // namespace mcph::auth
