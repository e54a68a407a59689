#pragma once
// RateLimiter's token bucket (burst, perWindow, window) kept in Redis, so every instance sharing
// it (config `redis`) takes from one bucket per key: behind a balancer with N instances the limit
// stays what it says, not N times looser. Each allow() is one Lua script (read, refill, take,
// write, expire), atomic across instances.
//
// Key: <keyPrefix>rate:<name>:<sha256 hex of the key>. The key (a client address) is hashed:
// nothing personal in Redis. A bucket expires once it would be full again, so Redis holds only
// the keys that were limited lately (maxKeys is not used). Time is the options' clock, passed to
// the script, not Redis TIME. A Redis that cannot be reached throws RedisUnavailable (503): never
// "allowed because Redis is down".
#include <memory>
#include <string>

#include "mcphost/auth/server/RateLimit.h"
#include "mcphost/auth/server/RateLimiter.h"
#include "mcphost/auth/server/RedisConnection.h"

namespace mcph::auth::server {

class RedisRateLimiter final : public RateLimit {
  public:
    // `name` tells this limit's buckets from the others' ("register", "token", ...). Throws
    // std::invalid_argument for the options RateLimiter refuses, or an empty name.
    RedisRateLimiter(std::shared_ptr<RedisConnection> redis, std::string keyPrefix,
                     std::string name, RateLimiterOptions options);

    bool allow(const std::string& key) override;
    long long retryAfterSeconds(const std::string& key) override;

  private:
    std::string bucketKey(const std::string& key) const;
    long long windowMs() const;

    std::shared_ptr<RedisConnection> redis_;
    std::string prefix_;  // <keyPrefix>rate:<name>:
    RateLimiterOptions options_;
};

}  // namespace mcph::auth::server
