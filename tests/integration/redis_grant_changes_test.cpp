// How a grant change on one instance reaches the others: the store's scripts announce it on
// Redis pub/sub (RedisAuthStore), each instance listens (RedisGrantChanges) and drops its cached
// grant check (GrantCheckingVerifier). Real redis-server; two store objects stand for two
// instances. The signature check is not under test here: the inner verifier accepts any token
// and the grant is named by the token's `sid`, as in the host's own tokens.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mcphost/auth/Base64Url.h"
#include "mcphost/auth/server/GrantCheckingVerifier.h"
#include "mcphost/auth/server/RedisAuthStore.h"
#include "mcphost/auth/server/RedisGrantChanges.h"
#include "support/RedisServer.h"

using namespace mcph::auth::server;
using mcph::auth::AuthContext;
using mcph::auth::Base64Url;
using mcph::auth::TimePoint;
using mcph::auth::TokenVerifier;
using mcph::auth::VerifyResult;
using mcph::testing::RedisServer;
using namespace std::chrono_literals;

namespace {

// Accepts every token, with the scopes it was built with.
class AcceptingVerifier : public TokenVerifier {
  public:
    explicit AcceptingVerifier(std::vector<std::string> scopes) : scopes_(std::move(scopes)) {}
    VerifyResult verify(const std::string&) override {
        AuthContext c;
        c.authenticated = true;
        c.userId = "user-1";
        c.scopes = scopes_;
        return VerifyResult::ok(c);
    }

  private:
    std::vector<std::string> scopes_;
};

std::string tokenFor(const std::string& familyId) {
    return Base64Url::encode(R"({"alg":"ES256"})") + "." +
           Base64Url::encode(R"({"sid":")" + familyId + R"("})") + ".sig";
}

Grant grant() {
    Grant g{"client-1", "user-1", "u1@example.com", "User One", {"mcp:read", "mcp:write"},
            "https://mcp.example.com/mcp"};
    g.facts.subject = "user-1";
    return g;
}

std::unique_ptr<RedisAuthStore> openStore(const RedisServer& redis) {
    RedisAuthStoreOptions o;
    o.endpoint.url = redis.url();
    return std::make_unique<RedisAuthStore>(o);
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds bound = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(5ms);
    }
    return condition();
}

// "Instance B": a store, the verifier over it, and its ear on the channel.
struct Listening {
    std::unique_ptr<RedisAuthStore> store;
    std::shared_ptr<GrantCheckingVerifier> verifier;
    std::unique_ptr<RedisGrantChanges> changes;
    std::mutex mutex;
    std::vector<std::string> heard;

    Listening(const RedisServer& redis, std::vector<std::string> scopes)
        : store(openStore(redis)),
          verifier(std::make_shared<GrantCheckingVerifier>(
              std::make_shared<AcceptingVerifier>(std::move(scopes)), *store)) {
        RedisEndpoint endpoint;
        endpoint.url = redis.url();
        auto v = verifier;
        changes = std::make_unique<RedisGrantChanges>(
            endpoint, RedisAuthStore::grantChangesChannel("mcph:"), [this, v](const std::string& id) {
                v->forgetGrant(id);
                std::lock_guard<std::mutex> lock(mutex);
                heard.push_back(id);
            });
        RedisGrantChanges* feed = changes.get();
        verifier->trustCacheWhile([feed] { return feed->live(); });
    }
    ~Listening() { changes.reset(); }
    bool accepts(const std::string& familyId) {
        return verifier->verify(tokenFor(familyId)).context.has_value();
    }
};

TEST(RedisGrantChanges, ARevocationOnOneInstanceIsRefusedByAnotherWithoutWaitingForItsRecheck) {
    RedisServer redis;
    auto a = openStore(redis);
    const auto family = a->createRefreshFamily(grant(), "", std::chrono::system_clock::now());
    Listening b(redis, {"mcp:read"});
    ASSERT_TRUE(eventually([&] { return b.changes->live(); }));
    ASSERT_TRUE(b.accepts(family.familyId));  // now cached for 5 s

    // Without the announcement, B's cache would still accept it for up to 5 s.
    auto quiet = openStore(redis);
    GrantCheckingVerifier deaf(std::make_shared<AcceptingVerifier>(
                                   std::vector<std::string>{"mcp:read"}),
                               *quiet);
    ASSERT_TRUE(deaf.verify(tokenFor(family.familyId)).context);

    ASSERT_TRUE(a->revokeGrant(family.familyId, "client-1"));
    EXPECT_TRUE(eventually([&] { return !b.accepts(family.familyId); }, 2s));
    EXPECT_TRUE(deaf.verify(tokenFor(family.familyId)).context) << "the cache was not in play";
    std::lock_guard<std::mutex> lock(b.mutex);
    EXPECT_NE(std::find(b.heard.begin(), b.heard.end(), family.familyId), b.heard.end());
}

