// RedisAuthStore against a real redis-server: the guarantees of the SQLite store (bounded
// clients, consents, single-use states and codes, refresh rotation with its grace window and
// reuse detection, the signing key's first writer) with two store objects standing for two
// instances, secrets only as hashes, persistence across a Redis restart (AOF), and a Redis that
// goes away and comes back.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "mcphost/auth/server/RedisAuthStore.h"
#include "mcphost/auth/server/Secrets.h"
#include "mcphost/auth/server/SigningKey.h"
#include "support/RedisDump.h"
#include "support/RedisServer.h"

using namespace mcph::auth::server;
using mcph::auth::TimePoint;
using mcph::testing::dumpRedis;
using mcph::testing::RedisServer;
using namespace std::chrono_literals;

namespace {

const TimePoint t0{std::chrono::seconds(1'800'000'000)};

std::unique_ptr<RedisAuthStore> openStore(const RedisServer& redis,
                                          void (*tweak)(RedisAuthStoreOptions&) = nullptr) {
    RedisAuthStoreOptions o;
    o.endpoint.url = redis.url();
    if (tweak) tweak(o);
    return std::make_unique<RedisAuthStore>(o);
}

ClientRecord client(const std::string& id, TimePoint created = t0) {
    ClientRecord c;
    c.clientId = id;
    c.redirectUris = {"https://claude.ai/api/mcp/auth_callback", "http://127.0.0.1:33418/"};
    c.name = "Claude";
    c.authMethod = "client_secret_post";
    c.secretHash = Secrets::sha256Hex("client-secret-value");
    c.createdAt = created;
    return c;
}

Grant grant() {
    Grant g{"client-1",
            "user-1",
            "u1@example.com",
            "User One",
            {"mcp:read", "mcp:write"},
            "https://mcp.example.com/mcp"};
    g.facts.subject = "user-1";
    g.facts.email = "u1@example.com";
    return g;
}

AuthorizationCode code(const std::string& value, TimePoint expires = t0 + 60s) {
    AuthorizationCode c;
    c.code = value;
    c.grant = grant();
    c.redirectUri = "http://127.0.0.1:33418/";
    c.codeChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    c.expiresAt = expires;
    return c;
}

PendingAuthorization pending(const std::string& state, TimePoint expires = t0 + 600s) {
    PendingAuthorization p;
    p.state = state;
    p.clientId = "client-1";
    p.clientState = "client-state-xyz";
    p.redirectUri = "cursor://anysphere.cursor-mcp/oauth/callback";
    p.codeChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    p.resource = "https://mcp.example.com/mcp";
    p.scopes = {"mcp:read"};
    p.upstreamVerifier = "upstream-verifier-abc";
    p.browserNonce = "nonce-123";
    p.expiresAt = expires;
    return p;
}

}  // namespace

TEST(RedisAuthStore, ClientRegistrationIsBoundedAndIdsUnique) {
    RedisServer redis;
    auto store = openStore(redis, [](RedisAuthStoreOptions& o) { o.maxClients = 3; });
    for (const char* id : {"a", "b", "c"})
        EXPECT_EQ(store->registerClient(client(id)), RegisterStatus::Registered);
    EXPECT_EQ(store->registerClient(client("d")), RegisterStatus::Full);
    EXPECT_EQ(store->registerClient(client("a")), RegisterStatus::Duplicate);
    EXPECT_EQ(store->clientCount(), 3u);
    EXPECT_FALSE(store->findClient("d"));
    const auto a = store->findClient("a");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->redirectUris, client("a").redirectUris);
    EXPECT_EQ(a->authMethod, "client_secret_post");
    EXPECT_EQ(a->secretHash, client("a").secretHash);
    EXPECT_EQ(a->createdAt, t0);
    EXPECT_FALSE(a->hasToken);
}

TEST(RedisAuthStore, SweepRemovesOnlyOldClientsThatNeverGotAToken) {
    RedisServer redis;
    auto store = openStore(redis);
    store->registerClient(client("old-unused", t0));
    store->registerClient(client("old-used", t0));
    store->registerClient(client("new-unused", t0 + 23h));
    store->markClientUsed("old-used", t0 + 1h);
    store->markClientUsed("never-registered", t0 + 1h);
    store->grantConsent("old-unused", "user-1", {"mcp:read"}, t0);
    EXPECT_EQ(store->sweepUnusedClients(t0 + 24h + 1s, 24h), 1u);
    EXPECT_FALSE(store->findClient("old-unused"));
    EXPECT_FALSE(store->findClient("never-registered"));
    EXPECT_FALSE(store->hasConsent("old-unused", "user-1", {"mcp:read"}));
    const auto used = store->findClient("old-used");
    ASSERT_TRUE(used);
    EXPECT_TRUE(used->hasToken);
    EXPECT_EQ(used->lastUsed, std::optional<TimePoint>(t0 + 1h));
    EXPECT_TRUE(store->findClient("new-unused"));
    EXPECT_EQ(store->clientCount(), 2u);
}

TEST(RedisAuthStore, ConsentCoversOnlyApprovedScopesPerClientAndUser) {
    RedisServer redis;
    auto store = openStore(redis);
    EXPECT_FALSE(store->hasConsent("c1", "u1", {}));
    store->grantConsent("c1", "u1", {"mcp:read"}, t0);
    EXPECT_TRUE(store->hasConsent("c1", "u1", {"mcp:read"}));
    EXPECT_FALSE(store->hasConsent("c1", "u1", {"mcp:read", "mcp:write"}));
    EXPECT_FALSE(store->hasConsent("c2", "u1", {"mcp:read"}));
    EXPECT_FALSE(store->hasConsent("c1", "u2", {"mcp:read"}));
    store->grantConsent("c1", "u1", {"mcp:write"}, t0 + 1s);  // adds, does not replace
    EXPECT_TRUE(store->hasConsent("c1", "u1", {"mcp:write", "mcp:read"}));
}

TEST(RedisAuthStore, PendingAuthorizationIsSingleUseAndExpires) {
    RedisServer redis;
    auto store = openStore(redis);
    store->putPending(pending("s1", t0 + 600s));
    EXPECT_FALSE(store->takePending("s2", t0));
    const auto taken = store->takePending("s1", t0 + 599s);
    ASSERT_TRUE(taken);
    EXPECT_EQ(taken->clientState, "client-state-xyz");
    EXPECT_EQ(taken->upstreamVerifier, "upstream-verifier-abc");
    EXPECT_EQ(taken->scopes, std::vector<std::string>{"mcp:read"});
    EXPECT_FALSE(store->takePending("s1", t0 + 599s));
    store->putPending(pending("s3", t0 + 600s));
    EXPECT_FALSE(store->takePending("s3", t0 + 600s));
    EXPECT_FALSE(store->takePending("s3", t0));  // an expired state is gone, not merely refused
}

TEST(RedisAuthStore, CodeIsSingleUseAndAReplayRevokesItsFamily) {
    RedisServer redis;
    auto store = openStore(redis);
    store->putCode(code("c1", t0 + 60s));
    EXPECT_FALSE(store->consumeCode("nope", t0).code);
    EXPECT_FALSE(store->consumeCode("nope", t0).replayed);
    const auto redeemed = store->consumeCode("c1", t0 + 59s);
    ASSERT_TRUE(redeemed.code);
    EXPECT_EQ(redeemed.code->grant.subject, "user-1");
    EXPECT_EQ(redeemed.code->grant.facts.email, "u1@example.com");
    EXPECT_EQ(redeemed.code->codeChallenge, code("c1").codeChallenge);
    const auto family = store->createRefreshFamily(redeemed.code->grant, "c1", t0 + 59s);
    ASSERT_TRUE(store->activeGrant(family.familyId, t0 + 60s));
    const auto again = store->consumeCode("c1", t0 + 60s);
    EXPECT_FALSE(again.code);
    EXPECT_TRUE(again.replayed);
    EXPECT_FALSE(store->activeGrant(family.familyId, t0 + 61s));
    EXPECT_EQ(store->rotateRefreshToken(family.token, "client-1", t0 + 62s).status,
              RotateStatus::Invalid);
    store->putCode(code("c2", t0 + 60s));
    EXPECT_FALSE(store->consumeCode("c2", t0 + 60s).code);
}

TEST(RedisAuthStore, ConcurrentRedemptionOnTwoInstancesSucceedsExactlyOnce) {
    RedisServer redis;
    // Two store objects = two connections, as two host instances have: Redis decides.
    auto a = openStore(redis);
    auto b = openStore(redis);
    constexpr int kCodes = 10;
    constexpr int kThreads = 8;
    for (int i = 0; i < kCodes; ++i) a->putCode(code("code-" + std::to_string(i)));
    std::atomic<int> wins[kCodes] = {};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            RedisAuthStore& store = t % 2 ? *a : *b;
            for (int i = 0; i < kCodes; ++i) {
                if (store.consumeCode("code-" + std::to_string(i), t0).code) ++wins[i];
            }
        });
    }
    for (auto& th : threads) th.join();
    for (int i = 0; i < kCodes; ++i) EXPECT_EQ(wins[i].load(), 1) << "code " << i;
}

