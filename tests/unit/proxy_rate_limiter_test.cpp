// RateLimiter: bursts, refill with a manual clock, per-key isolation, bounded memory.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "mcphost/auth/server/RateLimiter.h"

using namespace mcph::auth::server;
using namespace std::chrono_literals;

namespace {

struct Clock {
    std::shared_ptr<mcph::auth::TimePoint> t = std::make_shared<mcph::auth::TimePoint>(std::chrono::seconds(1'800'000'000));
    mcph::auth::NowFunction fn() const {
        return [t = t] { return *t; };
    }
    void advance(std::chrono::milliseconds d) { *t += d; }
};

RateLimiterOptions options(const Clock& c, double burst = 3, double perWindow = 3, std::size_t maxKeys = 100) {
    RateLimiterOptions o;
    o.burst = burst;
    o.perWindow = perWindow;
    o.window = 60s;
    o.maxKeys = maxKeys;
    o.now = c.fn();
    return o;
}

}  // namespace

TEST(ProxyRateLimiter, AllowsABurstThenRefusesUntilRefilled) {
    Clock c;
    RateLimiter limiter(options(c));
    EXPECT_TRUE(limiter.allow("10.0.0.1"));
    EXPECT_TRUE(limiter.allow("10.0.0.1"));
    EXPECT_TRUE(limiter.allow("10.0.0.1"));
    EXPECT_FALSE(limiter.allow("10.0.0.1"));
    EXPECT_EQ(limiter.retryAfterSeconds("10.0.0.1"), 20);  // one token per 20 s
    c.advance(19s);
    EXPECT_FALSE(limiter.allow("10.0.0.1"));
    c.advance(1s);
    EXPECT_TRUE(limiter.allow("10.0.0.1"));
    EXPECT_FALSE(limiter.allow("10.0.0.1"));
    c.advance(10min);  // refill is capped at the burst
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.allow("10.0.0.1"));
    EXPECT_FALSE(limiter.allow("10.0.0.1"));
}

TEST(ProxyRateLimiter, DefaultToleratesTheRegistrationBurstsOfRealClients) {
    Clock c;
    RateLimiterOptions o;
    o.now = c.fn();
    RateLimiter limiter(o);
    // Ten logins in a minute from one address (Claude Code re-registering) must all pass.
    for (int i = 0; i < 10; ++i) {
        EXPECT_TRUE(limiter.allow("192.0.2.7"));
        c.advance(6s);
    }
}

TEST(ProxyRateLimiter, KeysAreIndependent) {
    Clock c;
    RateLimiter limiter(options(c, 1, 1));
    EXPECT_TRUE(limiter.allow("a"));
    EXPECT_FALSE(limiter.allow("a"));
    EXPECT_TRUE(limiter.allow("b"));
    EXPECT_EQ(limiter.retryAfterSeconds("b"), 60);
    EXPECT_EQ(limiter.retryAfterSeconds("unknown"), 0);
}

TEST(ProxyRateLimiter, MemoryIsBoundedAndIdleKeysGoFirst) {
    Clock c;
    RateLimiter limiter(options(c, 2, 2, 3));
    EXPECT_TRUE(limiter.allow("busy"));
    EXPECT_TRUE(limiter.allow("busy"));
    EXPECT_FALSE(limiter.allow("busy"));
    for (int i = 0; i < 50; ++i) limiter.allow("flood-" + std::to_string(i));
    EXPECT_LE(limiter.trackedKeys(), 3u);
    // The flood evicted by recency, so the busy key may be forgotten, but never more than maxKeys.
    Clock c2;
    RateLimiter idle(options(c2, 2, 2, 2));
    EXPECT_TRUE(idle.allow("limited"));
    EXPECT_TRUE(idle.allow("limited"));
    EXPECT_TRUE(idle.allow("other"));
    c2.advance(30s);  // "other" is full again, "limited" only half: the full one goes first
    EXPECT_TRUE(idle.allow("new"));
    EXPECT_EQ(idle.trackedKeys(), 2u);
    EXPECT_TRUE(idle.allow("limited"));  // still remembered: one refilled token, then empty
    EXPECT_FALSE(idle.allow("limited"));
}

TEST(ProxyRateLimiter, RefusesNonsenseOptions) {
    Clock c;
    EXPECT_THROW(RateLimiter(options(c, 0)), std::invalid_argument);
    EXPECT_THROW(RateLimiter(options(c, 1, 0)), std::invalid_argument);
    EXPECT_THROW(RateLimiter(options(c, 1, 1, 0)), std::invalid_argument);
}
