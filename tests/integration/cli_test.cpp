// The mcp-host binary: command line, config checking, signals.
#include <gtest/gtest.h>

#include <Poco/File.h>

#include <cstdlib>
#include <optional>
#include <thread>

#include "support/HostProcess.h"
#include "support/HttpClient.h"

using namespace mcph::testing;

namespace {
// Sets an environment variable for the scope (child processes inherit it), then restores it.
class ScopedEnvironment {
public:
    ScopedEnvironment(std::string name, const std::string& value) : name_(std::move(name)) {
        if (const char* old = ::getenv(name_.c_str())) old_ = old;
        ::setenv(name_.c_str(), value.c_str(), 1);
    }
    ~ScopedEnvironment() {
        if (old_) {
            ::setenv(name_.c_str(), old_->c_str(), 1);
        } else {
            ::unsetenv(name_.c_str());
        }
    }
    ScopedEnvironment(const ScopedEnvironment&) = delete;
    ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

private:
    std::string name_;
    std::optional<std::string> old_;
};

std::string configFor(const std::string& pluginsDir, const std::string& extraAuth = "") {
    return R"({"server":{"host":"127.0.0.1","port":0},"plugins":{"dir":")" + pluginsDir +
           R"("},"auth":{"provider":"none")" + extraAuth + "}}";
}
}  // namespace

TEST(Cli, VersionAndHelp) {
    auto v = runHost({"--version"});
    EXPECT_EQ(v.exitCode, 0);
    EXPECT_NE(v.out.find("mcp-host "), std::string::npos);
    EXPECT_NE(v.out.find("plugin ABI 1."), std::string::npos);
    auto h = runHost({"--help"});
    EXPECT_EQ(h.exitCode, 0);
    EXPECT_NE(h.out.find("--check-config"), std::string::npos);
    EXPECT_NE(h.out.find("--list-plugins"), std::string::npos);
}

TEST(Cli, CheckConfigAcceptsAGoodFile) {
    TempDir dir;
    auto file = dir.write("ok.json", configFor(MCPH_PLUGINS_DIR));
    auto r = runHost({"--check-config", file});
    EXPECT_EQ(r.exitCode, 0) << r.err;
}

TEST(Cli, CheckConfigReportsEveryProblemOnItsOwnLine) {
    TempDir dir;
    auto file = dir.write("bad.json", R"({
      "server": {"hots": "127.0.0.1", "port": "eighty", "publicUrl": "ftp://x"},
      "plugins": {"dir": "/definitely/not/here"}
    })");
    auto r = runHost({"--check-config", file});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("server.hots"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("server.port"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("server.publicUrl"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("plugins.dir"), std::string::npos) << r.err;
    EXPECT_GE(std::count(r.err.begin(), r.err.end(), '\n'), 4);

    auto missing = runHost({"--check-config", dir.path() + "/absent.json"});
    EXPECT_EQ(missing.exitCode, 2);
    EXPECT_FALSE(missing.err.empty());
}

TEST(Cli, RefusesUnauthenticatedNonLoopbackUnlessTold) {
    TempDir dir;
    auto open = dir.write("open.json", R"({"server":{"host":"0.0.0.0","port":0},"plugins":{"dir":")" +
                                           std::string(MCPH_PLUGINS_DIR) + R"("}})");
    auto r = runHost({"--check-config", open});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("dangerouslyAllowUnauthenticatedNonLoopback"), std::string::npos) << r.err;
}

TEST(Cli, ListPlugins) {
    TempDir dir;
    auto file = dir.write("ok.json", configFor(MCPH_PLUGINS_DIR));
    auto r = runHost({"--list-plugins", "--config", file});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("echo"), std::string::npos);
    EXPECT_NE(r.out.find("whoami"), std::string::npos);
    EXPECT_NE(r.out.find("notes_add"), std::string::npos);
    // Each plugin's line says how it runs.
    EXPECT_NE(r.out.find("/echo.so  isolation: in-process\n"), std::string::npos) << r.out;

    // Each tool's line names the scopes it requires; a tool needing none gets nothing extra.
    auto scopedFile = dir.write("scoped.json", configFor(MCPH_TEST_PLUGINS_DIR));
    auto scoped = runHost({"--list-plugins", "--config", scopedFile});
    EXPECT_EQ(scoped.exitCode, 0) << scoped.err;
    EXPECT_NE(scoped.out.find("  scoped_read (scopes: secrets:read)\n"), std::string::npos)
        << scoped.out;
    EXPECT_NE(scoped.out.find("  scoped_admin (scopes: secrets:read secrets:admin)\n"),
              std::string::npos)
        << scoped.out;
    EXPECT_NE(scoped.out.find("  slow_sleep\n"), std::string::npos) << scoped.out;
}

TEST(Cli, ServesAndStopsCleanlyOnSigtermFinishingRequestsInFlight) {
    TempDir dir;
    auto file = dir.write("slow.json", configFor(MCPH_TEST_PLUGINS_DIR));
    HostProcess host(file);
    HttpClient c(host.port());
    auto sid = c.openSession();

    // A call that takes a while is in flight when SIGTERM arrives: it must still be answered.
    Poco::JSON::Object::Ptr result;
    std::string failure;
    std::thread caller([&] {
        try {
            HttpClient slow(host.port());
            result = slow.callTool(sid, "slow_sleep", R"({"ms":1500})");
        } catch (const std::exception& e) {
            failure = e.what();
        }
    });
    // Wait until the call is running in the plugin: its started-marker file appears.
    HttpClient probe(host.port());
    for (int i = 0; i < 2000; ++i) {
        auto r = probe.callTool(sid, "slow_in_flight", "{}");
        if (r->getObject("structuredContent")->getValue<int>("inFlight") > 0) break;
        std::this_thread::yield();
    }
    host.terminate();
    caller.join();
    EXPECT_EQ(host.wait(), 0);
    ASSERT_TRUE(result) << failure;
    EXPECT_FALSE(result->has("isError"));
    EXPECT_NE(host.stderrText().find("stopped"), std::string::npos);
}

TEST(Cli, EveryShippedExampleConfigIsValid) {
    // The examples name ../build/plugins: give them that layout in a scratch tree. Every file
    // is copied before any is checked: local.json names users.example.json beside it.
    TempDir tree;
    Poco::File(tree.path() + "/etc").createDirectories();
    Poco::File(tree.path() + "/build/plugins").createDirectories();
    std::vector<std::string> files;
    Poco::File(std::string(MCPH_SOURCE_DIR) + "/etc").list(files);
    for (const auto& name : files) {
        Poco::File(std::string(MCPH_SOURCE_DIR) + "/etc/" + name).copyTo(tree.path() + "/etc/" + name);
    }
    // The proxy-mode examples take their upstream client from the environment, as they should.
    ScopedEnvironment id("CLIENT_ID", "example-client-id");
    ScopedEnvironment secret("CLIENT_SECRET", "example-client-secret");
    int checked = 0;
    for (const auto& name : files) {
        if (name.size() < 5 || name.compare(name.size() - 5, 5, ".json") != 0) continue;
        if (name.rfind("users", 0) == 0) continue;  // users files of the "local" provider, not configs
        auto r = runHost({"--check-config", tree.path() + "/etc/" + name});
        EXPECT_EQ(r.exitCode, 0) << name << ": " << r.err;
        EXPECT_EQ(r.err.find("example-client-secret"), std::string::npos) << name << ": " << r.err;
        ++checked;
    }
    EXPECT_GE(checked, 11);
}