TEST(RedisAuthStore, RefreshRotatesWithAGraceSiblingAndReuseRevokesTheFamily) {
    RedisServer redis;
    auto store = openStore(redis, [](RedisAuthStoreOptions& o) { o.refreshGrace = 60s; });
    const auto first = store->createRefreshFamily(grant(), "", t0);
    EXPECT_EQ(first.generation, 1);
    // Another client presenting it changes nothing.
    EXPECT_EQ(store->rotateRefreshToken(first.token, "client-2", t0 + 1s).status,
              RotateStatus::Invalid);
    const auto second = store->rotateRefreshToken(first.token, "client-1", t0 + 10s);
    ASSERT_EQ(second.status, RotateStatus::Rotated);
    ASSERT_TRUE(second.issued);
    EXPECT_EQ(second.issued->generation, 2);
    EXPECT_EQ(second.issued->familyId, first.familyId);
    EXPECT_EQ(second.issued->grant.scopes, grant().scopes);
    // The previous token within the grace window: a sibling of the current generation.
    const auto sibling = store->rotateRefreshToken(first.token, "client-1", t0 + 20s);
    ASSERT_EQ(sibling.status, RotateStatus::GraceReplay);
    EXPECT_EQ(sibling.issued->generation, 2);
    EXPECT_TRUE(store->activeGrant(first.familyId, t0 + 21s));
    // Past the window the old token is reuse: the whole family ends.
    EXPECT_EQ(store->rotateRefreshToken(first.token, "client-1", t0 + 10s + 61s).status,
              RotateStatus::ReuseDetected);
    EXPECT_FALSE(store->activeGrant(first.familyId, t0 + 72s));
    EXPECT_EQ(store->rotateRefreshToken(second.issued->token, "client-1", t0 + 73s).status,
              RotateStatus::Invalid);
}

