#pragma once
// Recently verified tokens, so the hot path skips signature checks and introspection calls.
// Keyed by the SHA-256 of the token: the cache never holds a usable credential. Bounded, least
// recently used entries go first; entries die at their own expiry.
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "mcphost/auth/AuthContext.h"
#include "mcphost/auth/Clock.h"

namespace mcph::auth {

class VerifiedTokenCache {
public:
    explicit VerifiedTokenCache(std::size_t capacity = 10000) : capacity_(capacity) {}

    // The context cached for `token`, if any and not expired at `now`.
    std::optional<AuthContext> get(const std::string& token, TimePoint now);
    // Caches until `expiresAt` (nothing happens if that is not after `now` or capacity is 0).
    void put(const std::string& token, const AuthContext& ctx, TimePoint expiresAt, TimePoint now);
    std::size_t size() const;

    static std::string sha256(const std::string& data);  // raw 32 bytes

private:
    struct Entry {
        std::string key;
        AuthContext ctx;
        TimePoint expiresAt;
    };

    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::list<Entry> lru_;  // most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace mcph::auth
