// SqliteAuthStore on real files: schema, restart, clients, consents, pending authorizations,
// single-use codes (also across two connections racing), the signing key, expiry.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

#include "mcphost/auth/server/Secrets.h"
#include "proxy_test_support.h"

using namespace mcph::auth::server;
using mcph::auth::TimePoint;
using namespace std::chrono_literals;
using proxytest::openStore;
using proxytest::TempDir;

namespace {

const TimePoint t0{std::chrono::seconds(1'800'000'000)};

ClientRecord client(const std::string& id, TimePoint created = t0) {
    ClientRecord c;
    c.clientId = id;
    c.redirectUris = {"https://claude.ai/api/mcp/auth_callback", "http://127.0.0.1:33418/"};
    c.name = "Claude";
    c.authMethod = "client_secret_post";
    c.secretHash = Secrets::sha256Hex("s3cret");
    c.createdAt = created;
    return c;
}

AuthorizationCode code(const std::string& value, TimePoint expires = t0 + 60s) {
    AuthorizationCode c;
    c.code = value;
    c.grant = {"client-1", "user-1", "u1@example.com", "User One", {"mcp:read", "mcp:write"}, "https://mcp.example.com/mcp"};
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

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Releases all waiting threads at once, so the race is real rather than sequential.
class StartLine {
public:
    void wait() {
        std::unique_lock<std::mutex> lock(m_);
        cv_.wait(lock, [&] { return go_; });
    }
    void release() {
        {
            std::lock_guard<std::mutex> lock(m_);
            go_ = true;
        }
        cv_.notify_all();
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    bool go_ = false;
};

}  // namespace

TEST(ProxySqliteStore, CreatesAVersionedWalFileReadableOnlyByOwner) {
    TempDir dir;
    const auto path = dir.file("proxy.db");
    auto store = openStore(path);
    EXPECT_EQ(store->schemaVersion(), SqliteAuthStore::kSchemaVersion);
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    Poco::Data::Session raw("SQLite", path);
    std::string mode;
    raw << "PRAGMA journal_mode", Poco::Data::Keywords::into(mode), Poco::Data::Keywords::now;
    EXPECT_EQ(mode, "wal");
}

TEST(ProxySqliteStore, RefusesAFileFromANewerSchema) {
    TempDir dir;
    const auto path = dir.file("proxy.db");
    openStore(path).reset();
    {
        Poco::Data::Session raw("SQLite", path);
        raw << "UPDATE meta SET value = '99' WHERE key = 'schema_version'", Poco::Data::Keywords::now;
    }
    EXPECT_THROW(openStore(path), std::runtime_error);
}

// A store written before grants kept the sign-in's facts (schema 1) opens, migrates and keeps
// every grant; such a grant reads back with its subject and email as facts, so an access policy
// on users or emails still decides it.
TEST(ProxySqliteStore, AVersionOneFileMigratesAndKeepsItsGrants) {
    TempDir dir;
    const auto path = dir.file("proxy.db");
    RefreshIssue family;
    {
        auto store = openStore(path);
        family = store->createRefreshFamily(code("c").grant, "", t0);
    }
    {
        Poco::Data::Session raw("SQLite", path);
        raw << "ALTER TABLE codes DROP COLUMN facts", Poco::Data::Keywords::now;
        raw << "ALTER TABLE refresh_families DROP COLUMN facts", Poco::Data::Keywords::now;
        raw << "UPDATE meta SET value = '1' WHERE key = 'schema_version'", Poco::Data::Keywords::now;
    }
    auto store = openStore(path);
    EXPECT_EQ(store->schemaVersion(), 2);
    const auto grant = store->activeGrant(family.familyId, t0 + 1s);
    ASSERT_TRUE(grant);
    EXPECT_EQ(grant->facts.subject, code("c").grant.subject);
    EXPECT_EQ(grant->facts.email, code("c").grant.email);
    EXPECT_EQ(store->rotateRefreshToken(family.token, code("c").grant.clientId, t0 + 2s).status,
              RotateStatus::Rotated);
}

TEST(ProxySqliteStore, EverythingSurvivesARestart) {
    TempDir dir;
    const auto path = dir.file("proxy.db");
    std::string refresh;
    {
        auto store = openStore(path);
        ASSERT_EQ(store->registerClient(client("client-1")), RegisterStatus::Registered);
        store->grantConsent("client-1", "user-1", {"mcp:read"}, t0);
        store->putPending(pending("state-1"));
        store->putCode(code("code-1"));
        refresh = store->createRefreshFamily(code("x").grant, "", t0).token;
        store->storeSigningKeyIfAbsent("PEM-1");
    }
    auto store = openStore(path);
    const auto c = store->findClient("client-1");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->redirectUris, client("client-1").redirectUris);
    EXPECT_EQ(c->name, "Claude");
    EXPECT_EQ(c->authMethod, "client_secret_post");
    EXPECT_EQ(c->secretHash, Secrets::sha256Hex("s3cret"));
    EXPECT_EQ(c->createdAt, t0);
    EXPECT_FALSE(c->lastUsed);
    EXPECT_FALSE(c->hasToken);
    EXPECT_TRUE(store->hasConsent("client-1", "user-1", {"mcp:read"}));
    const auto p = store->takePending("state-1", t0);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->clientState, "client-state-xyz");
    EXPECT_EQ(p->redirectUri, "cursor://anysphere.cursor-mcp/oauth/callback");
    EXPECT_EQ(p->upstreamVerifier, "upstream-verifier-abc");
    EXPECT_EQ(p->browserNonce, "nonce-123");
    EXPECT_EQ(p->scopes, std::vector<std::string>{"mcp:read"});
    EXPECT_EQ(p->expiresAt, t0 + 600s);
    const auto redeemed = store->consumeCode("code-1", t0);
    ASSERT_TRUE(redeemed.code);
    EXPECT_EQ(redeemed.code->grant.subject, "user-1");
    EXPECT_EQ(redeemed.code->grant.email, "u1@example.com");
    EXPECT_EQ(redeemed.code->grant.name, "User One");
    EXPECT_EQ(redeemed.code->grant.scopes, (std::vector<std::string>{"mcp:read", "mcp:write"}));
    EXPECT_EQ(redeemed.code->grant.resource, "https://mcp.example.com/mcp");
    EXPECT_EQ(redeemed.code->codeChallenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    EXPECT_EQ(redeemed.code->redirectUri, "http://127.0.0.1:33418/");
    EXPECT_EQ(store->rotateRefreshToken(refresh, "client-1", t0 + 1s).status, RotateStatus::Rotated);
    EXPECT_EQ(store->loadSigningKey(), std::optional<std::string>("PEM-1"));
}

TEST(ProxySqliteStore, SecretsAreStoredOnlyAsHashes) {
    TempDir dir;
    const auto path = dir.file("proxy.db");
    auto store = openStore(path);
    const std::string codeValue = "code-" + Secrets::randomToken();
    const std::string state = "state-" + Secrets::randomToken();
    store->putCode(code(codeValue));
    store->putPending(pending(state));
    const auto refresh = store->createRefreshFamily(code("x").grant, codeValue, t0).token;
    const std::string bytes = slurp(path) + slurp(path + "-wal");
    ASSERT_NE(bytes.find(Secrets::sha256Hex(codeValue)), std::string::npos) << "the test reads the wrong file";
    EXPECT_EQ(bytes.find(codeValue), std::string::npos);
    EXPECT_EQ(bytes.find(state), std::string::npos);
    EXPECT_EQ(bytes.find(refresh), std::string::npos);
}

TEST(ProxySqliteStore, ClientRegistrationIsBoundedAndIdsUnique) {
    TempDir dir;
    auto store = openStore(dir.file("proxy.db"), [](SqliteAuthStoreOptions& o) { o.maxClients = 3; });
    for (const char* id : {"a", "b", "c"}) EXPECT_EQ(store->registerClient(client(id)), RegisterStatus::Registered);
    EXPECT_EQ(store->registerClient(client("d")), RegisterStatus::Full);
    EXPECT_EQ(store->registerClient(client("a")), RegisterStatus::Duplicate);
    EXPECT_EQ(store->clientCount(), 3u);
    EXPECT_FALSE(store->findClient("d"));
    EXPECT_FALSE(store->findClient("unknown"));
}

TEST(ProxySqliteStore, SweepRemovesOnlyOldClientsThatNeverGotAToken) {
    TempDir dir;
    auto store = openStore(dir.file("proxy.db"));
    store->registerClient(client("old-unused", t0));
    store->registerClient(client("old-used", t0));
    store->registerClient(client("new-unused", t0 + 23h));
    store->markClientUsed("old-used", t0 + 1h);
    store->grantConsent("old-unused", "user-1", {"mcp:read"}, t0);
    EXPECT_EQ(store->sweepUnusedClients(t0 + 24h + 1s, 24h), 1u);
    EXPECT_FALSE(store->findClient("old-unused"));
    EXPECT_FALSE(store->hasConsent("old-unused", "user-1", {"mcp:read"}));
    const auto used = store->findClient("old-used");
    ASSERT_TRUE(used);
    EXPECT_TRUE(used->hasToken);
    EXPECT_EQ(used->lastUsed, std::optional<TimePoint>(t0 + 1h));
    EXPECT_TRUE(store->findClient("new-unused"));
    EXPECT_EQ(store->sweepUnusedClients(t0 + 24h + 1s, 24h), 0u);
}

TEST(ProxySqliteStore, ConsentCoversOnlyApprovedScopesPerClientAndUser) {
    TempDir dir;
    auto store = openStore(dir.file("proxy.db"));
    EXPECT_FALSE(store->hasConsent("c1", "u1", {}));
    store->grantConsent("c1", "u1", {"mcp:read"}, t0);
    EXPECT_TRUE(store->hasConsent("c1", "u1", {"mcp:read"}));
    EXPECT_TRUE(store->hasConsent("c1", "u1", {}));
    EXPECT_FALSE(store->hasConsent("c1", "u1", {"mcp:read", "mcp:write"}));
    EXPECT_FALSE(store->hasConsent("c2", "u1", {"mcp:read"}));
    EXPECT_FALSE(store->hasConsent("c1", "u2", {"mcp:read"}));
    store->grantConsent("c1", "u1", {"mcp:write"}, t0 + 1s);  // adds, does not replace
    EXPECT_TRUE(store->hasConsent("c1", "u1", {"mcp:write", "mcp:read"}));
}

TEST(ProxySqliteStore, PendingAuthorizationIsSingleUseAndExpires) {
    TempDir dir;
    auto store = openStore(dir.file("proxy.db"));
    store->putPending(pending("s1", t0 + 600s));
    EXPECT_FALSE(store->takePending("s2", t0));
    EXPECT_TRUE(store->takePending("s1", t0 + 599s));
    EXPECT_FALSE(store->takePending("s1", t0 + 599s));
    store->putPending(pending("s3", t0 + 600s));
    EXPECT_FALSE(store->takePending("s3", t0 + 600s));
    EXPECT_FALSE(store->takePending("s3", t0));  // an expired state is gone, not merely refused
}

TEST(ProxySqliteStore, CodeIsSingleUseAndExpires) {
    TempDir dir;
    auto store = openStore(dir.file("proxy.db"));
    store->putCode(code("c1", t0 + 60s));
    EXPECT_FALSE(store->consumeCode("nope", t0).code);
    EXPECT_FALSE(store->consumeCode("nope", t0).replayed);
    EXPECT_TRUE(store->consumeCode("c1", t0 + 59s).code);
    const auto again = store->consumeCode("c1", t0 + 59s);
    EXPECT_FALSE(again.code);
    EXPECT_TRUE(again.replayed);
    store->putCode(code("c2", t0 + 60s));
    EXPECT_FALSE(store->consumeCode("c2", t0 + 60s).code);
}

TEST(ProxySqliteStore, ReplayedCodeRevokesTheRefreshFamilyItProduced) {
    TempDir dir;
    auto store = openStore(dir.file("proxy.db"));
    store->putCode(code("c1"));
    const auto redeemed = store->consumeCode("c1", t0);
    ASSERT_TRUE(redeemed.code);
    const auto family = store->createRefreshFamily(redeemed.code->grant, "c1", t0);
    EXPECT_TRUE(store->consumeCode("c1", t0 + 1s).replayed);
    EXPECT_EQ(store->rotateRefreshToken(family.token, "client-1", t0 + 2s).status, RotateStatus::Invalid);
}

TEST(ProxySqliteStore, ConcurrentRedemptionSucceedsExactlyOnce) {
    TempDir dir;
    const auto path = dir.file("proxy.db");
    // Two store objects = two SQLite connections: the file, not a shared mutex, must decide.
    auto a = openStore(path);
    auto b = openStore(path);
    constexpr int kCodes = 10;
    constexpr int kThreads = 8;
    for (int i = 0; i < kCodes; ++i) a->putCode(code("code-" + std::to_string(i)));
    std::atomic<int> wins[kCodes] = {};
    std::atomic<int> failures{0};
    StartLine start;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            SqliteAuthStore& store = t % 2 ? *a : *b;
            start.wait();
            for (int i = 0; i < kCodes; ++i) {
                try {
                    if (store.consumeCode("code-" + std::to_string(i), t0).code) ++wins[i];
                } catch (...) {
                    ++failures;
                }
            }
        });
    }
    start.release();
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    for (int i = 0; i < kCodes; ++i) EXPECT_EQ(wins[i].load(), 1) << "code " << i;
}

