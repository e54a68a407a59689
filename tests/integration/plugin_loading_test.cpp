// Loading plugins as an operator meets it: a directory with good, bad and foreign files.
#include <gtest/gtest.h>

#include <Poco/File.h>

#include "pluginhost/PluginLoader.h"
#include "pluginhost/OfferingRegistry.h"
#include "support/HostProcess.h"
#include "support/HttpClient.h"
#include "support/TestHost.h"

using namespace mcph::testing;

namespace {

void copyInto(const std::string& file, const TempDir& dir) { Poco::File(file).copyTo(dir.path()); }

std::string reasonFor(const mcph::pluginhost::LoadReport& report, const std::string& fileName) {
    std::string reasons;
    for (const auto& p : report.problems) {
        if (p.file.size() >= fileName.size() && p.file.compare(p.file.size() - fileName.size(), fileName.size(), fileName) == 0) {
            reasons += p.reason + "\n";
        }
    }
    return reasons;
}

}  // namespace

TEST(PluginLoading, BadPluginsAreSkippedWithTheirReasonAndTheRestServe) {
    TempDir dir;
    // Files load in name order and the first claim on a tool name wins: echo goes first.
    Poco::File(std::string(MCPH_PLUGINS_DIR) + "/echo.so").copyTo(dir.path() + "/00-echo.so");
    std::vector<std::string> bad;
    Poco::File(MCPH_BAD_PLUGINS_DIR).list(bad);
    ASSERT_GE(bad.size(), 10u);
    for (const auto& f : bad) copyInto(std::string(MCPH_BAD_PLUGINS_DIR) + "/" + f, dir);
    dir.write("README.txt", "not a plugin, and not named .so: ignored");

    auto config = testConfig(dir.path());
    TestHost host(config);
    const auto& report = host.report();

    const std::pair<const char*, const char*> expected[] = {
        {"bad_not_elf.so", "not an ELF file"},
        {"bad_no_entry.so", "no entry symbol mcph_plugin_entry_v1"},
        {"bad_null_entry.so", "returned no descriptor"},
        {"bad_wrong_magic.so", "bad magic"},
        {"bad_abi_major2.so", "ABI major 2"},
        {"bad_struct_size.so", "struct_size"},
        {"bad_plugin_name.so", "plugin name"},
        {"bad_init_fails.so", "init failed"},
        {"bad_tool_name.so", "invalid tool name"},
        {"bad_schema_not_json.so", "not valid JSON"},
        {"bad_schema_not_object.so", "not a JSON object"},
        {"bad_duplicate_echo.so", "already served by plugin \"echo\""},
    };
    for (const auto& [file, reason] : expected) {
        EXPECT_NE(reasonFor(report, file).find(reason), std::string::npos)
            << file << " should be refused with \"" << reason << "\", got: " << reasonFor(report, file);
    }
    EXPECT_EQ(reasonFor(report, "README.txt"), "");

    // The good plugin serves, and the plugin whose tool fails answers with isError.
    HttpClient c(host.port());
    auto sid = c.openSession();
    auto echo = c.callTool(sid, "echo", R"({"text":"still here"})");
    EXPECT_EQ(echo->getArray("content")->getObject(0)->getValue<std::string>("text"), "still here");
    ASSERT_TRUE(host.registry().snapshot()->find("bad_invoke_fails"));
    auto failed = c.callTool(sid, "bad_invoke_fails", "{}");
    EXPECT_TRUE(failed->getValue<bool>("isError"));
    EXPECT_EQ(c.request("GET", "/healthz").status, 200);
}

