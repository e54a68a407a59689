// The auth section and the rules that tie it to server.host and server.publicUrl.

#include "config/providers/ProviderRegistry.h"
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
                           "\"none\"?); known: none, oidc, workos, keycloak, supabase, proxy, auth0, google, github, okta, entra, local"}));
    // The keys of a provider we do not know are not each reported as unknown.
    EXPECT_EQ(load(R"({"auth": {"provider": "azuread", "issuer": "https://id.example.com"}})").errors,
              (test::Lines{"t.json: auth.provider: unknown provider \"azuread\"; known: none, oidc, workos, keycloak, supabase, proxy, auth0, google, github, okta, entra, local"}));
}

TEST(ConfigLoaderAuth, ABadProviderIsTheOnlyProblemReportedForAuth) {
    test::ScopedEnv unset("MCPH_T_PROVIDER", std::nullopt);
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

TEST(ConfigLoaderAuth, RegistryKnowsEveryProvider) {
    for (const char* name : {"none", "oidc", "workos", "keycloak", "supabase", "proxy", "auth0", "google", "github",
                             "okta", "entra", "local"}) {
        EXPECT_NE(findAuthProvider(name), nullptr) << name;
    }
    EXPECT_EQ(findAuthProvider("None"), nullptr);
    EXPECT_EQ(findAuthProvider(""), nullptr);
}

const mcph::auth::ResourceServerOptions& oidcOf(const LoadResult& r) {
    return std::get<mcph::auth::ResourceServerOptions>(r.config.auth.settings);
}

TEST(ConfigLoaderAuth, OidcReadsEveryKey) {
    const LoadResult r = load(R"({"server": {"host": "0.0.0.0", "publicUrl": "https://mcp.example.com"},
        "auth": {"provider": "oidc", "issuer": "https://id.example.com/tenant", "audience": "https://mcp.example.com/mcp",
                 "jwksUrl": "https://id.example.com/keys", "scopes": ["openid", "notes:read"],
                 "algorithms": ["ES256"], "leewaySeconds": 30, "tokenFormat": "opaque",
                 "introspection": {"endpoint": "https://id.example.com/introspect", "clientId": "rs", "clientSecret": "s"},
                 "claims": {"userId": "oid", "email": "upn"}, "userinfo": false}})");
    ASSERT_TRUE(r.ok()) << r.errors.front();
    const auto& s = oidcOf(r);
    EXPECT_FALSE(s.userinfo);
    EXPECT_EQ(s.issuer, "https://id.example.com/tenant");
    EXPECT_EQ(s.audience, "https://mcp.example.com/mcp");
    EXPECT_EQ(s.jwksUrl, "https://id.example.com/keys");
    EXPECT_EQ(s.scopes, (std::vector<std::string>{"openid", "notes:read"}));
    EXPECT_EQ(s.algorithms, std::vector<std::string>{"ES256"});
    EXPECT_EQ(s.leeway, std::chrono::seconds(30));
    EXPECT_EQ(s.tokenFormat, mcph::auth::TokenFormat::Opaque);
    EXPECT_EQ(s.introspection.clientId, "rs");
    EXPECT_EQ(s.claims.userId, "oid");
    EXPECT_EQ(s.claims.email, "upn");
    EXPECT_EQ(s.claims.name, "name");
}

