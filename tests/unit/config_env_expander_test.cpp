#include <map>

#include "config/reader/EnvExpander.h"
#include "config_test_support.h"

namespace mcph::config {
namespace {

EnvLookup fakeEnv(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end()) {
            return std::nullopt;
        }
        return it->second;
    };
}

TEST(ConfigEnvExpander, TextWithoutReferencesIsUnchanged) {
    const EnvExpansion e = expandEnv("plain $ text $HOME {x} $", fakeEnv({}));
    EXPECT_TRUE(e.ok());
    EXPECT_EQ(e.value, "plain $ text $HOME {x} $");
    EXPECT_FALSE(e.expanded);
}

TEST(ConfigEnvExpander, ReplacesEveryReference) {
    const EnvExpansion e =
        expandEnv("${A}-${_b1}/${A}", fakeEnv({{"A", "alpha"}, {"_b1", "beta"}}));
    EXPECT_TRUE(e.ok());
    EXPECT_EQ(e.value, "alpha-beta/alpha");
    EXPECT_TRUE(e.expanded);
}

TEST(ConfigEnvExpander, EmptyValueIsAllowed) {
    const EnvExpansion e = expandEnv("[${EMPTY}]", fakeEnv({{"EMPTY", ""}}));
    EXPECT_TRUE(e.ok());
    EXPECT_EQ(e.value, "[]");
}

TEST(ConfigEnvExpander, DoubleDollarEscapesALiteralReference) {
    const EnvExpansion e = expandEnv("$${A} and $${ and ${A}", fakeEnv({{"A", "x"}}));
    EXPECT_TRUE(e.ok());
    EXPECT_EQ(e.value, "${A} and ${ and x");
}

TEST(ConfigEnvExpander, ExpandedValuesAreNotExpandedAgain) {
    const EnvExpansion e = expandEnv("${A}", fakeEnv({{"A", "${B}"}, {"B", "no"}}));
    EXPECT_EQ(e.value, "${B}");
}

TEST(ConfigEnvExpander, MissingVariableNamesTheVariable) {
    const EnvExpansion e = expandEnv("${SET}:${MISSING}", fakeEnv({{"SET", "s3cret"}}));
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.problems, (test::Lines{"environment variable \"MISSING\" is not set"}));
    EXPECT_FALSE(test::contains(e.problems[0], "s3cret"));
}

TEST(ConfigEnvExpander, EveryProblemIsReported) {
    const EnvExpansion e = expandEnv("${X}${Y}${1bad}", fakeEnv({}));
    EXPECT_EQ(e.problems.size(), 3u);
}

TEST(ConfigEnvExpander, UnterminatedReferenceIsAnError) {
    const EnvExpansion e = expandEnv("abc ${NAME", fakeEnv({{"NAME", "v"}}));
    EXPECT_EQ(e.problems,
              (test::Lines{"unterminated \"${\" (write \"$${\" for a literal \"${\")"}));
}

TEST(ConfigEnvExpander, BadNamesAreErrors) {
    for (const char* text : {"${}", "${1A}", "${A-B}", "${A:-default}", "${ A}"}) {
        const EnvExpansion e = expandEnv(text, fakeEnv({{"A", "v"}}));
        ASSERT_EQ(e.problems.size(), 1u) << text;
        EXPECT_TRUE(test::contains(e.problems[0], "invalid environment variable reference"))
            << text;
    }
}

TEST(ConfigEnvExpander, ProcessEnvironmentReadsGetenv) {
    test::ScopedEnv set("MCPH_CFG_TEST_SET", std::string("from-env"));
    test::ScopedEnv unset("MCPH_CFG_TEST_UNSET", std::nullopt);
    const EnvLookup env = processEnvironment();
    EXPECT_EQ(env("MCPH_CFG_TEST_SET"), std::optional<std::string>("from-env"));
    EXPECT_EQ(env("MCPH_CFG_TEST_UNSET"), std::nullopt);
}

}  // namespace
}  // namespace mcph::config
