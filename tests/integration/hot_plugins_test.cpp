// Plugins added, replaced and removed while the host runs (plugins.dir watched with inotify, or
// rescanned on SIGHUP and POST /plugins/rescan), over real HTTP on 127.0.0.1 with the test
// plugin "hot" in two builds (tests/abi/plugins/hot.c): a replaced plugin serves new calls at
// once while a call in flight finishes on the old version; a truncated or half-written file is
// never loaded. No fixed sleeps: every wait polls for what it waits for, up to a deadline.
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Parser.h>
#include <Poco/StreamCopier.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "app/HostServer.h"
#include "app/LivePluginDirectory.h"
#include "pluginhost/OfferingRegistry.h"
#include "pluginhost/PluginLoader.h"
#include "support/HostProcess.h"
#include "support/HttpClient.h"
#include "support/TestHost.h"

using namespace mcph::testing;

namespace {

const std::string kHotV1 = MCPH_TEST_PLUGINS_DIR "/../hot-plugins/v1/hot.so";
const std::string kHotV2 = MCPH_TEST_PLUGINS_DIR "/../hot-plugins/v2/hot.so";
const std::string kEcho = MCPH_PLUGINS_DIR "/echo.so";

std::string readFile(const std::string& path) {
    Poco::FileInputStream in(path);
    std::string bytes;
    Poco::StreamCopier::copyToString(in, bytes);
    return bytes;
}

// How an operator should install a plugin: write it under a hidden name in the directory,
// then rename it into place, so the host never sees it half written.
void installAtomically(const std::string& bytes, const std::string& dir, const std::string& name) {
    const std::string temporary = dir + "/." + name + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    ASSERT_EQ(std::rename(temporary.c_str(), (dir + "/" + name).c_str()), 0);
}

// Polls `condition` until it holds or 20 s passed.
bool eventually(const std::function<bool()>& condition) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return condition();
}

Poco::JSON::Object::Ptr parse(const std::string& json) {
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

std::string toolNames(HttpClient& c, const std::string& sid) {
    auto tools =
        c.post(rpcRequest(90, "tools/list"), sid).json()->getObject("result")->getArray("tools");
    std::string names = " ";
    for (std::size_t i = 0; i < tools->size(); ++i)
        names += tools->getObject(i)->getValue<std::string>("name") + " ";
    return names;
}

bool serves(HttpClient& c, const std::string& sid, const std::string& tool) {
    return toolNames(c, sid).find(" " + tool + " ") != std::string::npos;
}

std::string text(const Poco::JSON::Object::Ptr& result) {
    return result->getArray("content")->getObject(0)->getValue<std::string>("text");
}

// The host as HostApplication runs it: the start-up load, the live directory (watcher,
// SIGHUP's and the admin endpoint's rescan) and the server.
class LiveHost {
  public:
    LiveHost(const std::string& dir, bool watch) : config_(testConfig(dir)) {
        config_.plugins.watch = watch;
        config_.admin.port = 0;
        report_ = mcph::pluginhost::loadPluginDirectory(dir, {});
        registry_ = std::make_unique<mcph::pluginhost::OfferingRegistry>(report_);
        live_ = std::make_unique<mcph::app::LivePluginDirectory>(*registry_, config_.plugins,
                                                                 report_.problems);
        server_ = std::make_unique<mcph::app::HostServer>(config_, *registry_);
        server_->setPluginRescan([this] { return live_->rescan("admin").toJson(); });
        server_->start();
    }
    ~LiveHost() {
        server_->stop();
        live_->stop();
        registry_->unloadAll();
    }
    unsigned short port() const { return server_->port(); }
    unsigned short adminPort() const { return server_->adminPort(); }
    const mcph::pluginhost::OfferingRegistry& registry() const { return *registry_; }
    bool watching() const { return live_->watching(); }

  private:
    mcph::config::HostConfig config_;
    mcph::pluginhost::LoadReport report_;
    std::unique_ptr<mcph::pluginhost::OfferingRegistry> registry_;
    std::unique_ptr<mcph::app::LivePluginDirectory> live_;
    std::unique_ptr<mcph::app::HostServer> server_;
};

// POST /plugins/rescan on the admin listener; the parsed answer.
Poco::JSON::Object::Ptr adminRescan(unsigned short adminPort) {
    HttpClient admin(adminPort);
    HttpReply reply = admin.request("POST", "/plugins/rescan");
    EXPECT_EQ(reply.status, 200) << reply.body;
    return parse(reply.body);
}

}  // namespace

