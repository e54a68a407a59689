// plugins.isolation "process" over real HTTP with the real mcp-host binary: plugins that
// segfault, abort, hang (ignoring cancellation) and allocate without bound run in worker
// processes (tests/abi/plugins/misbehave.c), while an in-process plugin (echo) and another
// isolated one (slow) keep answering. Also the in-process call timeout, and progress and client
// log messages from an isolated plugin reaching the client.
#include <Poco/File.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "support/HostProcess.h"
#include "support/HttpClient.h"

using namespace mcph::testing;

namespace {

// AddressSanitizer reserves terabytes of address space at start: RLIMIT_AS cannot apply.
// GCC says so with __SANITIZE_ADDRESS__, clang 14 only through __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define MCPH_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MCPH_TEST_ASAN 1
#endif
#endif
#ifdef MCPH_TEST_ASAN
constexpr bool kMemoryLimitApplies = false;
#else
constexpr bool kMemoryLimitApplies = true;
#endif

const std::string kIsolationPlugins = MCPH_TEST_PLUGINS_DIR "/../isolation-plugins";

std::string firstText(const Poco::JSON::Object::Ptr& result) {
    auto content = result->getArray("content");
    return content && content->size() ? content->getObject(0)->optValue<std::string>("text", "")
                                      : "";
}

bool isError(const Poco::JSON::Object::Ptr& result) {
    return result->optValue<bool>("isError", false);
}

// A host serving echo (in-process), slow (isolated), misbehave (isolated: 256 MiB) and
// misbehave_local (in-process), every call timed out after 1 s (in-process ones too).
class IsolatedHost {
  public:
    IsolatedHost() {
        for (const auto& [from, name] :
             {std::pair<std::string, std::string>{MCPH_PLUGINS_DIR, "echo.so"},
              {MCPH_TEST_PLUGINS_DIR, "slow.so"},
              {kIsolationPlugins, "misbehave.so"},
              {kIsolationPlugins, "misbehave_local.so"}}) {
            Poco::File(from + "/" + name).copyTo(plugins_.path() + "/" + name);
        }
        const std::string markers = R"({"markerDir":")" + markers_.path() + R"("})";
        const std::string config = etc_.write(
            "config.json",
            R"({"server":{"host":"127.0.0.1","port":0},"auth":{"provider":"none"},)"
            R"("admin":{"enabled":false},"logging":{"level":"warning","accessLog":false},)"
            R"("plugins":{"dir":")" +
                plugins_.path() +
                R"(","callTimeoutSeconds":1,"timeInProcessCalls":true,)"
                R"("settings":{"misbehave":)" +
                markers + R"(,"misbehave_local":)" + markers +
                "},"
                R"("overrides":{"misbehave.so":{"isolation":"process")" +
                std::string(kMemoryLimitApplies ? R"(,"limits":{"memoryMiB":256}},)" : "},") +
                R"("slow.so":{"isolation":"process"}}}})");
        host_ = std::make_unique<HostProcess>(config);
    }

    unsigned short port() const { return host_->port(); }
    bool marked(const std::string& plugin) const {
        return Poco::File(markers_.path() + "/" + plugin + ".cancelled").exists();
    }

  private:
    TempDir plugins_, etc_, markers_;
    std::unique_ptr<HostProcess> host_;
};

struct Client {
    HttpClient http;
    std::string sid;
    explicit Client(unsigned short port) : http(port), sid(http.openSession()) {}
    Poco::JSON::Object::Ptr call(const std::string& tool, const std::string& args = "{}") {
        return http.callTool(sid, tool, args);
    }
};

// The other plugins answer: echo in the host's process, slow in its own worker.
void expectOthersAnswer(unsigned short port) {
    Client c(port);
    auto echo = c.call("echo", R"({"text":"still here"})");
    EXPECT_FALSE(isError(echo));
    EXPECT_EQ(firstText(echo), "still here");
    auto slow = c.call("slow_in_flight");
    EXPECT_FALSE(isError(slow)) << firstText(slow);
}

// Polls until mb_pid answers (the worker restarted), within a bound; returns its pid text.
std::string waitForWorker(unsigned short port) {
    Client c(port);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        auto result = c.call("mb_pid");
        if (!isError(result)) return firstText(result);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return "";
}

