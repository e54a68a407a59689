// Refresh token families in SqliteAuthStore: rotation, the grace window for the immediately
// previous token, reuse detection, revocation (RFC 7009), restart and concurrent rotation.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "proxy_test_support.h"

using namespace mcph::auth::server;
using mcph::auth::TimePoint;
using namespace std::chrono_literals;
using proxytest::openStore;
using proxytest::TempDir;

namespace {

const TimePoint t0{std::chrono::seconds(1'800'000'000)};

Grant grant() { return {"client-1", "user-1", "u1@example.com", "User One", {"mcp:read"}, "https://mcp.example.com/mcp"}; }

class ProxyRefreshRotation : public ::testing::Test {
protected:
    void SetUp() override { store_ = open(); }
    std::unique_ptr<SqliteAuthStore> open() {
        return openStore(dir_.file("proxy.db"), [](SqliteAuthStoreOptions& o) {
            o.refreshGrace = 30s;
            o.refreshLifetime = 24h;
        });
    }
    std::string rotate(const std::string& token, TimePoint t, RotateStatus expected) {
        const auto r = store_->rotateRefreshToken(token, "client-1", t);
        EXPECT_EQ(r.status, expected);
        EXPECT_EQ(r.issued.has_value(), expected == RotateStatus::Rotated || expected == RotateStatus::GraceReplay);
        return r.issued ? r.issued->token : "";
    }

    TempDir dir_;
    std::unique_ptr<SqliteAuthStore> store_;
};

}  // namespace

TEST_F(ProxyRefreshRotation, EachRotationIssuesANewTokenOfTheNextGeneration) {
    const auto first = store_->createRefreshFamily(grant(), "", t0);
    EXPECT_EQ(first.generation, 1);
    EXPECT_EQ(first.token.size(), 43u);
    const auto r = store_->rotateRefreshToken(first.token, "client-1", t0 + 1min);
    ASSERT_EQ(r.status, RotateStatus::Rotated);
    ASSERT_TRUE(r.issued);
    EXPECT_EQ(r.issued->generation, 2);
    EXPECT_EQ(r.issued->familyId, first.familyId);
    EXPECT_NE(r.issued->token, first.token);
    EXPECT_EQ(r.issued->grant.subject, "user-1");
    EXPECT_EQ(r.issued->grant.clientId, "client-1");
    EXPECT_EQ(r.issued->grant.scopes, std::vector<std::string>{"mcp:read"});
    EXPECT_EQ(r.issued->grant.resource, "https://mcp.example.com/mcp");
    const auto third = store_->rotateRefreshToken(r.issued->token, "client-1", t0 + 2min);
    ASSERT_EQ(third.status, RotateStatus::Rotated);
    EXPECT_EQ(third.issued->generation, 3);
}

TEST_F(ProxyRefreshRotation, PreviousTokenWithinGraceGetsAFreshSiblingWithoutRevoking) {
    const auto t1 = store_->createRefreshFamily(grant(), "", t0).token;
    const auto t2 = rotate(t1, t0 + 1min, RotateStatus::Rotated);
    const auto sibling = rotate(t1, t0 + 1min + 30s, RotateStatus::GraceReplay);
    EXPECT_NE(sibling, t2);
    EXPECT_NE(sibling, t1);
    // Both holders of the current generation can go on; the first to rotate wins the lead.
    const auto t3 = rotate(sibling, t0 + 2min, RotateStatus::Rotated);
    rotate(t2, t0 + 2min + 10s, RotateStatus::GraceReplay);
    rotate(t3, t0 + 3min, RotateStatus::Rotated);
}

TEST_F(ProxyRefreshRotation, GraceReplaysDoNotStretchTheWindow) {
    const auto t1 = store_->createRefreshFamily(grant(), "", t0).token;
    rotate(t1, t0, RotateStatus::Rotated);
    rotate(t1, t0 + 20s, RotateStatus::GraceReplay);
    rotate(t1, t0 + 31s, RotateStatus::ReuseDetected);
}

TEST_F(ProxyRefreshRotation, PreviousTokenAfterGraceRevokesTheWholeFamily) {
    const auto t1 = store_->createRefreshFamily(grant(), "", t0).token;
    const auto t2 = rotate(t1, t0, RotateStatus::Rotated);
    rotate(t1, t0 + 31s, RotateStatus::ReuseDetected);
    rotate(t2, t0 + 32s, RotateStatus::Invalid);  // the legitimate holder must sign in again
}

TEST_F(ProxyRefreshRotation, OlderGenerationRevokesEvenInsideTheGraceWindow) {
    const auto t1 = store_->createRefreshFamily(grant(), "", t0).token;
    const auto t2 = rotate(t1, t0 + 1s, RotateStatus::Rotated);
    const auto t3 = rotate(t2, t0 + 2s, RotateStatus::Rotated);
    rotate(t1, t0 + 3s, RotateStatus::ReuseDetected);
    rotate(t3, t0 + 4s, RotateStatus::Invalid);
}

TEST_F(ProxyRefreshRotation, ZeroGraceTreatsAnyReplayAsTheft) {
    store_ = openStore(dir_.file("zero.db"), [](SqliteAuthStoreOptions& o) { o.refreshGrace = 0s; });
    const auto t1 = store_->createRefreshFamily(grant(), "", t0).token;
    rotate(t1, t0, RotateStatus::Rotated);
    rotate(t1, t0 + 1s, RotateStatus::ReuseDetected);
}

TEST_F(ProxyRefreshRotation, OtherFamiliesAreUntouchedByARevocation) {
    const auto a = store_->createRefreshFamily(grant(), "", t0).token;
    const auto b = store_->createRefreshFamily(grant(), "", t0).token;
    rotate(a, t0, RotateStatus::Rotated);
    rotate(a, t0 + 1h, RotateStatus::ReuseDetected);
    rotate(b, t0 + 1h, RotateStatus::Rotated);
}

TEST_F(ProxyRefreshRotation, UnknownAndExpiredTokensAreInvalid) {
    rotate("no-such-token", t0, RotateStatus::Invalid);
    rotate("", t0, RotateStatus::Invalid);
    const auto t1 = store_->createRefreshFamily(grant(), "", t0).token;
    rotate(t1, t0 + 24h + 1s, RotateStatus::Invalid);
}

// The family's lifetime counts from the sign-in that started it: refreshing does not extend it,
// so a grant ends at the latest refreshLifetime after the user last proved who they are.
TEST_F(ProxyRefreshRotation, TheLifetimeIsAbsoluteFromTheFirstSignIn) {
    const auto family = store_->createRefreshFamily(grant(), "", t0);
    const auto t2 = rotate(family.token, t0 + 10h, RotateStatus::Rotated);
    const auto t3 = rotate(t2, t0 + 20h, RotateStatus::Rotated);
    EXPECT_TRUE(store_->activeGrant(family.familyId, t0 + 24h - 1s));
    rotate(t3, t0 + 24h + 1s, RotateStatus::Invalid);
    EXPECT_FALSE(store_->activeGrant(family.familyId, t0 + 24h + 1s));
}

TEST_F(ProxyRefreshRotation, AnIdleFamilyEndsAfterTheIdleTimeout) {
    store_ = openStore(dir_.file("idle.db"), [](SqliteAuthStoreOptions& o) {
        o.refreshLifetime = 24h;
        o.refreshIdle = 2h;
    });
    const auto family = store_->createRefreshFamily(grant(), "", t0);
    const auto t2 = rotate(family.token, t0 + 1h, RotateStatus::Rotated);  // used: idle restarts
    const auto t3 = rotate(t2, t0 + 3h, RotateStatus::Rotated);            // 2 h after the last use
    EXPECT_TRUE(store_->activeGrant(family.familyId, t0 + 5h));
    EXPECT_FALSE(store_->activeGrant(family.familyId, t0 + 5h + 1s));  // access tokens end with it
    rotate(t3, t0 + 5h + 1s, RotateStatus::Invalid);
    EXPECT_TRUE(store_->activeGrants(t0 + 5h + 1s).empty());
}

TEST_F(ProxyRefreshRotation, ANarrowedGrantIssuesOnlyTheRemainingScopes) {
    Grant g = grant();
    g.scopes = {"mcp:read", "mcp:write"};
    g.facts.subject = "user-1";
    g.facts.organizations = {"acme"};
    const auto family = store_->createRefreshFamily(g, "", t0);
    store_->narrowGrant(family.familyId, {"mcp:read"});
    const auto r = store_->rotateRefreshToken(family.token, "client-1", t0 + 1s);
    ASSERT_TRUE(r.issued);
    EXPECT_EQ(r.issued->grant.scopes, std::vector<std::string>{"mcp:read"});
    EXPECT_EQ(r.issued->grant.facts, g.facts);  // the sign-in's facts travel with the grant
    EXPECT_EQ(store_->activeGrant(family.familyId, t0 + 1s)->scopes, std::vector<std::string>{"mcp:read"});
}

TEST_F(ProxyRefreshRotation, AnEndedGrantCannotBeRefreshedWhoeverOwnsIt) {
    const auto family = store_->createRefreshFamily(grant(), "", t0);
    const auto other = store_->createRefreshFamily(grant(), "", t0);
    store_->endGrant(family.familyId);
    rotate(family.token, t0 + 1s, RotateStatus::Invalid);
    EXPECT_FALSE(store_->activeGrant(family.familyId, t0 + 1s));
    ASSERT_EQ(store_->activeGrants(t0 + 1s).size(), 1u);
    EXPECT_EQ(store_->activeGrants(t0 + 1s).front().familyId, other.familyId);
}

TEST_F(ProxyRefreshRotation, AnotherClientCannotUseOrBurnTheToken) {
    const auto t1 = store_->createRefreshFamily(grant(), "", t0).token;
    const auto stolen = store_->rotateRefreshToken(t1, "client-2", t0);
    EXPECT_EQ(stolen.status, RotateStatus::Invalid);
    EXPECT_FALSE(stolen.issued);
    EXPECT_EQ(store_->rotateRefreshToken(t1, "", t0).status, RotateStatus::Invalid);
    // Nothing changed: the owner still holds the current generation, even far past the grace window.
    rotate(t1, t0 + 1h, RotateStatus::Rotated);
}

TEST_F(ProxyRefreshRotation, RevokeKillsTheFamilyOnlyForItsOwnClient) {
    const auto t1 = store_->createRefreshFamily(grant(), "", t0).token;
    const auto t2 = rotate(t1, t0, RotateStatus::Rotated);
    EXPECT_FALSE(store_->revokeRefreshToken(t2, "client-2"));
    EXPECT_FALSE(store_->revokeRefreshToken("unknown", "client-1"));
    rotate(t2, t0 + 1s, RotateStatus::Rotated);  // still alive after a foreign revoke attempt
    const auto t4 = store_->createRefreshFamily(grant(), "", t0).token;
    EXPECT_TRUE(store_->revokeRefreshToken(t4, "client-1"));
    rotate(t4, t0 + 1s, RotateStatus::Invalid);
    // Revoking with the previous generation's token also ends the family.
    const auto t5 = store_->createRefreshFamily(grant(), "", t0).token;
    const auto t6 = rotate(t5, t0, RotateStatus::Rotated);
    EXPECT_TRUE(store_->revokeRefreshToken(t5, "client-1"));
    rotate(t6, t0 + 1s, RotateStatus::Invalid);
}

TEST_F(ProxyRefreshRotation, RotationStateSurvivesARestart) {
    const auto t1 = store_->createRefreshFamily(grant(), "", t0).token;
    const auto t2 = rotate(t1, t0, RotateStatus::Rotated);
    store_ = open();
    rotate(t1, t0 + 10s, RotateStatus::GraceReplay);
    const auto t3 = rotate(t2, t0 + 11s, RotateStatus::Rotated);
    store_ = open();
    rotate(t1, t0 + 12s, RotateStatus::ReuseDetected);
    rotate(t3, t0 + 13s, RotateStatus::Invalid);
}

TEST_F(ProxyRefreshRotation, ConcurrentRotationOfOneTokenYieldsOneLeaderAndGraceSiblings) {
    // Parallel sessions of one CLI sharing a token: none of them may trip reuse detection.
    const auto t1 = store_->createRefreshFamily(grant(), "", t0).token;
    auto other = open();  // a second connection
    constexpr int kThreads = 6;
    std::atomic<int> rotated{0}, grace{0}, bad{0};
    std::mutex m;
    std::condition_variable cv;
    bool go = false;
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            {
                std::unique_lock<std::mutex> lock(m);
                cv.wait(lock, [&] { return go; });
            }
            try {
                const auto r = (i % 2 ? *store_ : *other).rotateRefreshToken(t1, "client-1", t0 + 1s);
                if (r.status == RotateStatus::Rotated) ++rotated;
                else if (r.status == RotateStatus::GraceReplay) ++grace;
                else ++bad;
            } catch (...) {
                ++bad;
            }
        });
    }
    {
        std::lock_guard<std::mutex> lock(m);
        go = true;
    }
    cv.notify_all();
    for (auto& th : threads) th.join();
    EXPECT_EQ(rotated.load(), 1);
    EXPECT_EQ(grace.load(), kThreads - 1);
    EXPECT_EQ(bad.load(), 0);
}
