#pragma once
// A token bucket per key (the client address at /register). Claude, Zed and Claude Code
// register on every login, in bursts, so the limit must sit above ~10 a minute per address
// (docs/client-interop.md#registration-bursts-and-unused-clients); the default allows a burst
// of 20 refilled at 20 a minute. Memory is bounded: past `maxKeys` the idle (full) buckets are
// dropped first, then the least recently used one, so a flood of distinct addresses costs at most
// maxKeys entries.
#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "mcphost/auth/Clock.h"
#include "mcphost/auth/server/RateLimit.h"

namespace mcph::auth::server {

struct RateLimiterOptions {
    double burst = 20;                         // bucket size
    double perWindow = 20;                     // tokens added per window
    std::chrono::seconds window{60};
    std::size_t maxKeys = 10000;
    NowFunction now = systemClock();
};

// The in-memory RateLimit, one instance's own.
class RateLimiter final : public RateLimit {
  public:
    explicit RateLimiter(RateLimiterOptions options = {});

    // Takes one token for `key`; false when the bucket is empty (answer 429).
    bool allow(const std::string& key) override;
    // Seconds until `key` has a token again (for Retry-After); 0 when it has one now.
    long long retryAfterSeconds(const std::string& key) override;
    std::size_t trackedKeys() const;

private:
    struct Bucket {
        double tokens;
        TimePoint updated;
        std::list<std::string>::iterator lru;
    };
    void refill(Bucket& b, TimePoint now) const;
    void evictIfNeeded(TimePoint now);  // caller holds mutex_

    RateLimiterOptions options_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Bucket> buckets_;
    std::list<std::string> lru_;  // front = most recently used
};

}  // namespace mcph::auth::server
