// mcphost/plugin.hpp: no exception crosses the C boundary, each kind ends as documented, and
// the init / shutdown hooks carry the plugin's state.
#include <gtest/gtest.h>

#include <string>

#include "fake_host.hpp"

namespace abitest {
namespace {

class CxxLayer : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_EQ(plugin_.init(R"({"k":1})"), MCPH_OK); }
    LoadedPlugin plugin_{paths::cxxLayer};
};

TEST_F(CxxLayer, AStdExceptionBecomesAFailedErrorResultWithItsMessage) {
    const Outcome outcome = plugin_.invoke("cxx_throws_std", "{}");
    EXPECT_EQ(outcome.status, MCPH_ERR_FAILED);
    EXPECT_TRUE(outcome.result.isError);
    ASSERT_EQ(outcome.result.texts.size(), 2u);
    EXPECT_EQ(outcome.result.texts[1], "boom from std::runtime_error");
}

TEST_F(CxxLayer, ANonExceptionThrowIsCaughtToo) {
    const Outcome outcome = plugin_.invoke("cxx_throws_unknown", "{}");
    EXPECT_EQ(outcome.status, MCPH_ERR_FAILED);
    EXPECT_TRUE(outcome.result.isError);
    EXPECT_EQ(outcome.text(), "the tool threw an unknown exception");
}

TEST_F(CxxLayer, AToolErrorIsAnErrorResultOfACallThatRan) {
    const Outcome outcome = plugin_.invoke("cxx_tool_error", "{}");
    EXPECT_EQ(outcome.status, MCPH_OK);
    EXPECT_TRUE(outcome.result.isError);
    EXPECT_EQ(outcome.text(), "argument \"x\" is not acceptable");
}

TEST_F(CxxLayer, AReturnedStringIsATextBlockAndInitStateReachesTheTool) {
    const Outcome outcome = plugin_.invoke("cxx_returns_string", "{}");
    EXPECT_EQ(outcome.status, MCPH_OK);
    EXPECT_FALSE(outcome.result.isError);
    EXPECT_EQ(outcome.text(), R"(settings={"k":1})");
}

TEST_F(CxxLayer, HasScopeReadsTheCallersScopes) {
    const Caller writer = Caller::user("https://idp.example", "w", {"notes:read", "notes:write"});
    const Caller reader = Caller::user("https://idp.example", "r", {"notes:read"});
    EXPECT_EQ(plugin_.invoke("cxx_scopes", "{}", writer).text(), "has notes:write");
    EXPECT_EQ(plugin_.invoke("cxx_scopes", "{}", reader).text(), "lacks notes:write");
    EXPECT_EQ(plugin_.invoke("cxx_scopes", "{}", Caller::anonymous()).text(), "lacks notes:write");
}

TEST_F(CxxLayer, ShutdownHookGetsTheStateInitReturned) {
    plugin_.shutdown();
    const auto logs = plugin_.logs();
    ASSERT_EQ(logs.size(), 1u);
    EXPECT_EQ(logs[0].level, MCPH_LOG_INFO);
    EXPECT_EQ(logs[0].message, "cxx_layer shut down");
}

TEST(CxxLayerInit, AnExceptionInInitRefusesTheLoadWithItsMessage) {
    LoadedPlugin plugin(paths::cxxLayer);
    std::string reason;
    EXPECT_EQ(plugin.init(R"({"fail":true})", &reason), MCPH_ERR_FAILED);
    EXPECT_EQ(reason, "init refused: the settings asked for it");
}

}  // namespace
}  // namespace abitest
