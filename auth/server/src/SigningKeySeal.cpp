#include "SigningKeySeal.h"

#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include <memory>
#include <stdexcept>
#include <vector>

#include "mcphost/auth/Base64Url.h"

namespace mcph::auth::server::seal {
namespace {

constexpr char kPrefix[] = "mcph-sealed-v1";
constexpr int kKeyBytes = 32, kNonceBytes = 12, kTagBytes = 16;

struct CipherFree { void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); } };
struct PkeyCtxFree { void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); } };

const unsigned char* bytes(const std::string& s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

// HKDF-SHA256 (RFC 5869): the secret is a passphrase-like string, not key material; the info
// label keeps this key apart from anything else derived from the same secret.
std::string derivedKey(const std::string& secret) {
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr));
    static const std::string info = "mcp-host signing key seal v1";
    std::string key(kKeyBytes, '\0');
    std::size_t length = key.size();
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 ||
        EVP_PKEY_CTX_set_hkdf_md(ctx.get(), EVP_sha256()) <= 0 ||
        EVP_PKEY_CTX_set1_hkdf_key(ctx.get(), bytes(secret), int(secret.size())) <= 0 ||
        EVP_PKEY_CTX_add1_hkdf_info(ctx.get(), bytes(info), int(info.size())) <= 0 ||
        EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char*>(key.data()), &length) <= 0) {
        throw std::runtime_error("HKDF failed");
    }
    return key;
}

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = text.find('.', start);
        parts.push_back(text.substr(start, dot - start));
        if (dot == std::string::npos) return parts;
        start = dot + 1;
    }
}

}  // namespace

bool isSealed(const std::string& stored) {
    return stored.rfind(std::string(kPrefix) + ".", 0) == 0;
}

std::string sealKey(const std::string& pem, const std::string& secret) {
    const std::string key = derivedKey(secret);
    std::string nonce(kNonceBytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), kNonceBytes) != 1)
        throw std::runtime_error("no random bytes for the seal");
    std::unique_ptr<EVP_CIPHER_CTX, CipherFree> ctx(EVP_CIPHER_CTX_new());
    std::string out(pem.size(), '\0');
    std::string tag(kTagBytes, '\0');
    int n = 0, total = 0;
    const std::string aad = kPrefix;
    if (!ctx ||
        EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &n, bytes(aad), int(aad.size())) != 1 ||
        EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n, bytes(pem),
                          int(pem.size())) != 1) {
        throw std::runtime_error("sealing the signing key failed");
    }
    total = n;
    if (EVP_EncryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + total, &n) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, tag.data()) != 1) {
        throw std::runtime_error("sealing the signing key failed");
    }
    out.resize(std::size_t(total + n));
    return std::string(kPrefix) + "." + Base64Url::encode(nonce) + "." + Base64Url::encode(out) +
           "." + Base64Url::encode(tag);
}

std::optional<std::string> openKey(const std::string& sealed, const std::string& secret) {
    const std::vector<std::string> parts = split(sealed);
    if (parts.size() != 4 || parts[0] != kPrefix) return std::nullopt;
    const auto nonce = Base64Url::decode(parts[1]);
    const auto data = Base64Url::decode(parts[2]);
    auto tag = Base64Url::decode(parts[3]);
    if (!nonce || !data || !tag || nonce->size() != kNonceBytes || tag->size() != kTagBytes)
        return std::nullopt;
    const std::string key = derivedKey(secret);
    std::unique_ptr<EVP_CIPHER_CTX, CipherFree> ctx(EVP_CIPHER_CTX_new());
    std::string out(data->size(), '\0');
    int n = 0, total = 0;
    const std::string aad = kPrefix;
    if (!ctx ||
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(*nonce)) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &n, bytes(aad), int(aad.size())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n,
                          bytes(*data), int(data->size())) != 1) {
        return std::nullopt;
    }
    total = n;
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag->data()) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + total, &n) != 1) {
        return std::nullopt;  // another secret, or the text was changed
    }
    out.resize(std::size_t(total + n));
    return out;
}

}  // namespace mcph::auth::server::seal
