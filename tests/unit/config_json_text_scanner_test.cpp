#include "config/reader/JsonTextScanner.h"
#include "config_test_support.h"

namespace mcph::config {
namespace {

JsonTextScanner::Result scan(const std::string& text) { return JsonTextScanner::scan(text); }

TEST(ConfigJsonTextScanner, BlanksCommentsAndKeepsLines) {
    const std::string text = "// head\n{\"a\": 1, /* x\n y */ \"b\": \"http://h//p\" // tail\n}";
    const auto r = scan(text);
    ASSERT_FALSE(r.error) << *r.error;
    EXPECT_EQ(r.strictJson.size(), text.size());
    EXPECT_EQ(r.strictJson, "       \n{\"a\": 1,     \n      \"b\": \"http://h//p\"        \n}");
}

TEST(ConfigJsonTextScanner, CommentMarkersInsideStringsAreText) {
    const auto r = scan(R"({"a": "/* not */ // comment", "b": "\"//\""})");
    ASSERT_FALSE(r.error);
    EXPECT_EQ(r.strictJson, R"({"a": "/* not */ // comment", "b": "\"//\""})");
}

TEST(ConfigJsonTextScanner, AcceptsEveryJsonValueKind) {
    const auto r = scan(R"({"o": {}, "a": [], "s": "\u00e9\n", "n": -0.5e+3, "t": true,
                          "f": false, "z": null, "l": [1, [2, {"x": 0}]]})");
    EXPECT_FALSE(r.error) << *r.error;
}

TEST(ConfigJsonTextScanner, ReportsLineAndColumn) {
    const auto r = scan("{\n  \"a\": 1,\n  \"b\" 2\n}");
    ASSERT_TRUE(r.error);
    EXPECT_EQ(*r.error, "unexpected '2', expected ':' after the key");
    EXPECT_EQ(r.errorPosition.line, 3);
    EXPECT_EQ(r.errorPosition.column, 7);
}

TEST(ConfigJsonTextScanner, ColumnsCountCharactersNotBytes) {
    const auto r = scan("{\"é\": x}");
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.errorPosition.column, 7);
}

TEST(ConfigJsonTextScanner, TypicalMistakes) {
    struct Case {
        const char* text;
        const char* message;
    };
    const Case cases[] = {
        {"", "the file is empty (expected a JSON object)"},
        {"{\"a\": 1,}", "trailing comma before '}'"},
        {"[1,]", "trailing comma before ']'"},
        {"{a: 1}", "unexpected 'a', expected a key in double quotes"},
        {"{\"a\": 'x'}", "unexpected ''', expected a value (strings need double quotes)"},
        {"{\"a\": 1 \"b\": 2}", "unexpected '\"', expected ',' or '}' after an object member"},
        {"{\"a\": 01}", "numbers must not have leading zeros"},
        {"{\"a\": \"x", "unterminated string"},
        {"{\"a\": 1} /* open", "unterminated /* comment"},
        {"{\"a\": 1", "unexpected end of file, expected ',' or '}' after an object member"},
        {"{} {}", "unexpected '{' after the end of the JSON value"},
        {"{\"a\": \"\\q\"}", "invalid escape \\q in a string"},
        {"{\"a\": tru}", "unexpected 't', expected a value (strings need double quotes)"},
    };
    for (const Case& c : cases) {
        const auto r = scan(c.text);
        ASSERT_TRUE(r.error) << c.text;
        EXPECT_EQ(*r.error, c.message) << c.text;
    }
}

TEST(ConfigJsonTextScanner, IntegersBeyondSixtyFourBitsAreRefused) {
    EXPECT_FALSE(scan("[18446744073709551615, -9223372036854775808, 0.5]").error);
    for (const char* text :
         {"[18446744073709551616]", "[-9223372036854775809]", "[123456789012345678901234]"}) {
        const auto r = scan(text);
        ASSERT_TRUE(r.error) << text;
        EXPECT_EQ(*r.error, "integer out of range") << text;
        EXPECT_EQ(r.errorPosition.column, 2) << text;
    }
}

TEST(ConfigJsonTextScanner, NumbersBeyondADoubleAreRefused) {
    EXPECT_FALSE(scan("[1e308, -1.5e-400, 0.1]").error);
    const auto r = scan("[0, 1e400]");
    ASSERT_TRUE(r.error);
    EXPECT_EQ(*r.error, "number out of range");
    EXPECT_EQ(r.errorPosition.column, 5);
}

TEST(ConfigJsonTextScanner, StringsMustBeValidUtf8) {
    EXPECT_FALSE(scan("[\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"]").error);
    for (const char* text : {"[\"\xFF\"]", "[\"\xC3\"]", "[\"\xC0\xAF\"]", "[\"\xED\xA0\x80\"]",
                             "[\"\xF4\x90\x80\x80\"]", "[\"\xE2\x82\"]"}) {
        const auto r = scan(text);
        ASSERT_TRUE(r.error) << text;
        EXPECT_EQ(*r.error, "invalid UTF-8 in a string") << text;
    }
}

TEST(ConfigJsonTextScanner, LeadingByteOrderMarkIsIgnored) {
    const auto r = scan("\xEF\xBB\xBF{\"a\": 1}");
    ASSERT_FALSE(r.error) << *r.error;
    EXPECT_EQ(r.strictJson, "   {\"a\": 1}");
}

TEST(ConfigJsonTextScanner, RawControlCharacterInStringIsRefused) {
    const auto r = scan("{\"a\": \"x\ty\"}");
    ASSERT_TRUE(r.error);
    EXPECT_TRUE(test::contains(*r.error, "control character"));
}

TEST(ConfigJsonTextScanner, FindsDuplicateKeysWithTheirPath) {
    const auto r =
        scan("{\"server\": {\"port\": 1,\n \"port\": 2}, \"l\": [{\"k\": 1, \"k\": 2}]}");
    ASSERT_FALSE(r.error);
    ASSERT_EQ(r.duplicateKeys.size(), 2u);
    EXPECT_EQ(r.duplicateKeys[0].keyPath, "server.port");
    EXPECT_EQ(r.duplicateKeys[0].position.line, 2);
    EXPECT_EQ(r.duplicateKeys[0].position.column, 2);
    EXPECT_EQ(r.duplicateKeys[1].keyPath, "l[0].k");
}

TEST(ConfigJsonTextScanner, SameKeyInDifferentObjectsIsFine) {
    const auto r = scan(R"({"a": {"x": 1}, "b": {"x": 2}})");
    EXPECT_TRUE(r.duplicateKeys.empty());
}

TEST(ConfigJsonTextScanner, CapsNestingDepth) {
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    const auto r = scan(deep);
    ASSERT_TRUE(r.error);
    EXPECT_EQ(*r.error, "nesting deeper than 64 levels");
    const std::string ok = std::string(64, '[') + std::string(64, ']');
    EXPECT_FALSE(scan(ok).error);
}

}  // namespace
}  // namespace mcph::config
