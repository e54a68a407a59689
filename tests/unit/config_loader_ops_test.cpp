// The operations keys: admin.*, server.drainSeconds, logging.format and logging.accessLog.
#include "config_test_support.h"

namespace mcph::config::test {

TEST(ConfigLoaderOps, Defaults) {
    const LoadResult r = load("{}");
    ASSERT_TRUE(r.ok()) << r.errors[0];
    EXPECT_TRUE(r.config.admin.enabled);
    EXPECT_EQ(r.config.admin.host, "127.0.0.1");
    EXPECT_EQ(r.config.admin.port, 9464);
    EXPECT_FALSE(r.config.admin.portRequired);
    EXPECT_EQ(r.config.server.drainSeconds, 30);
    EXPECT_EQ(r.config.logging.format, "text");
    EXPECT_TRUE(r.config.logging.accessLog);
}

TEST(ConfigLoaderOps, EveryKeyIsRead) {
    const LoadResult r = load(R"({"admin":{"enabled":false,"host":"::1","port":0},
        "server":{"drainSeconds":0},"logging":{"format":"json","accessLog":false}})");
    ASSERT_TRUE(r.ok()) << r.errors[0];
    EXPECT_FALSE(r.config.admin.enabled);
    EXPECT_EQ(r.config.admin.host, "::1");
    EXPECT_EQ(r.config.admin.port, 0);
    EXPECT_TRUE(r.config.admin.portRequired);
    EXPECT_EQ(r.config.server.drainSeconds, 0);
    EXPECT_EQ(r.config.logging.format, "json");
    EXPECT_FALSE(r.config.logging.accessLog);
}

TEST(ConfigLoaderOps, ProblemsAreReported) {
    const LoadResult r = load(R"({"admin":{"port":70000,"hots":"x","host":"[::1]"},
        "server":{"drainSeconds":3601},"logging":{"format":"xml","accessLog":"yes"}})");
    ASSERT_FALSE(r.ok());
    std::string all;
    for (const auto& e : r.errors) all += e + "\n";
    EXPECT_TRUE(contains(all, "admin.port"));
    EXPECT_TRUE(contains(all, "admin.hots: unknown key (did you mean \"host\"?)"));
    EXPECT_TRUE(contains(all, "admin.host"));
    EXPECT_TRUE(contains(all, "server.drainSeconds"));
    EXPECT_TRUE(contains(all, "logging.format: expected \"text\" or \"json\""));
    EXPECT_TRUE(contains(all, "logging.accessLog"));
}

TEST(ConfigLoaderOps, AdminPortMustDifferFromTheServerPort) {
    const LoadResult r = load(R"({"server":{"port":9000},"admin":{"port":9000}})");
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(contains(r.errors[0], "admin.port: must differ from server.port"));
}

TEST(ConfigLoaderOps, ANonLoopbackAdminHostIsAWarning) {
    const LoadResult r = load(R"({"admin":{"host":"0.0.0.0"}})");
    ASSERT_TRUE(r.ok()) << r.errors[0];
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_TRUE(contains(r.warnings[0], "admin.host: not a loopback address"));
}

}  // namespace mcph::config::test
