#include "mcphost/auth/server/SignInBackoff.h"

#include <algorithm>
#include <stdexcept>

namespace mcph::auth::server {

namespace {

// Longer names are still tracked, by their first bytes: a guesser gains nothing by varying the
// tail of a name that long, and the table stays small.
constexpr std::size_t kMaxKeyBytes = 256;

}  // namespace

SignInBackoff::SignInBackoff(SignInBackoffOptions options) : options_(std::move(options)) {
    if (options_.freeFailures < 1 || options_.firstWait.count() <= 0 ||
        options_.maxWait < options_.firstWait || options_.maxAccounts == 0) {
        throw std::invalid_argument(
            "sign-in back-off needs a free failure, a positive first wait, a maximum above it and "
            "room");
    }
}

std::string SignInBackoff::keyOf(const std::string& username) {
    return username.substr(0, kMaxKeyBytes);
}

long long SignInBackoff::tryAttempt(const std::string& username) {
    const std::string key = keyOf(username);
    std::lock_guard<std::mutex> lock(mutex_);
    const TimePoint now = options_.now();
    auto it = records_.find(key);
    if (it == records_.end()) {
        while (records_.size() >= options_.maxAccounts) {
            records_.erase(lru_.back());
            lru_.pop_back();
        }
        lru_.push_front(key);
        it = records_.emplace(key, Record{0, now, now, lru_.begin()}).first;
    } else {
        lru_.splice(lru_.begin(), lru_, it->second.lru);
    }
    Record& r = it->second;
    if (now - r.lastAttempt > options_.forgetAfter) r.failures = 0;
    if (now < r.nextAllowed) {
        return std::chrono::ceil<std::chrono::seconds>(r.nextAllowed - now).count();
    }
    r.lastAttempt = now;
    ++r.failures;
    if (r.failures >= options_.freeFailures) {
        // Doubling from firstWait; the shift is bounded so it cannot overflow before the cap.
        const int doublings = std::min(r.failures - options_.freeFailures, 30);
        const auto wait = std::min<std::chrono::seconds>(options_.maxWait,
                                                         options_.firstWait * (1LL << doublings));
        r.nextAllowed = now + wait;
    }
    return 0;
}

void SignInBackoff::succeeded(const std::string& username) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = records_.find(keyOf(username));
    if (it == records_.end()) return;
    lru_.erase(it->second.lru);
    records_.erase(it);
}

std::size_t SignInBackoff::trackedAccounts() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return records_.size();
}

}  // namespace mcph::auth::server
