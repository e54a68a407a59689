#pragma once
// A rate limit as the endpoints use it: RateLimiter keeps its buckets in this process,
// RedisRateLimiter in Redis, shared by every instance (config `redis`), so a limit behind a
// balancer is not as many times looser as there are instances.
#include <string>

namespace mcph::auth::server {

class RateLimit {
  public:
    virtual ~RateLimit() = default;

    // Takes one token for `key`; false when the bucket is empty (answer 429). A shared limit
    // that cannot reach its store throws StoreUnavailable (503): never "allowed because down".
    virtual bool allow(const std::string& key) = 0;
    // Seconds until `key` has a token again (for Retry-After); 0 when it has one now.
    virtual long long retryAfterSeconds(const std::string& key) = 0;
};

}  // namespace mcph::auth::server
