// The plugins section, and config files: reading, relative paths, the shipped example.

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "config_test_support.h"

namespace mcph::config {
namespace {

using test::load;
using test::TempDir;

TEST(ConfigLoaderPlugins, AbsoluteDirIsKept) {
    TempDir dir;
    const std::string plugins = dir.mkdir("plugins");
    const LoadResult r = load(R"({"plugins": {"dir": ")" + plugins + "\"}}");
    ASSERT_TRUE(r.ok()) << r.errors[0];
    EXPECT_EQ(r.config.plugins.dir, plugins);
}

TEST(ConfigLoaderPlugins, RelativeDirIsResolvedAgainstTheBaseDir) {
    TempDir dir;
    const std::string plugins = dir.mkdir("build/plugins");
    dir.mkdir("etc");
    const LoadResult r = load(R"({"plugins": {"dir": "../build/plugins"}})", dir.str() + "/etc");
    ASSERT_TRUE(r.ok()) << r.errors[0];
    EXPECT_EQ(r.config.plugins.dir, plugins);
}

TEST(ConfigLoaderPlugins, DirMustExistAndBeADirectory) {
    TempDir dir;
    dir.write("file", "x");
    EXPECT_EQ(load(R"({"plugins": {"dir": "/nope"}})").errors,
              (test::Lines{"t.json: plugins.dir: directory does not exist: /nope"}));
    EXPECT_EQ(
        load(R"({"plugins": {"dir": "nope"}})", dir.str()).errors,
        (test::Lines{"t.json: plugins.dir: directory does not exist: " + dir.str() + "/nope"}));
    EXPECT_EQ(load(R"({"plugins": {"dir": "file"}})", dir.str()).errors,
              (test::Lines{"t.json: plugins.dir: not a directory: " + dir.str() + "/file"}));
    EXPECT_EQ(load(R"({"plugins": {"dir": ""}})").errors,
              (test::Lines{"t.json: plugins.dir: must not be empty"}));
}

TEST(ConfigLoaderPlugins, SettingsAreSerializedPerPlugin) {
    const LoadResult r = load(R"({"plugins": {"settings": {
        "echo": {},
        "notes": {"maxNotes": 50, "title": "My notes", "tags": ["a", "b"], "nested": {"z": 1, "a": null}}
    }}})");
    ASSERT_TRUE(r.ok()) << r.errors[0];
    EXPECT_EQ(r.config.plugins.settingsJson.size(), 2u);
    EXPECT_EQ(r.config.plugins.settingsJson.at("echo"), "{}");
    EXPECT_EQ(r.config.plugins.settingsJson.at("notes"),
              R"({"maxNotes":50,"title":"My notes","tags":["a","b"],"nested":{"z":1,"a":null}})");
}

TEST(ConfigLoaderPlugins, SettingsValuesMustBeObjects) {
    EXPECT_EQ(load(R"({"plugins": {"settings": {"echo": 5, "ok": {}, "bad": "x"}}})").errors,
              (test::Lines{"t.json: plugins.settings.echo: expected an object, got 5",
                           "t.json: plugins.settings.bad: expected an object, got \"x\""}));
    EXPECT_EQ(load(R"({"plugins": {"settings": []}})").errors,
              (test::Lines{"t.json: plugins.settings: expected an object, got an array"}));
}

TEST(ConfigLoaderPlugins, WatchIsOnUnlessTurnedOff) {
    EXPECT_TRUE(load("{}").config.plugins.watch);
    const LoadResult off = load(R"({"plugins": {"watch": false}})");
    ASSERT_TRUE(off.ok()) << off.errors[0];
    EXPECT_FALSE(off.config.plugins.watch);
    const LoadResult wrong = load(R"({"plugins": {"watch": "no"}})");
    ASSERT_EQ(wrong.errors.size(), 1u);
    EXPECT_NE(wrong.errors[0].find("plugins.watch"), std::string::npos) << wrong.errors[0];
}

// The global timeout times isolated plugins; in-process ones only when asked (the hand-off to a
// helper thread costs throughput), while an override's timeout applies to them regardless.
TEST(ConfigLoaderPlugins, GlobalCallTimeoutTimesInProcessPluginsOnlyWhenAsked) {
    const LoadResult r = load(R"({"plugins": {"callTimeoutSeconds": 30, "overrides": {
        "iso.so": {"isolation": "process"},
        "timed.so": {"callTimeoutSeconds": 5}}}})");
    ASSERT_TRUE(r.ok()) << r.errors[0];
    const pluginhost::RunPolicy& run = r.config.plugins.run;
    EXPECT_FALSE(run.timeInProcessCalls);
    EXPECT_EQ(run.forFile("plain.so").callTimeoutSeconds, 0);
    EXPECT_EQ(run.forFile("iso.so").callTimeoutSeconds, 30);
    EXPECT_EQ(run.forFile("timed.so").callTimeoutSeconds, 5);

    const LoadResult on =
        load(R"({"plugins": {"callTimeoutSeconds": 30, "timeInProcessCalls": true}})");
    ASSERT_TRUE(on.ok()) << on.errors[0];
    EXPECT_EQ(on.config.plugins.run.forFile("plain.so").callTimeoutSeconds, 30);
    EXPECT_EQ(load(R"({"plugins": {"isolation": "process"}})")
                  .config.plugins.run.forFile("plain.so")
                  .callTimeoutSeconds,
              60);
    EXPECT_EQ(load(R"({"plugins": {"timeInProcessCalls": 1}})").errors.size(), 1u);
}