TEST(HotPlugins, AFileRenamedInIsServedAndARemovedOneIsGone) {
    TempDir dir;
    LiveHost host(dir.path(), true);
    ASSERT_TRUE(host.watching());
    HttpClient c(host.port());
    const auto sid = c.openSession();
    EXPECT_FALSE(serves(c, sid, "hot_version"));

    installAtomically(readFile(kHotV1), dir.path(), "hot.so");
    ASSERT_TRUE(eventually([&] { return serves(c, sid, "hot_version"); }));
    EXPECT_EQ(text(c.callTool(sid, "hot_version", "{}")), "hot v1");

    ASSERT_EQ(std::remove((dir.path() + "/hot.so").c_str()), 0);
    ASSERT_TRUE(eventually([&] { return !serves(c, sid, "hot_version"); }));
    auto gone =
        c.post(rpcRequest(9, "tools/call", R"({"name":"hot_version","arguments":{}})"), sid);
    EXPECT_EQ(gone.json()->getObject("error")->getValue<int>("code"), -32602) << gone.body;
}

TEST(HotPlugins, AReplacedPluginServesNewCallsWhileACallInFlightFinishesOnTheOldVersion) {
    TempDir dir;
    installAtomically(readFile(kHotV1), dir.path(), "hot.so");
    LiveHost host(dir.path(), true);
    HttpClient c(host.port());
    const auto sid = c.openSession();
    ASSERT_EQ(text(c.callTool(sid, "hot_version", "{}")), "hot v1");
    std::weak_ptr<mcph::pluginhost::LoadedPlugin> v1 =
        host.registry().snapshot()->findPlugin("hot")->plugin;

    const std::string release = dir.path() + "/release";  // not a plugin name: no rescan
    auto inFlight = std::async(std::launch::async, [&] {
        HttpClient other(host.port());
        return text(
            other.callTool(other.openSession(), "hot_wait", R"({"until":")" + release + R"("})"));
    });
    ASSERT_TRUE(eventually([&] {
        return c.callTool(sid, "hot_in_flight", "{}")
                   ->getObject("structuredContent")
                   ->getValue<int>("inFlight") == 1;
    }));

    installAtomically(readFile(kHotV2), dir.path(), "hot.so");
    ASSERT_TRUE(eventually([&] { return text(c.callTool(sid, "hot_version", "{}")) == "hot v2"; }));
    // The new version's own count: the waiting call is not in it.
    EXPECT_EQ(c.callTool(sid, "hot_in_flight", "{}")
                  ->getObject("structuredContent")
                  ->getValue<int>("inFlight"),
              0);
    EXPECT_FALSE(v1.expired());  // held by the call in flight
    EXPECT_EQ(inFlight.wait_for(std::chrono::seconds(0)), std::future_status::timeout);

    std::ofstream(release).put('x');
    EXPECT_EQ(inFlight.get(), "hot v1 waited");
    EXPECT_EQ(text(c.callTool(sid, "hot_wait", R"({"until":")" + release + R"("})")),
              "hot v2 waited");
    EXPECT_TRUE(eventually([&] { return v1.expired(); }));  // unloaded after its last call
}