TEST(RedisGrantChanges, EveryWayAGrantEndsOrNarrowsIsAnnounced) {
    RedisServer redis;
    auto a = openStore(redis);
    Listening b(redis, {"mcp:read", "mcp:write"});
    ASSERT_TRUE(eventually([&] { return b.changes->live(); }));
    const auto now = std::chrono::system_clock::now();
    auto heard = [&](const std::string& id) {
        return eventually([&] {
            std::lock_guard<std::mutex> lock(b.mutex);
            return std::find(b.heard.begin(), b.heard.end(), id) != b.heard.end();
        });
    };

    const auto narrowed = a->createRefreshFamily(grant(), "", now);
    ASSERT_TRUE(b.accepts(narrowed.familyId));
    a->narrowGrant(narrowed.familyId, {"mcp:read"});  // the token carries mcp:write
    EXPECT_TRUE(heard(narrowed.familyId));
    EXPECT_FALSE(b.accepts(narrowed.familyId));

    const auto ended = a->createRefreshFamily(grant(), "", now);
    a->endGrant(ended.familyId);
    EXPECT_TRUE(heard(ended.familyId));

    const auto refreshed = a->createRefreshFamily(grant(), "", now);
    EXPECT_TRUE(a->revokeRefreshToken(refreshed.token, "client-1"));
    EXPECT_TRUE(heard(refreshed.familyId));

    const auto replayed = a->createRefreshFamily(grant(), "", now);
    const auto next = a->rotateRefreshToken(replayed.token, "client-1", now + 1s);
    ASSERT_TRUE(next.issued);
    a->rotateRefreshToken(next.issued->token, "client-1", now + 2s);
    EXPECT_EQ(a->rotateRefreshToken(replayed.token, "client-1", now + 3s).status,
              RotateStatus::ReuseDetected);
    EXPECT_TRUE(heard(replayed.familyId));

    AuthorizationCode code;
    code.code = "code-plaintext";
    code.grant = grant();
    code.redirectUri = "http://127.0.0.1:1/cb";
    code.codeChallenge = "challenge";
    code.expiresAt = now + 60s;
    a->putCode(code);
    ASSERT_TRUE(a->consumeCode("code-plaintext", now).code);
    const auto fromCode = a->createRefreshFamily(grant(), "code-plaintext", now);
    EXPECT_TRUE(a->consumeCode("code-plaintext", now + 1s).replayed);
    EXPECT_TRUE(heard(fromCode.familyId));
}

// While the instance cannot hear announcements it trusts no cached answer: every check asks the
// store (here: Redis is down, so the check fails instead of passing on a stale answer), and once
// it hears again it starts from nothing.
TEST(RedisGrantChanges, WhileDeafEveryCheckAsksTheStore) {
    RedisServer redis(/*appendOnly=*/true);
    auto a = openStore(redis);
    const auto family = a->createRefreshFamily(grant(), "", std::chrono::system_clock::now());
    Listening b(redis, {"mcp:read"});
    ASSERT_TRUE(eventually([&] { return b.changes->live(); }));
    ASSERT_TRUE(b.accepts(family.familyId));

    redis.stop();
    ASSERT_TRUE(eventually([&] { return !b.changes->live(); }, 10s));
    EXPECT_THROW(b.verifier->verify(tokenFor(family.familyId)), StoreUnavailable);

    redis.restart();
    ASSERT_TRUE(eventually([&] { return b.changes->live(); }, 15s));
    // The store's own connection notices its dead socket and sends the check again.
    EXPECT_TRUE(b.accepts(family.familyId));
    std::lock_guard<std::mutex> lock(b.mutex);
    EXPECT_GE(std::count(b.heard.begin(), b.heard.end(), std::string()), 2)
        << "a resubscription must say that anything may have changed";
}

}  // namespace