// Runs `tool` on its own connection while the others are asked to answer; returns its result.
Poco::JSON::Object::Ptr callWhileOthersAnswer(unsigned short port, const std::string& tool) {
    auto bad = std::async(std::launch::async, [port, tool] { return Client(port).call(tool); });
    expectOthersAnswer(port);
    auto result = bad.get();
    expectOthersAnswer(port);
    return result;
}

void expectCrashNamedAndRecovered(const std::string& tool, const std::string& signal) {
    IsolatedHost host;
    const std::string before = waitForWorker(host.port());
    ASSERT_FALSE(before.empty());
    auto result = callWhileOthersAnswer(host.port(), tool);
    EXPECT_TRUE(isError(result));
    const std::string text = firstText(result);
    EXPECT_NE(text.find("\"misbehave\""), std::string::npos) << text;
    EXPECT_NE(text.find(signal), std::string::npos) << text;
    const std::string after = waitForWorker(host.port());
    EXPECT_FALSE(after.empty()) << "the worker did not come back";
    EXPECT_NE(after, before) << "a new worker process answers";
}

}  // namespace

TEST(PluginIsolation, IsolatedPluginRunsInAProcessOfItsOwn) {
    IsolatedHost host;
    Client c(host.port());
    const std::string isolated = firstText(c.call("mb_pid"));
    const std::string local = firstText(c.call("mbl_pid"));
    EXPECT_FALSE(isolated.empty());
    EXPECT_NE(isolated, local);
}

TEST(PluginIsolation, SegfaultFailsTheCallNamingThePluginAndTheWorkerRestarts) {
#ifdef MCPH_TEST_ASAN
    // AddressSanitizer catches the segfault in the worker, reports it and exits with status 1.
    expectCrashNamedAndRecovered("mb_segfault", "exited with status");
#else
    expectCrashNamedAndRecovered("mb_segfault", "SIGSEGV");
#endif
}

TEST(PluginIsolation, AbortFailsTheCallNamingThePluginAndTheWorkerRestarts) {
    expectCrashNamedAndRecovered("mb_abort", "SIGABRT");
}

TEST(PluginIsolation, HangIsCancelledFirstThenTimedOutAndTheWorkerRestarts) {
    IsolatedHost host;
    const std::string before = waitForWorker(host.port());
    auto result = callWhileOthersAnswer(host.port(), "mb_hang");
    EXPECT_TRUE(isError(result));
    EXPECT_NE(firstText(result).find("timed out"), std::string::npos) << firstText(result);
    EXPECT_NE(firstText(result).find("\"misbehave\""), std::string::npos) << firstText(result);
    EXPECT_TRUE(host.marked("misbehave")) << "is_cancelled never turned true in the worker";
    const std::string after = waitForWorker(host.port());
    EXPECT_FALSE(after.empty());
    EXPECT_NE(after, before);
}

TEST(PluginIsolation, UnboundedAllocationIsStoppedByTheMemoryLimit) {
    if (!kMemoryLimitApplies) GTEST_SKIP() << "RLIMIT_AS does not work under AddressSanitizer";
    IsolatedHost host;
    auto result = callWhileOthersAnswer(host.port(), "mb_hog");
    EXPECT_TRUE(isError(result)) << firstText(result);
    EXPECT_NE(firstText(result).find("out of memory"), std::string::npos) << firstText(result);
}

TEST(PluginIsolation, InProcessHangIsAnsweredWithATimeoutError) {
    IsolatedHost host;
    auto result = callWhileOthersAnswer(host.port(), "mbl_hang");
    EXPECT_TRUE(isError(result));
    EXPECT_NE(firstText(result).find("timed out"), std::string::npos) << firstText(result);
    EXPECT_TRUE(host.marked("misbehave_local")) << "is_cancelled never turned true";
    // The host's process still serves that plugin's other tools.
    EXPECT_FALSE(isError(Client(host.port()).call("mbl_pid")));
}