TEST(RedisAuthStore, FamiliesEndAtTheirLifetimeIdleLimitRevocationOrNarrowing) {
    RedisServer redis;
    auto store = openStore(redis, [](RedisAuthStoreOptions& o) {
        o.refreshLifetime = 3600s;
        o.refreshIdle = 600s;
    });
    const auto lifetime = store->createRefreshFamily(grant(), "", t0);
    const auto rotated = store->rotateRefreshToken(lifetime.token, "client-1", t0 + 500s);
    ASSERT_EQ(rotated.status, RotateStatus::Rotated);
    // Rotation does not extend the absolute lifetime.
    EXPECT_EQ(store->rotateRefreshToken(rotated.issued->token, "client-1", t0 + 3600s).status,
              RotateStatus::Invalid);

    const auto idle = store->createRefreshFamily(grant(), "", t0);
    EXPECT_FALSE(store->activeGrant(idle.familyId, t0 + 601s));
    EXPECT_EQ(store->rotateRefreshToken(idle.token, "client-1", t0 + 601s).status,
              RotateStatus::Invalid);

    const auto narrowed = store->createRefreshFamily(grant(), "", t0);
    store->narrowGrant(narrowed.familyId, {"mcp:read"});
    EXPECT_EQ(store->activeGrant(narrowed.familyId, t0 + 1s)->scopes,
              std::vector<std::string>{"mcp:read"});
    const auto after = store->rotateRefreshToken(narrowed.token, "client-1", t0 + 2s);
    ASSERT_TRUE(after.issued);
    EXPECT_EQ(after.issued->grant.scopes, std::vector<std::string>{"mcp:read"});

    const auto revoked = store->createRefreshFamily(grant(), "", t0);
    EXPECT_FALSE(store->revokeRefreshToken(revoked.token, "client-2"));
    EXPECT_FALSE(store->revokeGrant(revoked.familyId, "client-2"));
    EXPECT_TRUE(store->activeGrant(revoked.familyId, t0 + 1s));
    EXPECT_TRUE(store->revokeRefreshToken(revoked.token, "client-1"));
    EXPECT_FALSE(store->activeGrant(revoked.familyId, t0 + 1s));

    const auto ended = store->createRefreshFamily(grant(), "", t0);
    store->endGrant(ended.familyId);
    EXPECT_FALSE(store->activeGrant(ended.familyId, t0 + 1s));

    std::vector<std::string> expected{lifetime.familyId, idle.familyId, narrowed.familyId};
    std::sort(expected.begin(), expected.end());
    std::vector<std::string> active;
    for (const auto& g : store->activeGrants(t0 + 3s)) active.push_back(g.familyId);
    EXPECT_EQ(active, expected);
    EXPECT_GE(store->sweepExpired(t0 + 3601s), 5u);
    EXPECT_TRUE(store->activeGrants(t0 + 3601s).empty());
}

