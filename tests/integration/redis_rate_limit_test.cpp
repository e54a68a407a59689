// RedisRateLimiter and RedisSignInBackoff against a real redis-server, with two objects (each on
// its own connection) standing for two instances and a manual clock: one bucket per key across
// both, refilled on the caller's clock; the same answers as the in-memory RateLimiter and
// SignInBackoff; limits by name independent; client addresses and usernames only hashed in
// Redis; a Redis that is gone refuses (RedisUnavailable, a 503), never allows, and a restarted
// one is used again at once.
#include <Poco/Redis/Array.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "mcphost/auth/server/RateLimiter.h"
#include "mcphost/auth/server/RedisRateLimiter.h"
#include "mcphost/auth/server/RedisSignInBackoff.h"
#include "mcphost/auth/server/Secrets.h"
#include "mcphost/auth/server/SignInBackoff.h"
#include "support/RedisDump.h"
#include "support/RedisServer.h"

using namespace mcph::auth::server;
using mcph::testing::dumpRedis;
using mcph::testing::RedisServer;
using namespace std::chrono_literals;

namespace {

const std::string kAddress = "198.51.100.7";

struct Clock {
    std::shared_ptr<mcph::auth::TimePoint> t =
        std::make_shared<mcph::auth::TimePoint>(std::chrono::seconds(1'800'000'000));
    mcph::auth::NowFunction fn() const {
        return [t = t] { return *t; };
    }
    void advance(std::chrono::milliseconds d) { *t += d; }
};

// One connection per object, as two host processes have.
std::shared_ptr<RedisConnection> connectTo(const RedisServer& redis) {
    RedisEndpoint endpoint;
    endpoint.url = redis.url();
    return std::make_shared<RedisConnection>(endpoint);
}

// A burst of 3, refilled at 3 a minute: a token every 20 s.
RateLimiterOptions limit(const Clock& c) {
    RateLimiterOptions o;
    o.burst = 3;
    o.perWindow = 3;
    o.window = 60s;
    o.now = c.fn();
    return o;
}

RedisRateLimiter limiter(const RedisServer& redis, const Clock& c,
                         const std::string& name = "register") {
    return RedisRateLimiter(connectTo(redis), "mcph:", name, limit(c));
}

SignInBackoffOptions backoffOptions(const Clock& c) {
    SignInBackoffOptions o;
    o.freeFailures = 3;
    o.firstWait = 10s;
    o.maxWait = 60s;
    o.now = c.fn();
    return o;
}

RedisSignInBackoff backoff(const RedisServer& redis, const Clock& c) {
    return RedisSignInBackoff(connectTo(redis), "mcph:", backoffOptions(c));
}

}  // namespace

TEST(RedisRateLimiter, TwoInstancesTakeFromOneBucketPerKey) {
    RedisServer redis;
    Clock c;
    auto a = limiter(redis, c);
    auto b = limiter(redis, c);
    // The burst is 3 in all, not 3 on each.
    EXPECT_TRUE(a.allow(kAddress));
    EXPECT_TRUE(b.allow(kAddress));
    EXPECT_TRUE(a.allow(kAddress));
    EXPECT_FALSE(b.allow(kAddress));
    EXPECT_FALSE(a.allow(kAddress));
    EXPECT_EQ(a.retryAfterSeconds(kAddress), 20);
    EXPECT_EQ(b.retryAfterSeconds(kAddress), 20);
    // Refilled on the caller's clock, on either instance.
    c.advance(15s);
    EXPECT_EQ(b.retryAfterSeconds(kAddress), 5);
    EXPECT_FALSE(b.allow(kAddress));
    c.advance(5s);
    EXPECT_EQ(a.retryAfterSeconds(kAddress), 0);
    EXPECT_TRUE(b.allow(kAddress));
    EXPECT_FALSE(a.allow(kAddress));
    // A whole window later the bucket is full again, and holds no more than the burst.
    c.advance(10min);
    EXPECT_TRUE(a.allow(kAddress));
    EXPECT_TRUE(b.allow(kAddress));
    EXPECT_TRUE(a.allow(kAddress));
    EXPECT_FALSE(b.allow(kAddress));
    // Another address has its own bucket.
    EXPECT_TRUE(b.allow("198.51.100.8"));
    EXPECT_EQ(a.retryAfterSeconds("198.51.100.9"), 0);
}

TEST(RedisRateLimiter, AnswersAsTheInMemoryLimiterDoes) {
    RedisServer redis;
    Clock c;
    auto shared = limiter(redis, c);
    RateLimiter memory(limit(c));
    // Uneven steps, refused calls among them: every answer the same.
    for (const std::chrono::milliseconds step :
         {0ms, 0ms, 1ms, 0ms, 7000ms, 13500ms, 2000ms, 0ms, 40000ms, 999ms, 180000ms, 0ms}) {
        c.advance(step);
        const bool allowed = memory.allow(kAddress);
        EXPECT_EQ(shared.allow(kAddress), allowed) << step.count();
        EXPECT_EQ(shared.retryAfterSeconds(kAddress), memory.retryAfterSeconds(kAddress))
            << step.count();
    }
}

TEST(RedisRateLimiter, LimitsByNameAreIndependent) {
    RedisServer redis;
    Clock c;
    auto registrations = limiter(redis, c, "register");
    auto tokens = limiter(redis, c, "token");
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(registrations.allow(kAddress));
    EXPECT_FALSE(registrations.allow(kAddress));
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(tokens.allow(kAddress)) << i;
    EXPECT_FALSE(tokens.allow(kAddress));
}

TEST(RedisRateLimiter, KeysAndUsernamesAreStoredOnlyAsHashes) {
    RedisServer redis;
    Clock c;
    auto a = limiter(redis, c);
    auto accounts = backoff(redis, c);
    a.allow(kAddress);
    accounts.tryAttempt("alice@example.com");
    const std::string all = dumpRedis(redis);
    EXPECT_NE(all.find("mcph:rate:register:" + Secrets::sha256Hex(kAddress)), std::string::npos)
        << all;
    EXPECT_NE(all.find("mcph:sign-in-backoff:" + Secrets::sha256Hex("alice@example.com")),
              std::string::npos)
        << all;
    EXPECT_EQ(all.find(kAddress), std::string::npos) << all;
    EXPECT_EQ(all.find("198.51.100"), std::string::npos) << all;
    EXPECT_EQ(all.find("alice"), std::string::npos) << all;
}

TEST(RedisRateLimiter, ABucketExpiresOnceItWouldBeFullAgain) {
    RedisServer redis;
    Clock c;
    auto a = limiter(redis, c);
    a.allow(kAddress);
    const std::string all = dumpRedis(redis);
    ASSERT_NE(all.find("mcph:rate:"), std::string::npos) << all;
    // One token taken of 3: full again in 20 s, so Redis forgets it by then (not at once).
    Poco::Redis::Array ttl;
    ttl << "PTTL"
        << "mcph:rate:register:" + Secrets::sha256Hex(kAddress);
    const Poco::Int64 left = connectTo(redis)->execute<Poco::Int64>(ttl);
    EXPECT_GT(left, 15'000);
    EXPECT_LE(left, 20'000);
}

TEST(RedisRateLimiter, AnUnreachableRedisRefusesAndARestartedOneIsUsedAtOnce) {
    RedisServer redis;
    Clock c;
    auto a = limiter(redis, c);
    auto accounts = backoff(redis, c);
    ASSERT_TRUE(a.allow(kAddress));
    ASSERT_EQ(accounts.tryAttempt("alice"), 0);
    // Restarted while idle: both connections are dead, and the first calls still succeed.
    redis.restart();  // no persistence: empty again
    EXPECT_TRUE(a.allow(kAddress));
    EXPECT_EQ(accounts.tryAttempt("alice"), 0);
    // Gone: every call throws (503 at the endpoint), none allows.
    redis.stop();
    EXPECT_THROW(a.allow(kAddress), RedisUnavailable);
    EXPECT_THROW(a.retryAfterSeconds(kAddress), RedisUnavailable);
    EXPECT_THROW(accounts.tryAttempt("alice"), RedisUnavailable);
    EXPECT_THROW(accounts.succeeded("alice"), RedisUnavailable);
    redis.restart();
    EXPECT_TRUE(a.allow(kAddress));
    EXPECT_EQ(accounts.tryAttempt("alice"), 0);
}

// The README's ACL for the host's user covers the limits too.
TEST(RedisRateLimiter, TheDocumentedAclIsEnough) {
    RedisServer redis(false, {"--user", "mcp-host", "on", ">acl-password-value", "~mcph:*",
                              "+@read", "+@write", "+@scripting", "+ping"});
    RedisEndpoint endpoint;
    endpoint.url = redis.url();
    endpoint.username = "mcp-host";
    endpoint.password = "acl-password-value";
    const auto connection = std::make_shared<RedisConnection>(endpoint);
    Clock c;
    RedisRateLimiter a(connection, "mcph:", "register", limit(c));
    RedisSignInBackoff accounts(connection, "mcph:", backoffOptions(c));
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(a.allow(kAddress));
    EXPECT_FALSE(a.allow(kAddress));
    EXPECT_EQ(a.retryAfterSeconds(kAddress), 20);
    EXPECT_EQ(accounts.tryAttempt("alice"), 0);
    accounts.succeeded("alice");
}

TEST(RedisSignInBackoff, FailuresOnOneInstanceMakeTheOtherWaitAndASuccessClearsBoth) {
    RedisServer redis;
    Clock c;
    auto a = backoff(redis, c);
    auto b = backoff(redis, c);
    // Three free attempts in all, whichever instance they land on.
    EXPECT_EQ(a.tryAttempt("alice"), 0);
    EXPECT_EQ(b.tryAttempt("alice"), 0);
    EXPECT_EQ(a.tryAttempt("alice"), 0);
    EXPECT_EQ(b.tryAttempt("alice"), 10);
    EXPECT_EQ(a.tryAttempt("alice"), 10);
    c.advance(9s);
    EXPECT_EQ(b.tryAttempt("alice"), 1);  // a refused attempt does not extend the wait
    c.advance(1s);
    EXPECT_EQ(b.tryAttempt("alice"), 0);  // the fourth failure doubles the wait
    EXPECT_EQ(a.tryAttempt("alice"), 20);
    EXPECT_EQ(b.tryAttempt("bob"), 0);  // other accounts are not affected
    // A success on one instance clears the account on both.
    c.advance(20s);
    EXPECT_EQ(a.tryAttempt("alice"), 0);
    a.succeeded("alice");
    for (int i = 0; i < 3; ++i) EXPECT_EQ(b.tryAttempt("alice"), 0) << i;
    EXPECT_EQ(a.tryAttempt("alice"), 10);
}

TEST(RedisSignInBackoff, AnswersAsTheInMemoryBackoffDoes) {
    RedisServer redis;
    Clock c;
    auto shared = backoff(redis, c);
    SignInBackoff memory(backoffOptions(c));
    const std::string longName(1000, 'x');
    const auto same = [&](const std::string& user, const char* when) {
        EXPECT_EQ(shared.tryAttempt(user), memory.tryAttempt(user)) << when << " " << user.size();
    };
    // Free attempts, doubling waits up to the cap, refused attempts inside a wait.
    for (int i = 0; i < 12; ++i) {
        same("alice", "attempt");
        c.advance(i % 3 == 0 ? 5s : 31s);
    }
    // A long quiet spell starts over; a success clears.
    c.advance(25h);
    for (int i = 0; i < 5; ++i) same("alice", "after a quiet spell");
    memory.succeeded("alice");
    shared.succeeded("alice");
    for (int i = 0; i < 5; ++i) same("alice", "after a success");
    // Very long names share a record by their first bytes.
    for (int i = 0; i < 5; ++i) same(longName + std::to_string(i), "long name");
}