TEST(ProxySqliteStore, ConcurrentCallbacksTakeAPendingStateExactlyOnce) {
    TempDir dir;
    const auto path = dir.file("proxy.db");
    auto a = openStore(path);
    auto b = openStore(path);
    a->putPending(pending("state-race"));
    std::atomic<int> wins{0}, failures{0};
    StartLine start;
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&, t] {
            start.wait();
            try {
                if ((t % 2 ? *a : *b).takePending("state-race", t0)) ++wins;
            } catch (...) {
                ++failures;
            }
        });
    }
    start.release();
    for (auto& th : threads) th.join();
    EXPECT_EQ(wins.load(), 1);
    EXPECT_EQ(failures.load(), 0);
}

TEST(ProxySqliteStore, SigningKeyFirstWriterWins) {
    TempDir dir;
    const auto path = dir.file("proxy.db");
    auto a = openStore(path);
    auto b = openStore(path);
    EXPECT_FALSE(a->loadSigningKey());
    EXPECT_EQ(a->storeSigningKeyIfAbsent("PEM-A"), "PEM-A");
    EXPECT_EQ(b->storeSigningKeyIfAbsent("PEM-B"), "PEM-A");
    EXPECT_EQ(b->loadSigningKey(), std::optional<std::string>("PEM-A"));
}

TEST(ProxySqliteStore, SweepExpiredRemovesOnlyExpiredRows) {
    TempDir dir;
    auto store = openStore(dir.file("proxy.db"), [](SqliteAuthStoreOptions& o) { o.refreshLifetime = 3600s; });
    store->putPending(pending("old", t0 + 10s));
    store->putPending(pending("new", t0 + 1000s));
    store->putCode(code("old", t0 + 10s));
    store->putCode(code("new", t0 + 1000s));
    const auto family = store->createRefreshFamily(code("x").grant, "", t0);
    EXPECT_EQ(store->sweepExpired(t0 + 11s), 2u);
    EXPECT_TRUE(store->takePending("new", t0 + 11s));
    EXPECT_TRUE(store->consumeCode("new", t0 + 11s).code);
    EXPECT_FALSE(store->consumeCode("old", t0).replayed);  // gone entirely
    EXPECT_GE(store->sweepExpired(t0 + 3601s), 2u);        // the family and its token
    EXPECT_EQ(store->rotateRefreshToken(family.token, "client-1", t0).status, RotateStatus::Invalid);
}