TEST(HotPlugins, ATruncatedOrHalfWrittenFileIsNeverLoaded) {
    TempDir dir;
    LiveHost host(dir.path(), true);
    HttpClient c(host.port());
    const auto sid = c.openSession();
    const std::string bytes = readFile(kHotV1);

    // What an interrupted copy leaves, renamed in.
    installAtomically(bytes.substr(0, bytes.size() / 2), dir.path(), "cut.so");
    // A file still being written in place: half of it there, not closed yet.
    const int writing =
        ::open((dir.path() + "/hot.so").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    ASSERT_GE(writing, 0);
    const std::size_t half = bytes.size() / 2;
    ASSERT_EQ(::write(writing, bytes.data(), half), static_cast<ssize_t>(half));

    // Another plugin renamed in: once it is served, a rescan has looked at both files.
    installAtomically(readFile(kEcho), dir.path(), "echo.so");
    ASSERT_TRUE(eventually([&] { return serves(c, sid, "echo"); }));
    EXPECT_FALSE(serves(c, sid, "hot_version"));

    // Finished and closed: loaded.
    ASSERT_EQ(::write(writing, bytes.data() + half, bytes.size() - half),
              static_cast<ssize_t>(bytes.size() - half));
    ASSERT_EQ(::close(writing), 0);
    ASSERT_TRUE(eventually([&] { return serves(c, sid, "hot_version"); }));
    EXPECT_EQ(text(c.callTool(sid, "hot_version", "{}")), "hot v1");
}

TEST(HotPlugins, TheAdminEndpointRescansAndAFailedReplacementKeepsTheOldVersion) {
    TempDir dir;
    LiveHost host(dir.path(), false);
    ASSERT_FALSE(host.watching());
    ASSERT_NE(host.adminPort(), 0);
    HttpClient c(host.port());
    const auto sid = c.openSession();

    installAtomically(readFile(kHotV1), dir.path(), "hot.so");
    EXPECT_FALSE(serves(c, sid, "hot_version"));  // not watched: nothing happens by itself
    {
        HttpClient admin(host.adminPort());
        HttpReply get = admin.request("GET", "/plugins/rescan");
        EXPECT_EQ(get.status, 405);
        EXPECT_EQ(get.header("allow"), "POST");
    }
    {
        HttpClient admin(host.adminPort());
        EXPECT_EQ(admin.request("POST", "/plugins/rescan", "", {{"Origin", "http://evil.example"}})
                      .status,
                  403);
    }
    EXPECT_FALSE(serves(c, sid, "hot_version"));

    auto added = adminRescan(host.adminPort());
    ASSERT_EQ(added->getArray("added")->size(), 1u);
    EXPECT_EQ(added->getArray("added")->getObject(0)->getValue<std::string>("plugin"), "hot");
    EXPECT_EQ(added->getArray("added")->getObject(0)->getValue<std::string>("version"), "1.0.0");
    EXPECT_EQ(text(c.callTool(sid, "hot_version", "{}")), "hot v1");
    EXPECT_EQ(adminRescan(host.adminPort())->getArray("added")->size(), 0u);  // nothing new

    // A replacement that cannot be loaded: skipped, the loaded version keeps serving.
    const std::string v2 = readFile(kHotV2);
    installAtomically(v2.substr(0, v2.size() - 100), dir.path(), "hot.so");
    auto failed = adminRescan(host.adminPort());
    ASSERT_EQ(failed->getArray("skipped")->size(), 1u);
    const std::string reason =
        failed->getArray("skipped")->getObject(0)->getValue<std::string>("reason");
    EXPECT_NE(reason.find("truncated"), std::string::npos) << reason;
    EXPECT_NE(reason.find("keeps serving"), std::string::npos) << reason;
    EXPECT_EQ(text(c.callTool(sid, "hot_version", "{}")), "hot v1");
    // The same bad file is not tried again.
    EXPECT_EQ(adminRescan(host.adminPort())->getArray("skipped")->size(), 0u);

    installAtomically(v2, dir.path(), "hot.so");
    auto replaced = adminRescan(host.adminPort());
    ASSERT_EQ(replaced->getArray("replaced")->size(), 1u);
    EXPECT_EQ(
        replaced->getArray("replaced")->getObject(0)->getValue<std::string>("previousVersion"),
        "1.0.0");
    EXPECT_EQ(text(c.callTool(sid, "hot_version", "{}")), "hot v2");

    ASSERT_EQ(std::remove((dir.path() + "/hot.so").c_str()), 0);
    auto removed = adminRescan(host.adminPort());
    ASSERT_EQ(removed->getArray("removed")->size(), 1u);
    EXPECT_FALSE(serves(c, sid, "hot_version"));
}

TEST(HotPlugins, SighupRescansTheDirectoryWhenItIsNotWatched) {
    TempDir plugins;
    TempDir etc;
    const std::string config = etc.write(
        "config.json", R"({"server":{"host":"127.0.0.1","port":0},"auth":{"provider":"none"},)"
                       R"("admin":{"enabled":false},"logging":{"level":"warning"},)"
                       R"("plugins":{"dir":")" +
                           plugins.path() + R"(","watch":false}})");
    HostProcess host(config);
    HttpClient c(host.port());
    const auto sid = c.openSession();

    installAtomically(readFile(kHotV1), plugins.path(), "hot.so");
    EXPECT_FALSE(serves(c, sid, "hot_version"));
    ASSERT_EQ(::kill(host.pid(), SIGHUP), 0);
    ASSERT_TRUE(eventually([&] { return serves(c, sid, "hot_version"); }));
    EXPECT_EQ(text(c.callTool(sid, "hot_version", "{}")), "hot v1");

    installAtomically(readFile(kHotV2), plugins.path(), "hot.so");
    ASSERT_EQ(::kill(host.pid(), SIGHUP), 0);
    ASSERT_TRUE(eventually([&] { return text(c.callTool(sid, "hot_version", "{}")) == "hot v2"; }));

    ASSERT_EQ(std::remove((plugins.path() + "/hot.so").c_str()), 0);
    ASSERT_EQ(::kill(host.pid(), SIGHUP), 0);
    ASSERT_TRUE(eventually([&] { return !serves(c, sid, "hot_version"); }));

    host.terminate();
    EXPECT_EQ(host.wait(), 0);
}
