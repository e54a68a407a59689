#include "mcp/RequestStateKey.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <stdexcept>

#include "mcphost/auth/Base64Url.h"

namespace mcph::mcp {

RequestStateKey RequestStateKey::random() {
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        throw std::runtime_error("no randomness for the requestState key");
    return RequestStateKey(std::string(reinterpret_cast<char*>(bytes), sizeof bytes));
}

RequestStateKey RequestStateKey::fromSecret(const std::string& secret) {
    unsigned char digest[32];
    const std::string labelled = "mcp-host requestState:" + secret;
    SHA256(reinterpret_cast<const unsigned char*>(labelled.data()), labelled.size(), digest);
    return RequestStateKey(std::string(reinterpret_cast<char*>(digest), sizeof digest));
}

std::string RequestStateKey::sign(const std::string& payload) const {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), bytes_.data(), static_cast<int>(bytes_.size()),
         reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), mac, &len);
    return auth::Base64Url::encode(std::string(reinterpret_cast<char*>(mac), len));
}

}  // namespace mcph::mcp