TEST(RedisAuthStore, SigningKeyFirstWriterWinsAcrossInstances) {
    RedisServer redis;
    auto a = openStore(redis);
    auto b = openStore(redis);
    EXPECT_FALSE(a->loadSigningKey());
    EXPECT_EQ(a->storeSigningKeyIfAbsent("first"), "first");
    EXPECT_EQ(b->storeSigningKeyIfAbsent("second"), "first");
    EXPECT_EQ(b->loadSigningKey(), std::optional<std::string>("first"));
}

// Every instance loads the one key; Redis holds it only sealed with the operator's secret, and
// an instance with another secret refuses to start rather than sign with a key of its own.
TEST(RedisAuthStore, TheSharedSigningKeyIsSealedAndOpensOnlyWithTheSameSecret) {
    RedisServer redis;
    const std::string secret = "a-signing-key-secret-of-32-chars-or-more";
    auto a = openStore(redis);
    auto b = openStore(redis);
    const SigningKey first = SigningKey::loadOrCreate(*a, secret);
    const SigningKey second = SigningKey::loadOrCreate(*b, secret);
    EXPECT_EQ(first.kid(), second.kid());
    EXPECT_EQ(first.privatePem(), second.privatePem());

    const std::string all = dumpRedis(redis);
    ASSERT_NE(all.find("mcph-sealed-v1."), std::string::npos) << all;
    EXPECT_EQ(all.find("PRIVATE KEY"), std::string::npos);
    EXPECT_EQ(all.find(first.privatePem().substr(40, 40)), std::string::npos);

    try {
        SigningKey::loadOrCreate(*b, "another-secret-of-at-least-32-characters");
        ADD_FAILURE() << "a key sealed with another secret was used";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("signingKeySecret"), std::string::npos) << e.what();
    }
    EXPECT_THROW(SigningKey::loadOrCreate(*b), std::runtime_error);  // no secret at all
}

// A key someone stored in clear may have been read: a sealing instance will not sign with it.
TEST(RedisAuthStore, AKeyStoredInClearIsRefusedWhenASecretIsSet) {
    RedisServer redis;
    auto store = openStore(redis);
    store->storeSigningKeyIfAbsent(SigningKey::generate().privatePem());
    EXPECT_THROW(SigningKey::loadOrCreate(*store, "a-signing-key-secret-of-32-chars-or-more"),
                 std::runtime_error);
}

TEST(RedisAuthStore, SecretsAreStoredOnlyAsHashes) {
    RedisServer redis;
    auto store = openStore(redis);
    store->registerClient(client("client-1"));
    store->putPending(pending("state-plaintext-value"));
    store->putCode(code("code-plaintext-value"));
    const auto family = store->createRefreshFamily(grant(), "code-plaintext-value", t0);
    const auto rotated = store->rotateRefreshToken(family.token, "client-1", t0 + 1s);
    ASSERT_TRUE(rotated.issued);
    const std::string all = dumpRedis(redis);
    ASSERT_NE(all.find("u1@example.com"), std::string::npos) << "the dump read nothing";
    for (const std::string& secret :
         {std::string("state-plaintext-value"), std::string("code-plaintext-value"), family.token,
          rotated.issued->token, std::string("client-secret-value")}) {
        EXPECT_EQ(all.find(secret), std::string::npos) << secret;
    }
}