TEST(PluginLoading, APluginBuiltOutOfTreeAgainstTheInstalledSdkLoadsAndServes) {
    TempDir dir;
    copyInto(std::string(MCPH_OUT_OF_TREE_DIR) + "/hello.so", dir);
    TestHost host(testConfig(dir.path()));
    ASSERT_TRUE(host.report().problems.empty()) << host.report().problems.front().reason;
    HttpClient c(host.port());
    auto sid = c.openSession();
    auto r = c.callTool(sid, "hello", "{}");
    EXPECT_FALSE(r->has("isError"));
    EXPECT_EQ(r->getArray("content")->getObject(0)->getValue<std::string>("text"), "Hello, anonymous!");
    // Its argument, read with the host's accessors (ABI 1.2), not a JSON parser of its own.
    auto named = c.callTool(sid, "hello", R"({"name":"Grace \"Amazing\" Hopper"})");
    EXPECT_EQ(named->getArray("content")->getObject(0)->getValue<std::string>("text"), "Hello, Grace \"Amazing\" Hopper!");
    auto wrong = c.callTool(sid, "hello", R"({"name":42})");
    EXPECT_TRUE(wrong->getValue<bool>("isError"));
}

TEST(PluginLoading, APluginBuiltAgainstTheFrozen11HeaderStillLoadsAndServes) {
    TempDir dir;
    copyInto(std::string(MCPH_TEST_PLUGINS_DIR) + "/../old-plugins/old_header_1_1.so", dir);
    TestHost host(testConfig(dir.path()));
    ASSERT_TRUE(host.report().problems.empty()) << host.report().problems.front().reason;
    HttpClient c(host.port());
    auto sid = c.openSession();
    auto r = c.callTool(sid, "old11_ping", "{}");
    EXPECT_EQ(r->getArray("content")->getObject(0)->getValue<std::string>("text"), "pong 1.1");
    auto read = c.post(rpcRequest(50, "resources/read", R"({"uri":"old11://greeting"})"), sid).json();
    EXPECT_EQ(read->getObject("result")->getArray("contents")->getObject(0)->getValue<std::string>("text"), "hello from 1.1");
    auto prompt = c.post(rpcRequest(51, "prompts/get", R"({"name":"old11_prompt"})"), sid).json();
    EXPECT_EQ(prompt->getObject("result")->getArray("messages")->getObject(0)->getObject("content")->getValue<std::string>("text"),
              "prompt from 1.1");
}

TEST(PluginLoading, APluginBuiltAgainstTheOldHeaderStillLoads) {
    TempDir dir;
    copyInto(std::string(MCPH_TEST_PLUGINS_DIR) + "/old_header.so", dir);
    TestHost host(testConfig(dir.path()));
    ASSERT_TRUE(host.report().problems.empty());
    HttpClient c(host.port());
    auto r = c.callTool(c.openSession(), "old_header_ping", "{}");
    EXPECT_FALSE(r->has("isError"));
}

TEST(PluginLoading, SettingsReachThePluginAndNotesSurviveARestart) {
    TempDir dir;
    copyInto(std::string(MCPH_PLUGINS_DIR) + "/notes.so", dir);
    TempDir data;
    auto config = testConfig(dir.path());
    config.plugins.settingsJson["notes"] = R"({"database":")" + data.path() + R"(/notes.sqlite3"})";
    std::string id;
    {
        TestHost host(config);
        HttpClient c(host.port());
        auto r = c.callTool(c.openSession(), "notes_add", R"({"title":"t","text":"remember the milk"})");
        ASSERT_FALSE(r->has("isError"));
    }
    TestHost again(config);
    HttpClient c(again.port());
    auto list = c.callTool(c.openSession(), "notes_list", "{}");
    auto notes = list->getObject("structuredContent")->getArray("notes");
    ASSERT_EQ(notes->size(), 1u);
    EXPECT_NE(notes->getObject(0)->getValue<std::string>("snippet").find("milk"), std::string::npos);
}

TEST(PluginLoading, AMissingPluginDirectoryIsReportedNotFatal) {
    auto config = testConfig("/nonexistent/plugins");
    TestHost host(config);
    ASSERT_EQ(host.report().problems.size(), 1u);
    EXPECT_NE(host.report().problems[0].reason.find("does not exist"), std::string::npos);
    HttpClient c(host.port());
    auto list = c.post(rpcRequest(2, "tools/list"), c.openSession()).json();
    EXPECT_EQ(list->getObject("result")->getArray("tools")->size(), 0u);
}