TEST(ConfigLoaderAuth, IntrospectionRefusesAMissingAudienceUnlessDangerouslyAllowed) {
    const std::string head = R"({"server": {"host": "0.0.0.0", "publicUrl": "https://mcp.example.com"},
        "auth": {"provider": "oidc", "issuer": "https://id.example.com", "tokenFormat": "opaque",
                 "introspection": {"clientId": "rs", "clientSecret": "s")";
    const LoadResult strict = load(head + "}}}");
    ASSERT_TRUE(strict.ok()) << strict.errors.front();
    EXPECT_FALSE(oidcOf(strict).introspection.allowMissingAudience);
    EXPECT_TRUE(strict.warnings.empty());

    const LoadResult off = load(head + R"(, "dangerouslyAllowMissingAudience": false}}})");
    ASSERT_TRUE(off.ok()) << off.errors.front();
    EXPECT_FALSE(oidcOf(off).introspection.allowMissingAudience);
    EXPECT_TRUE(off.warnings.empty());

    const LoadResult on = load(head + R"(, "dangerouslyAllowMissingAudience": true}}})");
    ASSERT_TRUE(on.ok()) << on.errors.front();
    EXPECT_TRUE(oidcOf(on).introspection.allowMissingAudience);
    ASSERT_EQ(on.warnings.size(), 1u);
    EXPECT_TRUE(test::contains(on.warnings[0],
                               "t.json: auth.introspection.dangerouslyAllowMissingAudience: "))
        << on.warnings[0];
    EXPECT_TRUE(test::contains(on.warnings[0], "no audience (aud) are accepted")) << on.warnings[0];
    EXPECT_TRUE(test::contains(on.warnings[0], "issued for another resource")) << on.warnings[0];

    EXPECT_FALSE(load(head + R"(, "dangerouslyAllowMissingAudience": "maybe"}}})").ok());
}

TEST(ConfigLoaderAuth, OidcRefusesWhatWouldWeakenVerification) {
    const LoadResult r = load(R"({"auth": {"provider": "oidc", "issuer": "http://id.example.com",
        "algorithms": ["HS256", "none", "RS256"], "tokenFormat": "magic"}})");
    EXPECT_EQ(r.errors, (test::Lines{
        "t.json: auth.issuer: must be an https URL (set auth.allowInsecureHttp for a local test server), got \"http://id.example.com\"",
        "t.json: auth.algorithms[0]: not an accepted value: \"HS256\"",
        "t.json: auth.algorithms[1]: not an accepted value: \"none\"",
        "t.json: auth.tokenFormat: must be \"jwt\" or \"opaque\", got \"magic\""}));
    EXPECT_EQ(load(R"({"auth": {"provider": "oidc"}})").errors,
              (test::Lines{"t.json: auth.issuer: is required for this provider"}));
    EXPECT_EQ(load(R"({"auth": {"provider": "oidc", "issuer": "https://x.example", "tokenFormat": "opaque"}})").errors,
              (test::Lines{"t.json: auth.introspection: tokenFormat \"opaque\" needs introspection.clientId and clientSecret"}));
    EXPECT_TRUE(load(R"({"auth": {"provider": "oidc", "issuer": "http://127.0.0.1:9", "allowInsecureHttp": true}})").ok());
}

TEST(ConfigLoaderAuth, PresetsDeriveTheIssuerAndLetItBeOverridden) {
    EXPECT_EQ(oidcOf(load(R"({"auth": {"provider": "workos", "subdomain": "acme"}})")).issuer, "https://acme.authkit.app");
    EXPECT_EQ(oidcOf(load(R"({"auth": {"provider": "keycloak", "url": "https://kc.example.com/", "realm": "mcp"}})")).issuer,
              "https://kc.example.com/realms/mcp");
    EXPECT_EQ(oidcOf(load(R"({"auth": {"provider": "supabase", "projectRef": "abcd"}})")).issuer,
              "https://abcd.supabase.co/auth/v1");
    const LoadResult overridden = load(R"({"auth": {"provider": "workos", "issuer": "http://127.0.0.1:4000", "allowInsecureHttp": true}})");
    ASSERT_TRUE(overridden.ok());
    EXPECT_EQ(oidcOf(overridden).issuer, "http://127.0.0.1:4000");
    EXPECT_EQ(oidcOf(overridden).providerName, "workos");
    EXPECT_EQ(load(R"({"auth": {"provider": "keycloak", "url": "https://kc.example.com"}})").errors,
              (test::Lines{"t.json: auth.realm: is required (or set issuer)"}));
}

}  // namespace
}  // namespace mcph::config