TEST(ConfigLoaderPlugins, KeysInsidePluginSettingsAreNotChecked) {
    const LoadResult r = load(R"({"plugins": {"settings": {"p": {"anything": {"goes": 1}}},
                                 "setings": {}}})");
    EXPECT_EQ(r.errors,
              (test::Lines{"t.json: plugins.setings: unknown key (did you mean \"settings\"?)"}));
}

TEST(ConfigFile, MissingFileIsOneLine) {
    TempDir dir;
    const std::string path = dir.str() + "/absent.json";
    const LoadResult r = loadConfigFile(path);
    EXPECT_EQ(r.errors, (test::Lines{path + ": cannot read the config file: it does not exist"}));
}

TEST(ConfigFile, DirectoryIsNotAConfigFile) {
    TempDir dir;
    EXPECT_EQ(loadConfigFile(dir.str()).errors,
              (test::Lines{dir.str() + ": cannot read the config file: not a regular file"}));
}

TEST(ConfigFile, UnreadableFileIsOneLine) {
    if (::geteuid() == 0) {
        GTEST_SKIP() << "root can read any file";
    }
    TempDir dir;
    const std::string path = dir.write("c.json", "{}");
    std::filesystem::permissions(path, std::filesystem::perms::none);
    EXPECT_EQ(loadConfigFile(path).errors,
              (test::Lines{path + ": cannot read the config file: Permission denied"}));
}

TEST(ConfigFile, RelativePathsAreResolvedAgainstTheFilesDirectory) {
    TempDir dir;
    const std::string plugins = dir.mkdir("build/plugins");
    const std::string cert = dir.write("etc/tls/cert.pem", "c");
    const std::string key = dir.write("etc/tls/key.pem", "k");
    const std::string path = dir.write("etc/host.json", R"({
        "server": {"tls": {"certificateFile": "tls/cert.pem", "privateKeyFile": "./tls/key.pem"}},
        "plugins": {"dir": "../build/plugins"}})");
    const LoadResult r = loadConfigFile(path);
    ASSERT_TRUE(r.ok()) << r.errors[0];
    EXPECT_EQ(r.config.plugins.dir, plugins);
    EXPECT_EQ(r.config.server.tls.certificateFile, cert);
    EXPECT_EQ(r.config.server.tls.privateKeyFile, key);
}

TEST(ConfigFile, MessagesArePrefixedWithThePathAsGiven) {
    TempDir dir;
    dir.write("x.json", R"({"server": {"port": "80a"}})");
    const std::string cwd = std::filesystem::current_path().string();
    std::filesystem::current_path(dir.path());
    const LoadResult r = loadConfigFile("x.json");
    std::filesystem::current_path(cwd);
    EXPECT_EQ(r.errors, (test::Lines{"x.json: server.port: expected an integer between 0 and "
                                     "65535, got \"80a\""}));
}

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// tests/unit/<this file> → the repository root.
std::filesystem::path repoRoot() {
    return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
}

TEST(ConfigFile, ShippedExampleLoadsCleanly) {
    const std::filesystem::path example = repoRoot() / "etc" / "mcp-host.json";
    ASSERT_TRUE(std::filesystem::exists(example)) << example;
    const std::string text = readFile(example);
    ASSERT_TRUE(test::contains(text, "//")) << "the example should explain its keys in comments";

    // A copy in a tree of our own, so that its plugins.dir (../build/plugins) exists.
    TempDir dir;
    const std::string plugins = dir.mkdir("build/plugins");
    const LoadResult r = loadConfigFile(dir.write("etc/mcp-host.json", text));
    ASSERT_TRUE(r.ok()) << r.errors[0];
    EXPECT_TRUE(r.warnings.empty());
    EXPECT_EQ(r.config.plugins.dir, plugins);
    // The example shows the defaults.
    const HostConfig defaults = embeddedDefaults(plugins);
    EXPECT_EQ(r.config.server.host, defaults.server.host);
    EXPECT_EQ(r.config.server.port, defaults.server.port);
    EXPECT_EQ(r.config.server.threads, defaults.server.threads);
    EXPECT_EQ(r.config.server.maxQueued, defaults.server.maxQueued);
    EXPECT_EQ(r.config.mcp.path, defaults.mcp.path);
    EXPECT_EQ(r.config.mcp.maxRequestBytes, defaults.mcp.maxRequestBytes);
    EXPECT_EQ(r.config.mcp.pageSize, defaults.mcp.pageSize);
    EXPECT_EQ(r.config.mcp.sessionIdleSeconds, defaults.mcp.sessionIdleSeconds);
    EXPECT_EQ(r.config.mcp.maxSessions, defaults.mcp.maxSessions);
    EXPECT_EQ(r.config.auth.provider, defaults.auth.provider);
    EXPECT_EQ(r.config.logging.level, defaults.logging.level);
}

TEST(ConfigFile, ShippedExampleInPlaceFailsOnlyOnAMissingPluginsDir) {
    const std::filesystem::path example = repoRoot() / "etc" / "mcp-host.json";
    const LoadResult r = loadConfigFile(example.string());
    if (std::filesystem::is_directory(repoRoot() / "build" / "plugins")) {
        EXPECT_TRUE(r.ok()) << r.errors[0];
    } else {
        ASSERT_EQ(r.errors.size(), 1u);
        EXPECT_TRUE(test::contains(r.errors[0], "plugins.dir: directory does not exist"));
    }
}

}  // namespace
}  // namespace mcph::config
