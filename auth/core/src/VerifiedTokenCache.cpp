#include "mcphost/auth/VerifiedTokenCache.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace mcph::auth {

std::string VerifiedTokenCache::sha256(const std::string& data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("SHA-256 failed");
    }
    return std::string(reinterpret_cast<const char*>(digest), len);
}

std::optional<AuthContext> VerifiedTokenCache::get(const std::string& token, TimePoint now) {
    if (capacity_ == 0) return std::nullopt;
    const std::string key = sha256(token);
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    if (now >= it->second->expiresAt) {
        lru_.erase(it->second);
        index_.erase(it);
        return std::nullopt;
    }
    lru_.splice(lru_.begin(), lru_, it->second);
    return it->second->ctx;
}

void VerifiedTokenCache::put(const std::string& token, const AuthContext& ctx, TimePoint expiresAt,
                             TimePoint now) {
    if (capacity_ == 0 || expiresAt <= now) return;
    std::string key = sha256(token);
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = index_.find(key);
    if (it != index_.end()) {
        lru_.erase(it->second);
        index_.erase(it);
    }
    lru_.push_front(Entry{key, ctx, expiresAt});
    index_.emplace(std::move(key), lru_.begin());
    while (lru_.size() > capacity_) {
        index_.erase(lru_.back().key);
        lru_.pop_back();
    }
}

std::size_t VerifiedTokenCache::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lru_.size();
}

}  // namespace mcph::auth
