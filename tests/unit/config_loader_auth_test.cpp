// The auth section and the rules that tie it to server.host and server.publicUrl.

#include "config/AuthProviders.h"
#include "config_test_support.h"

namespace mcph::config {
namespace {

using test::load;

const char* const kRefusal =
    "t.json: auth.provider: \"none\" (no authentication) is refused because server.host is not "
    "a loopback address; configure an auth provider, bind server.host to 127.0.0.1, or set "
    "auth.dangerouslyAllowUnauthenticatedNonLoopback to true";

TEST(ConfigLoaderAuth, NoneIsFineOnLoopback) {
    for (const char* host : {"127.0.0.1", "127.0.0.53", "::1", "localhost"}) {
        const LoadResult r = load(std::string(R"({"server": {"host": ")") + host +
                                  R"("}, "auth": {"provider": "none"}})");
        EXPECT_TRUE(r.ok()) << host;
        EXPECT_TRUE(r.warnings.empty()) << host;
    }
}

TEST(ConfigLoaderAuth, NoneIsRefusedOnNonLoopback) {
    for (const char* host : {"0.0.0.0", "::", "192.168.1.10", "mcp.example.com"}) {
        const LoadResult r = load(std::string(R"({"server": {"host": ")") + host + "\"}}");
        EXPECT_EQ(r.errors, (test::Lines{kRefusal})) << host;
    }
}

TEST(ConfigLoaderAuth, OverrideAllowsNonLoopbackWithALoudWarning) {
    const LoadResult r = load(R"({"server": {"host": "10.0.0.5"},
        "auth": {"provider": "none", "dangerouslyAllowUnauthenticatedNonLoopback": true}})");
    ASSERT_TRUE(r.ok()) << r.errors[0];
    EXPECT_TRUE(r.config.auth.dangerouslyAllowUnauthenticatedNonLoopback);
    EXPECT_EQ(r.warnings,
              (test::Lines{"t.json: auth.dangerouslyAllowUnauthenticatedNonLoopback: "
                           "authentication is OFF on a non-loopback address: anyone who can "
                           "reach server.host can call every tool"}));
}

TEST(ConfigLoaderAuth, OverrideSetToFalseStillRefuses) {
    const LoadResult r = load(R"({"server": {"host": "0.0.0.0", "publicUrl": "https://x.com"},
        "auth": {"dangerouslyAllowUnauthenticatedNonLoopback": false}})");
    EXPECT_EQ(r.errors, (test::Lines{kRefusal}));
}

TEST(ConfigLoaderAuth, NoneBehindAPublicUrlWarns) {
    const LoadResult r = load(R"({"server": {"publicUrl": "https://mcp.example.com"}})");
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_TRUE(test::contains(r.warnings[0],
                               "t.json: auth.provider: \"none\" (no "
                               "authentication) with a non-loopback "
                               "server.publicUrl"));
    EXPECT_TRUE(load(R"({"server": {"publicUrl": "http://localhost:8080"}})").warnings.empty());
}

TEST(ConfigLoaderAuth, WildcardHostWithoutPublicUrlWarns) {
    const LoadResult r = load(R"({"server": {"host": "0.0.0.0"},
        "auth": {"dangerouslyAllowUnauthenticatedNonLoopback": true}})");
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.warnings.size(), 2u);
    EXPECT_TRUE(test::contains(r.warnings[0], "auth.dangerouslyAllowUnauthenticatedNonLoopback"));
    EXPECT_TRUE(test::contains(r.warnings[1],
                               "t.json: server.publicUrl: not set while "
                               "server.host listens on every address"));
}

TEST(ConfigLoaderAuth, UnknownProviderIsRefusedWithASuggestion) {
    EXPECT_EQ(load(R"({"auth": {"provider": "nnoe"}})").errors,
              (test::Lines{"t.json: auth.provider: unknown provider \"nnoe\" (did you mean "
                           "\"none\"?); known: none"}));
    // The keys of a provider we do not know are not each reported as unknown.
    EXPECT_EQ(load(R"({"auth": {"provider": "oidc", "issuer": "https://id.example.com"}})").errors,
              (test::Lines{"t.json: auth.provider: unknown provider \"oidc\"; known: none"}));
}

TEST(ConfigLoaderAuth, ABadProviderIsTheOnlyProblemReportedForAuth) {
    test::ScopedEnv unset("MCPH_T_PROVIDER", std::nullopt);
    EXPECT_EQ(load(R"({"server": {"host": "0.0.0.0"}, "auth": {"provider": "oidc"}})").errors,
              (test::Lines{"t.json: auth.provider: unknown provider \"oidc\"; known: none"}));
    EXPECT_EQ(load(R"({"server": {"host": "0.0.0.0"}, "auth": {"provider": 1, "x": 2}})").errors,
              (test::Lines{"t.json: auth.provider: expected a string, got 1"}));
    EXPECT_EQ(load(R"({"server": {"host": "0.0.0.0"}, "auth": {"provider": "${MCPH_T_PROVIDER}"}})")
                  .errors,
              (test::Lines{
                  "t.json: auth.provider: environment variable \"MCPH_T_PROVIDER\" is not set"}));
}

TEST(ConfigLoaderAuth, KeysOfOtherProvidersAreUnknownForNone) {
    EXPECT_EQ(load(R"({"auth": {"provider": "none", "issuer": "https://id.example.com"}})").errors,
              (test::Lines{"t.json: auth.issuer: unknown key for auth provider \"none\""}));
}

TEST(ConfigLoaderAuth, RegistryKnowsNone) {
    ASSERT_NE(findAuthProvider("none"), nullptr);
    EXPECT_EQ(findAuthProvider("None"), nullptr);
    EXPECT_EQ(findAuthProvider(""), nullptr);
    EXPECT_EQ(authProviders().size(), 1u);
}

}  // namespace
}  // namespace mcph::config