TEST(PluginIsolation, ProgressAndLogFromAnIsolatedPluginReachTheClient) {
    IsolatedHost host;
    Client c(host.port());
    auto reply = c.http.post(
        rpcRequest(7, "tools/call",
                   R"({"name":"mb_talk","arguments":{},"_meta":{"progressToken":"t1"}})"),
        c.sid);
    ASSERT_EQ(reply.status, 200);
    EXPECT_NE(reply.body.find(R"("method":"notifications/progress")"), std::string::npos)
        << reply.body;
    EXPECT_NE(reply.body.find(R"("message":"half way")"), std::string::npos) << reply.body;
    EXPECT_NE(reply.body.find(R"("method":"notifications/message")"), std::string::npos)
        << reply.body;
    EXPECT_NE(reply.body.find("talking from misbehave"), std::string::npos) << reply.body;
    EXPECT_NE(reply.body.find("talked"), std::string::npos) << reply.body;
}

TEST(PluginIsolation, ListPluginsShowsEachPluginsIsolation) {
    TempDir plugins, etc;
    Poco::File(kIsolationPlugins + "/misbehave.so").copyTo(plugins.path() + "/misbehave.so");
    Poco::File(std::string(MCPH_PLUGINS_DIR) + "/echo.so").copyTo(plugins.path() + "/echo.so");
    const std::string config = etc.write(
        "config.json", R"({"auth":{"provider":"none"},"plugins":{"dir":")" + plugins.path() +
                           R"(","overrides":{"misbehave.so":{"isolation":"process"}}}})");
    RunResult run = runHost({"--list-plugins", "--config", config});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_NE(
        run.out.find("misbehave 1.0.0  " + plugins.path() + "/misbehave.so  isolation: process"),
        std::string::npos)
        << run.out;
    EXPECT_NE(run.out.find("echo.so  isolation: in-process"), std::string::npos) << run.out;
}

TEST(PluginIsolation, ResourcesAndPromptsOfAnIsolatedPluginAreServed) {
    TempDir plugins, etc;
    Poco::File(MCPH_TEST_PLUGINS_DIR "/../conformance-plugins/conformance.so")
        .copyTo(plugins.path() + "/conformance.so");
    const std::string config = etc.write(
        "config.json", R"({"server":{"host":"127.0.0.1","port":0},"auth":{"provider":"none"},)"
                       R"("admin":{"enabled":false},"logging":{"level":"warning"},)"
                       R"("plugins":{"dir":")" +
                           plugins.path() + R"(","isolation":"process"}})");
    HostProcess host(config);
    Client c(host.port());
    auto read =
        c.http.post(rpcRequest(3, "resources/read", R"({"uri":"test://static-text"})"), c.sid)
            .json();
    ASSERT_TRUE(read->has("result")) << read->has("error");
    auto contents = read->getObject("result")->getArray("contents");
    ASSERT_EQ(contents->size(), 1u);
    EXPECT_EQ(contents->getObject(0)->getValue<std::string>("uri"), "test://static-text");
    auto prompt =
        c.http.post(rpcRequest(4, "prompts/get", R"({"name":"test_simple_prompt"})"), c.sid).json();
    ASSERT_TRUE(prompt->has("result"));
    EXPECT_EQ(prompt->getObject("result")->getArray("messages")->size(), 1u);
}

TEST(PluginIsolation, CheckConfigNamesBadIsolationKeys) {
    TempDir etc;
    const std::string config =
        etc.write("bad.json", R"({"plugins":{"isolation":"sandbox","limits":{"memoryMiB":3},)"
                              R"("overrides":{"../x.so":{},"a.so":{"isolaton":"process"}}}})");
    RunResult run = runHost({"--check-config", config});
    EXPECT_NE(run.exitCode, 0);
    for (const char* expected :
         {"plugins.isolation: expected \"in-process\" or \"process\", got \"sandbox\"",
          "plugins.limits.memoryMiB: expected 0 (no limit) or at least 64",
          "plugins.overrides.../x.so: expected a plugin's file name in plugins.dir",
          "plugins.overrides.a.so.isolaton: unknown key (did you mean \"isolation\"?)"}) {
        EXPECT_NE(run.err.find(expected), std::string::npos) << expected << "\n" << run.err;
    }
}
