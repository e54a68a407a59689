#include "mcphost/auth/server/RedisSignInBackoff.h"

#include <chrono>
#include <stdexcept>
#include <string>

#include "RedisEval.h"
#include "RedisLimitScripts.h"
#include "mcphost/auth/server/Secrets.h"

namespace mcph::auth::server {

namespace {

template <typename Duration>
std::string ms(Duration d) {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
}

}  // namespace

RedisSignInBackoff::RedisSignInBackoff(std::shared_ptr<RedisConnection> redis,
                                       std::string keyPrefix, SignInBackoffOptions options)
    : redis_(std::move(redis)),
      prefix_(std::move(keyPrefix) + "sign-in-backoff:"),
      options_(std::move(options)) {
    if (!redis_) throw std::invalid_argument("a shared sign-in back-off needs a Redis connection");
    SignInBackoff check(options_);  // the same options as in memory, refused alike
}

std::string RedisSignInBackoff::recordKey(const std::string& username) const {
    return prefix_ + Secrets::sha256Hex(SignInBackoff::keyOf(username));
}

long long RedisSignInBackoff::tryAttempt(const std::string& username) {
    const auto command = redis_scripts::eval(
        redis_scripts::kTryAttempt, {recordKey(username)},
        {ms(options_.now().time_since_epoch()), std::to_string(options_.freeFailures),
         ms(options_.firstWait), ms(options_.maxWait), ms(options_.forgetAfter)});
    const Poco::Int64 waitMs = redis_->execute<Poco::Int64>(command);
    return waitMs <= 0 ? 0 : (waitMs + 999) / 1000;  // whole seconds, rounded up
}

void RedisSignInBackoff::succeeded(const std::string& username) {
    Poco::Redis::Array command;
    command << "DEL" << recordKey(username);
    redis_->execute<Poco::Int64>(command);
}

}  // namespace mcph::auth::server