TEST(RedisAuthStore, AnAppendOnlyRedisRestartLosesNoClientGrantOrKey) {
    RedisServer redis(/*appendOnly=*/true);
    auto store = openStore(redis);
    store->registerClient(client("client-1"));
    const auto family = store->createRefreshFamily(grant(), "", t0);
    store->storeSigningKeyIfAbsent("the-key");
    redis.restart();
    // The same store object reconnects on its own: its connection from before the restart is
    // dead, and the first command finds that out and is sent again on a new one.
    EXPECT_TRUE(store->findClient("client-1"));
    EXPECT_TRUE(store->activeGrant(family.familyId, t0 + 1s));
    EXPECT_EQ(store->loadSigningKey(), std::optional<std::string>("the-key"));
    EXPECT_EQ(store->rotateRefreshToken(family.token, "client-1", t0 + 2s).status,
              RotateStatus::Rotated);
}

// The README's ACL for the host's user is enough for every operation, and a wrong password is
// "unavailable" (503 and /readyz), named by Redis's own reply, never by the password.
TEST(RedisAuthStore, AnAclUserWithTheDocumentedRulesCanDoEverything) {
    RedisServer redis(false, {"--user", "mcp-host", "on", ">acl-password-value", "~mcph:*",
                              "&mcph:*", "+@read", "+@write", "+@scripting", "+@pubsub",
                              "+ping"});
    auto store = openStore(redis, [](RedisAuthStoreOptions& o) {
        o.endpoint.username = "mcp-host";
        o.endpoint.password = "acl-password-value";
    });
    EXPECT_EQ(store->problem(), "");
    EXPECT_EQ(store->registerClient(client("client-1")), RegisterStatus::Registered);
    store->markClientUsed("client-1", t0);
    EXPECT_EQ(store->clientCount(), 1u);
    store->grantConsent("client-1", "user-1", {"mcp:read"}, t0);
    EXPECT_TRUE(store->hasConsent("client-1", "user-1", {"mcp:read"}));
    store->putPending(pending("state-1"));
    EXPECT_TRUE(store->takePending("state-1", t0));
    store->putCode(code("code-1"));
    EXPECT_TRUE(store->consumeCode("code-1", t0).code);
    const auto family = store->createRefreshFamily(grant(), "code-1", t0);
    const auto rotated = store->rotateRefreshToken(family.token, "client-1", t0 + 1s);
    EXPECT_EQ(rotated.status, RotateStatus::Rotated);
    EXPECT_EQ(store->activeGrants(t0 + 2s).size(), 1u);
    store->narrowGrant(family.familyId, {"mcp:read"});
    EXPECT_TRUE(store->revokeRefreshToken(rotated.issued->token, "client-1"));
    EXPECT_FALSE(store->activeGrant(family.familyId, t0 + 3s));
    store->storeSigningKeyIfAbsent("the-key");
    EXPECT_EQ(store->loadSigningKey(), std::optional<std::string>("the-key"));
    store->sweepExpired(t0 + std::chrono::hours(24 * 400));
    store->sweepUnusedClients(t0 + std::chrono::hours(48), std::chrono::hours(24));

    auto wrong = openStore(redis, [](RedisAuthStoreOptions& o) {
        o.endpoint.username = "mcp-host";
        o.endpoint.password = "not-the-password";
    });
    try {
        wrong->findClient("client-1");
        ADD_FAILURE() << "a wrong password was accepted";
    } catch (const RedisUnavailable& e) {
        EXPECT_NE(std::string(e.what()).find("WRONGPASS"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find("not-the-password"), std::string::npos);
    }
    EXPECT_NE(wrong->problem(), "");
}

TEST(RedisAuthStore, AnUnreachableRedisFailsEveryOperationAndReconnectsWhenBack) {
    RedisServer redis;
    auto store = openStore(redis);
    store->registerClient(client("client-1"));
    EXPECT_TRUE(store->problem().empty());
    redis.stop();
    EXPECT_THROW(store->findClient("client-1"), RedisUnavailable);
    EXPECT_THROW(store->consumeCode("c", t0), RedisUnavailable);
    EXPECT_FALSE(store->problem().empty());
    redis.restart();  // no persistence: empty, but reachable again
    EXPECT_TRUE(store->problem().empty());
    EXPECT_EQ(store->registerClient(client("client-2")), RegisterStatus::Registered);
}
