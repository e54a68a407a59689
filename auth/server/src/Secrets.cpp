#include "mcphost/auth/server/Secrets.h"

#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "mcphost/auth/Base64Url.h"

namespace mcph::auth::server {

std::string Secrets::randomToken(std::size_t bytes) {
    std::string raw(bytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(raw.size())) != 1) {
        throw std::runtime_error("random generator failed");
    }
    return Base64Url::encode(raw);
}

std::string Secrets::sha256(std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("SHA-256 failed");
    }
    return std::string(reinterpret_cast<char*>(md), len);
}

std::string Secrets::sha256Hex(std::string_view data) {
    static const char* hex = "0123456789abcdef";
    const std::string raw = sha256(data);
    std::string out;
    out.reserve(raw.size() * 2);
    for (unsigned char c : raw) {
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    return out;
}

bool Secrets::constantTimeEquals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    if (a.empty()) return true;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool Secrets::matchesHash(std::string_view secret, std::string_view storedHashHex) {
    if (storedHashHex.empty()) return false;
    return constantTimeEquals(sha256Hex(secret), storedHashHex);
}

}  // namespace mcph::auth::server
