// SignInBackoff on a manual clock: free attempts, then waits that double up to a cap, reset by a
// success or by a long quiet spell, never a lock-out, parallel attempts counted, bounded memory.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "mcphost/auth/server/SignInBackoff.h"

using namespace mcph::auth::server;
using namespace std::chrono_literals;

namespace {

struct Clock {
    std::shared_ptr<mcph::auth::TimePoint> t =
        std::make_shared<mcph::auth::TimePoint>(std::chrono::seconds(1'800'000'000));
    mcph::auth::NowFunction fn() const {
        return [t = t] { return *t; };
    }
    void advance(std::chrono::milliseconds d) { *t += d; }
};

SignInBackoffOptions options(const Clock& c, std::size_t maxAccounts = 100) {
    SignInBackoffOptions o;
    o.freeFailures = 3;
    o.firstWait = 10s;
    o.maxWait = 60s;
    o.maxAccounts = maxAccounts;
    o.now = c.fn();
    return o;
}

}  // namespace

TEST(ProxySignInBackoff, FreeAttemptsThenWaitsThatDoubleUpToTheCap) {
    Clock c;
    SignInBackoff backoff(options(c));
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(backoff.tryAttempt("alice"), 0) << i;  // three typos cost nothing
    EXPECT_EQ(backoff.tryAttempt("alice"), 10);
    c.advance(9s);
    EXPECT_EQ(backoff.tryAttempt("alice"), 1);  // a refused attempt does not extend the wait
    c.advance(1s);
    EXPECT_EQ(backoff.tryAttempt("alice"), 0);  // the fourth failure
    EXPECT_EQ(backoff.tryAttempt("alice"), 20);
    c.advance(20s);
    EXPECT_EQ(backoff.tryAttempt("alice"), 0);
    EXPECT_EQ(backoff.tryAttempt("alice"), 40);
    c.advance(40s);
    EXPECT_EQ(backoff.tryAttempt("alice"), 0);
    EXPECT_EQ(backoff.tryAttempt("alice"), 60);  // capped, never a lock-out
    c.advance(60s);
    EXPECT_EQ(backoff.tryAttempt("alice"), 0);
    EXPECT_EQ(backoff.tryAttempt("alice"), 60);
    // Other accounts are not affected.
    EXPECT_EQ(backoff.tryAttempt("bob"), 0);
}

TEST(ProxySignInBackoff, ASuccessClearsTheAccount) {
    Clock c;
    SignInBackoff backoff(options(c));
    for (int i = 0; i < 3; ++i) EXPECT_EQ(backoff.tryAttempt("alice"), 0);
    c.advance(10s);
    EXPECT_EQ(backoff.tryAttempt("alice"), 0);
    backoff.succeeded("alice");
    EXPECT_EQ(backoff.trackedAccounts(), 0u);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(backoff.tryAttempt("alice"), 0) << i;  // the free attempts are back
}

TEST(ProxySignInBackoff, ParallelAttemptsCountBeforeTheirOutcomeIsKnown) {
    Clock c;
    SignInBackoff backoff(options(c));
    // Three requests that arrive together pass; the fourth waits although none has failed yet.
    for (int i = 0; i < 3; ++i) EXPECT_EQ(backoff.tryAttempt("alice"), 0);
    EXPECT_GT(backoff.tryAttempt("alice"), 0);
}

TEST(ProxySignInBackoff, ALongQuietSpellStartsOver) {
    Clock c;
    SignInBackoff backoff(options(c));
    for (int i = 0; i < 3; ++i) EXPECT_EQ(backoff.tryAttempt("alice"), 0);
    c.advance(25h);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(backoff.tryAttempt("alice"), 0) << i;
    EXPECT_EQ(backoff.tryAttempt("alice"), 10);
}

TEST(ProxySignInBackoff, UnknownNamesAreTrackedAlikeAndMemoryIsBounded) {
    Clock c;
    SignInBackoff backoff(options(c, 3));
    for (int i = 0; i < 3; ++i) EXPECT_EQ(backoff.tryAttempt("no-such-user"), 0);
    EXPECT_EQ(backoff.tryAttempt("no-such-user"), 10);
    for (int i = 0; i < 50; ++i) backoff.tryAttempt("flood-" + std::to_string(i));
    EXPECT_LE(backoff.trackedAccounts(), 3u);
    // Very long names share a record by their first bytes instead of growing the table.
    const std::string longName(1000, 'x');
    for (int i = 0; i < 3; ++i) EXPECT_EQ(backoff.tryAttempt(longName + std::to_string(i)), 0);
    EXPECT_EQ(backoff.tryAttempt(longName + "y"), 10);
}

TEST(ProxySignInBackoff, RefusesNonsenseOptions) {
    Clock c;
    auto with = [&](auto change) {
        SignInBackoffOptions o = options(c);
        change(o);
        return o;
    };
    EXPECT_THROW(SignInBackoff(with([](auto& o) { o.freeFailures = 0; })), std::invalid_argument);
    EXPECT_THROW(SignInBackoff(with([](auto& o) { o.firstWait = 0s; })), std::invalid_argument);
    EXPECT_THROW(SignInBackoff(with([](auto& o) { o.maxWait = 1s; })), std::invalid_argument);
    EXPECT_THROW(SignInBackoff(with([](auto& o) { o.maxAccounts = 0; })), std::invalid_argument);
}
