// The echo plugin (plain C) and its JSON string reader, driven through the C ABI.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fake_host.hpp"

namespace abitest {
namespace {

class Echo : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_EQ(plugin_.init("{}"), MCPH_OK); }

    // The echoed text; fails the test if the call did not succeed with one text block.
    std::string echo(const std::string& arguments) {
        const Outcome outcome = plugin_.invoke("echo", arguments);
        EXPECT_EQ(outcome.status, MCPH_OK) << arguments;
        EXPECT_FALSE(outcome.result.isError) << arguments << " -> " << outcome.text();
        EXPECT_EQ(outcome.result.texts.size(), 1u) << arguments;
        return outcome.text();
    }

    // The message of a tool error; fails the test if the call was not one.
    std::string toolError(const std::string& arguments) {
        const Outcome outcome = plugin_.invoke("echo", arguments);
        EXPECT_EQ(outcome.status, MCPH_OK) << arguments;
        EXPECT_TRUE(outcome.result.isError) << arguments << " -> " << outcome.text();
        return outcome.text();
    }

    LoadedPlugin plugin_{paths::echo};
};

TEST_F(Echo, SendsTheTextBack) { EXPECT_EQ(echo(R"({"text":"hello, world"})"), "hello, world"); }

TEST_F(Echo, DecodesEveryShortEscape) {
    EXPECT_EQ(echo(R"({"text":"q\" b\\ s\/ n\n t\t r\r b\b f\f"})"),
              "q\" b\\ s/ n\n t\t r\r b\b f\f");
}

TEST_F(Echo, DecodesUnicodeEscapesToUtf8) {
    EXPECT_EQ(echo(R"({"text":"\u0041\u00e9\u00C9\u20ac"})"), "A\xc3\xa9\xc3\x89\xe2\x82\xac");
}

TEST_F(Echo, JoinsSurrogatePairsIntoOneCodePoint) {
    EXPECT_EQ(echo(R"({"text":"\ud83d\ude00 \uD834\uDD1E"})"), "\xf0\x9f\x98\x80 \xf0\x9d\x84\x9e");
}

TEST_F(Echo, ReplacesLoneSurrogatesWithU_FFFD) {
    EXPECT_EQ(echo(R"({"text":"\ud800x"})"), "\xef\xbf\xbdx");
    EXPECT_EQ(echo(R"({"text":"\udc00"})"), "\xef\xbf\xbd");
    EXPECT_EQ(echo(R"({"text":"\ud83d\u0041"})"),
              "\xef\xbf\xbd"
              "A");
    EXPECT_EQ(echo(R"({"text":"\ud83d"})"), "\xef\xbf\xbd");
}

TEST_F(Echo, PassesRawUtf8Through) {
    EXPECT_EQ(echo("{\"text\":\"h\xc3\xa9llo \xf0\x9f\x98\x80\"}"),
              "h\xc3\xa9llo \xf0\x9f\x98\x80");
}

TEST_F(Echo, KeepsAnEmbeddedNul) {
    EXPECT_EQ(echo(R"({"text":"a\u0000b"})"), std::string("a\0b", 3));
}

TEST_F(Echo, EchoesTheEmptyString) { EXPECT_EQ(echo(R"({"text":""})"), ""); }

TEST_F(Echo, FindsTheTopLevelTextAmongNestedOnes) {
    EXPECT_EQ(echo(R"({"x":{"text":"inner","y":[1,{"text":"deep"}]},"text":"outer","z":null})"),
              "outer");
}

TEST_F(Echo, MatchesAnEscapedKey) { EXPECT_EQ(echo(R"({"t\u0065xt":"hi"})"), "hi"); }

TEST_F(Echo, TakesTheLastOfDuplicateKeys) {
    EXPECT_EQ(echo(R"({"text":"first","text":"last"})"), "last");
}

TEST_F(Echo, AcceptsAnyWhitespaceAndEveryValueKind) {
    EXPECT_EQ(echo(" \r\n\t{ \"a\" : [ ] , \"b\":{},\"c\":-1.5e+3,\"d\":0,\"e\":true,\"f\":false,"
                   "\"g\":null,\"h\":1E-2 , \"text\" : \"ok\" } \n"),
              "ok");
}

TEST_F(Echo, MissingTextIsAToolError) {
    EXPECT_EQ(toolError("{}"), "missing required argument \"text\"");
    EXPECT_EQ(toolError(R"({"text":null})"), "missing required argument \"text\"");
    EXPECT_EQ(toolError(R"({"Text":"case matters"})"), "missing required argument \"text\"");
}

TEST_F(Echo, NonStringTextIsAToolError) {
    for (const char* value : {"42", "true", "[\"a\"]", "{\"text\":\"a\"}"}) {
        EXPECT_EQ(toolError(std::string("{\"text\":") + value + "}"),
                  "argument \"text\" must be a string")
            << value;
    }
}

TEST_F(Echo, MalformedArgumentsAreAToolError) {
    const std::string deep = std::string(100, '[') + std::string(100, ']');
    const std::vector<std::string> malformed = {R"({"text":"a")",
                                                R"({"text":"a"} x)",
                                                R"({"text":"\x"})",
                                                R"({"text":"\u12"})",
                                                R"({"text":"\u12G4"})",
                                                "{\"text\":\"raw\ncontrol\"}",
                                                "[]",
                                                R"("text")",
                                                R"({"text" "a"})",
                                                "{,}",
                                                R"({"text":"a",})",
                                                R"({"a":01,"text":"x"})",
                                                R"({"a":1.,"text":"x"})",
                                                R"({"a":-,"text":"x"})",
                                                R"({"a":tru,"text":"x"})",
                                                R"({"a":[1,],"text":"x"})",
                                                "{\"a\":" + deep + ",\"text\":\"x\"}",
                                                "",
                                                "{"};
    for (const std::string& arguments : malformed) {
        EXPECT_EQ(toolError(arguments), "arguments are not a valid JSON object") << arguments;
    }
}

TEST_F(Echo, AcceptsNestingUpToTheLimit) {
    const std::string nested = std::string(60, '[') + std::string(60, ']');
    EXPECT_EQ(echo("{\"a\":" + nested + ",\"text\":\"ok\"}"), "ok");
}

TEST_F(Echo, DeclaresReadOnlyAnnotations) {
    const mcph_tool& tool = plugin_.descriptor()->tools[0];
    ASSERT_NE(tool.annotations, nullptr);
    EXPECT_EQ(tool.annotations->read_only_hint, MCPH_HINT_TRUE);
    EXPECT_EQ(tool.annotations->destructive_hint, MCPH_HINT_FALSE);
}

}  // namespace
}  // namespace abitest
