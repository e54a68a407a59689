// The redis section: where several instances share their state, and what it requires.

#include "config_test_support.h"

namespace mcph::config {
namespace {

using test::load;

constexpr const char* kSecret = "a-signing-key-secret-of-32-chars-or-more";

TEST(ConfigLoaderRedis, OffByDefault) {
    const LoadResult r = load(R"({"auth": {"provider": "local"}})");
    ASSERT_TRUE(r.ok()) << r.errors[0];
    EXPECT_FALSE(r.config.redis.enabled());
    EXPECT_EQ(r.config.redis.keyPrefix, "mcph:");
    const auto& own = std::get<auth::server::AuthorizationServerOptions>(r.config.auth.settings);
    EXPECT_FALSE(own.sharedStore);
}

TEST(ConfigLoaderRedis, TheAuthorizationServerGetsTheSharedStore) {
    const LoadResult r = load(std::string(R"({"auth": {"provider": "local"}, "redis": {
        "url": "redis://10.0.0.5:6380", "username": "mcp", "password": "pw-value",
        "keyPrefix": "tools:", "signingKeySecret": ")") + kSecret + R"("}})");
    ASSERT_TRUE(r.ok()) << r.errors[0];
    const auto& own = std::get<auth::server::AuthorizationServerOptions>(r.config.auth.settings);
    ASSERT_TRUE(own.sharedStore);
    EXPECT_EQ(own.sharedStore->endpoint.url, "redis://10.0.0.5:6380");
    EXPECT_EQ(own.sharedStore->endpoint.username, "mcp");
    EXPECT_EQ(own.sharedStore->endpoint.password, "pw-value");
    EXPECT_EQ(own.sharedStore->keyPrefix, "tools:");
    EXPECT_EQ(own.sharedStore->signingKeySecret, kSecret);
}

TEST(ConfigLoaderRedis, TheOwnAuthorizationServerNeedsTheSealingSecret) {
    EXPECT_EQ(load(R"({"auth": {"provider": "local"}, "redis": {"url": "unix:///run/r.sock"}})").errors,
              (test::Lines{"t.json: redis.signingKeySecret: required with redis.url and provider "
                           "\"local\": the signing key every instance shares is stored in Redis "
                           "encrypted with it (e.g. \"${MCPH_SIGNING_KEY_SECRET}\", at least 32 "
                           "characters)"}));
    // Native mode and no auth keep no signing key.
    EXPECT_TRUE(load(R"({"redis": {"url": "unix:///run/r.sock"}})").ok());
}

TEST(ConfigLoaderRedis, ProblemsAreReportedWithoutShowingSecrets) {
    const LoadResult r = load(R"({"redis": {"url": "redis://user:hunter2@10.0.0.5",
        "password": "", "signingKeySecret": "short-secret-value", "keyPrefix": "a b"}})");
    EXPECT_EQ(r.errors,
              (test::Lines{
                  "t.json: redis.url: a redis URL must not carry credentials: set the password "
                  "in the environment",
                  "t.json: redis.password: must not be empty",
                  "t.json: redis.keyPrefix: expected at most 64 characters without blanks",
                  "t.json: redis.signingKeySecret: must be at least 32 characters"}));
    for (const auto& e : r.errors) {
        EXPECT_EQ(e.find("hunter2"), std::string::npos) << e;
        EXPECT_EQ(e.find("short-secret-value"), std::string::npos) << e;
    }
    EXPECT_EQ(load(R"({"redis": {"url": "http://10.0.0.5"}})").errors,
              (test::Lines{"t.json: redis.url: expected redis://host:port or unix:///path, got "
                           "\"http://10.0.0.5\""}));
}

TEST(ConfigLoaderRedis, AStoreFileBesideRedisIsRefused) {
    const LoadResult r = load(std::string(R"({"auth": {"provider": "local", "store": {"sqlite": "/tmp/a.db"}},
        "redis": {"url": "unix:///run/r.sock", "signingKeySecret": ")") + kSecret + R"("}})");
    EXPECT_EQ(r.errors, (test::Lines{"t.json: auth.store: not used with redis.url: the "
                                     "authorization server's state is in Redis"}));
}

}  // namespace
}  // namespace mcph::config
