#include "mcphost/auth/server/RateLimiter.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mcph::auth::server {

RateLimiter::RateLimiter(RateLimiterOptions options) : options_(std::move(options)) {
    if (options_.burst < 1 || options_.perWindow <= 0 || options_.window.count() <= 0 || options_.maxKeys == 0) {
        throw std::invalid_argument("rate limiter needs a burst >= 1, a positive rate and room for one key");
    }
}

void RateLimiter::refill(Bucket& b, TimePoint now) const {
    const double elapsed = std::chrono::duration<double>(now - b.updated).count();
    if (elapsed > 0) {
        b.tokens = std::min(options_.burst, b.tokens + elapsed * options_.perWindow / options_.window.count());
        b.updated = now;
    }
}

void RateLimiter::evictIfNeeded(TimePoint now) {
    if (buckets_.size() < options_.maxKeys) return;
    // Full buckets carry no information: dropping them forgets nothing.
    for (auto it = buckets_.begin(); it != buckets_.end();) {
        refill(it->second, now);
        if (it->second.tokens >= options_.burst) {
            lru_.erase(it->second.lru);
            it = buckets_.erase(it);
        } else {
            ++it;
        }
    }
    while (buckets_.size() >= options_.maxKeys) {
        buckets_.erase(lru_.back());
        lru_.pop_back();
    }
}

bool RateLimiter::allow(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto now = options_.now();
    auto it = buckets_.find(key);
    if (it == buckets_.end()) {
        evictIfNeeded(now);
        lru_.push_front(key);
        it = buckets_.emplace(key, Bucket{options_.burst, now, lru_.begin()}).first;
    } else {
        lru_.splice(lru_.begin(), lru_, it->second.lru);
        refill(it->second, now);
    }
    if (it->second.tokens < 1) return false;
    it->second.tokens -= 1;
    return true;
}

long long RateLimiter::retryAfterSeconds(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = buckets_.find(key);
    if (it == buckets_.end()) return 0;
    refill(it->second, options_.now());
    if (it->second.tokens >= 1) return 0;
    const double secondsPerToken = options_.window.count() / options_.perWindow;
    return static_cast<long long>(std::ceil((1 - it->second.tokens) * secondsPerToken));
}

std::size_t RateLimiter::trackedKeys() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return buckets_.size();
}

}  // namespace mcph::auth::server
