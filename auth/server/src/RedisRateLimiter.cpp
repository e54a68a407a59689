#include "mcphost/auth/server/RedisRateLimiter.h"

#include <Poco/Redis/Type.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>

#include "RedisEval.h"
#include "RedisLimitScripts.h"
#include "mcphost/auth/server/Secrets.h"

namespace mcph::auth::server {

namespace {

long long toMs(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// Every digit a double has: the script computes with exactly the caller's numbers.
std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", value);
    return text;
}

std::optional<double> field(const Poco::Redis::Array& reply, std::size_t i) {
    if (reply.isNull() || i >= reply.size()) return std::nullopt;
    const auto value = reply.get<Poco::Redis::BulkString>(i);
    if (value.isNull()) return std::nullopt;
    try {
        return std::stod(value.value());
    } catch (const std::exception&) {
        return std::nullopt;  // not written by this class: read as no bucket
    }
}

}  // namespace

RedisRateLimiter::RedisRateLimiter(std::shared_ptr<RedisConnection> redis, std::string keyPrefix,
                                   std::string name, RateLimiterOptions options)
    : redis_(std::move(redis)),
      prefix_(std::move(keyPrefix) + "rate:" + name + ":"),
      options_(std::move(options)) {
    if (!redis_ || name.empty()) {
        throw std::invalid_argument("a shared rate limit needs a Redis connection and a name");
    }
    RateLimiter check(options_);  // the same options as in memory, refused alike
}

long long RedisRateLimiter::windowMs() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(options_.window).count();
}

std::string RedisRateLimiter::bucketKey(const std::string& key) const {
    return prefix_ + Secrets::sha256Hex(key);
}

bool RedisRateLimiter::allow(const std::string& key) {
    const auto command =
        redis_scripts::eval(redis_scripts::kTakeToken, {bucketKey(key)},
                            {std::to_string(toMs(options_.now())), number(options_.burst),
                             number(options_.perWindow), std::to_string(windowMs())});
    return redis_->execute<Poco::Int64>(command) == 1;
}

long long RedisRateLimiter::retryAfterSeconds(const std::string& key) {
    Poco::Redis::Array command;
    command << "HMGET" << bucketKey(key) << "tokens"
            << "updated";
    const auto bucket = redis_->execute<Poco::Redis::Array>(command);
    auto tokens = field(bucket, 0);
    const auto updated = field(bucket, 1);
    if (!tokens || !updated) return 0;  // no bucket: a full one
    // The script's refill (RateLimiter's), on the stored bucket.
    const double elapsedMs = static_cast<double>(toMs(options_.now())) - *updated;
    if (elapsedMs > 0) {
        *tokens = std::min(options_.burst, *tokens + elapsedMs * options_.perWindow / windowMs());
    }
    if (*tokens >= 1) return 0;
    const double secondsPerToken = options_.window.count() / options_.perWindow;
    return static_cast<long long>(std::ceil((1 - *tokens) * secondsPerToken));
}

}  // namespace mcph::auth::server
