// The good plugins in test-plugins/: slow (for shutdown tests) and the one built against the
// frozen 1.0 header.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "fake_host.hpp"
#include "test_json.hpp"

namespace abitest {
namespace {

TEST(Slow, SleepsAtLeastTheGivenTime) {
    LoadedPlugin plugin(paths::slow);
    ASSERT_EQ(plugin.init("{}"), MCPH_OK);
    const auto start = std::chrono::steady_clock::now();
    const Outcome outcome = plugin.invoke("slow_sleep", R"({"ms":40})");
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(outcome.status, MCPH_OK);
    EXPECT_EQ(outcome.text(), "slept 40 ms");
    EXPECT_GE(elapsed, std::chrono::milliseconds(40));
}

TEST(Slow, CountsTheCallsInFlight) {
    LoadedPlugin plugin(paths::slow);
    ASSERT_EQ(plugin.init("{}"), MCPH_OK);
    auto inFlight = [&plugin] {
        const Outcome outcome = plugin.invoke("slow_in_flight", "{}");
        EXPECT_TRUE(outcome.result.structured.has_value());
        return parseObject(outcome.result.structured.value_or("{}"))->optValue<int>("inFlight", -1);
    };
    EXPECT_EQ(inFlight(), 0);
    std::thread sleeper([&plugin] { plugin.invoke("slow_sleep", R"({"ms":300})"); });
    // Poll until the sleeper is inside the plugin: no fixed sleep, just a bounded wait.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int seen = 0;
    while (seen == 0 && std::chrono::steady_clock::now() < deadline) {
        seen = inFlight();
        std::this_thread::yield();
    }
    EXPECT_EQ(seen, 1);
    sleeper.join();
    EXPECT_EQ(inFlight(), 0);
}

TEST(Slow, RejectsABadDuration) {
    LoadedPlugin plugin(paths::slow);
    ASSERT_EQ(plugin.init("{}"), MCPH_OK);
    for (const char* arguments : {"{}", R"({"ms":-1})", R"({"ms":600001})", R"({"ms":"5"})"}) {
        const Outcome outcome = plugin.invoke("slow_sleep", arguments);
        EXPECT_EQ(outcome.status, MCPH_OK);
        EXPECT_TRUE(outcome.result.isError) << arguments;
    }
}

TEST(OldHeader, APluginBuiltAgainstAbi10StillWorks) {
    LoadedPlugin plugin(paths::oldHeader);
    EXPECT_EQ(plugin.descriptor()->abi_minor, 0u);
    ASSERT_EQ(plugin.init("{}"), MCPH_OK);
    const Outcome outcome = plugin.invoke("old_header_ping", "{}");
    EXPECT_EQ(outcome.status, MCPH_OK);
    EXPECT_EQ(outcome.text(), "pong");
    ASSERT_TRUE(outcome.result.structured.has_value());
    EXPECT_EQ(parseObject(*outcome.result.structured)->getValue<std::string>("abi"), "1.0");
    ASSERT_EQ(plugin.logs().size(), 1u);
    EXPECT_EQ(plugin.logs()[0].message, "built against ABI 1.0");
}

}  // namespace
}  // namespace abitest
