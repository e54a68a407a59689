#pragma once
// The host's own token signing key: EC P-256 for ES256. Small, fast and allowed by every JWT
// library clients might use. Generated on first start with OpenSSL and kept in the AuthStore
// as PKCS#8 PEM, so tokens survive a restart and all instances sharing a store sign alike.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <Poco/JSON/Object.h>

typedef struct evp_pkey_st EVP_PKEY;

namespace mcph::auth::server {

class AuthStore;

class SigningKey {
public:
    static SigningKey generate();  // throws std::runtime_error if OpenSSL fails
    // Only an EC P-256 private key is accepted; anything else gives nullopt and `error`.
    static std::optional<SigningKey> fromPem(const std::string& pem, std::string& error);
    // The stored key, or a new one stored now. When two instances start at once, both end up
    // with the key that reached the store first. Throws if the stored key is unusable.
    // `sealingSecret` non-empty (a shared store): the key is stored sealed with it
    // (AES-256-GCM), and a stored key in clear or sealed with another secret is refused.
    static SigningKey loadOrCreate(AuthStore& store, const std::string& sealingSecret = "");

    std::string privatePem() const;
    // RFC 7638 thumbprint of the public JWK: stable for the key, so it needs no storage.
    const std::string& kid() const { return kid_; }
    // {"kty":"EC","crv":"P-256","x","y","kid","use":"sig","alg":"ES256"}
    Poco::JSON::Object::Ptr publicJwk() const;
    std::string jwksJson() const;  // {"keys":[publicJwk]}

    // ES256 over `input`: the raw 64-byte R||S form JWS uses (RFC 7518 §3.4), not DER.
    std::string signEs256(std::string_view input) const;

private:
    explicit SigningKey(std::shared_ptr<EVP_PKEY> key);

    std::shared_ptr<EVP_PKEY> key_;
    std::string x_, y_;  // base64url coordinates
    std::string kid_;
};

}  // namespace mcph::auth::server
