// `auth.access`: the access policy's rules as the operator writes them, what each provider can
// decide on, the loud warning without a policy, and what the rules switch on in the sign-in.

#include "config_test_support.h"

namespace mcph::config {
namespace {

using test::contains;
using test::load;

using mcph::auth::server::AuthorizationServerOptions;

const AuthorizationServerOptions& serverOf(const LoadResult& r) {
    return std::get<AuthorizationServerOptions>(r.config.auth.settings);
}

const std::string kCredentials = R"("clientId": "cid", "clientSecret": "csecret")";

LoadResult loadAuth(const std::string& keys) { return load(R"({"auth": {)" + keys + "}}"); }

std::string allLines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

TEST(ConfigLoaderAccessPolicy, WithoutAPolicyProxyModeSaysAnyAccountCanSignIn) {
    const LoadResult r = loadAuth(R"("provider": "google", )" + kCredentials);
    ASSERT_TRUE(r.ok()) << r.errors.front();
    EXPECT_FALSE(serverOf(r).access.restricted());
    EXPECT_TRUE(contains(allLines(r.warnings), "auth.access: absent, so ANY account of the google upstream can sign in"));
    // Local users are the operator's own list: no warning.
    const LoadResult local = loadAuth(R"("provider": "local")");
    EXPECT_FALSE(contains(allLines(local.warnings), "auth.access"));
}

TEST(ConfigLoaderAccessPolicy, ReadsNamedRulesInFileOrder) {
    const LoadResult r = loadAuth(R"("provider": "google", )" + kCredentials + R"(,
        "access": {"staff": {"googleDomains": ["Example.com"], "emailDomains": ["example.com"], "scopes": ["notes:read"]},
                   "boss": {"emails": ["Boss@Example.com"], "scopes": ["*"]},
                   "roles": {"claim": {"name": "roles", "values": ["mcp"]}, "scopes": []}})");
    ASSERT_TRUE(r.ok()) << r.errors.front();
    const auto& policy = serverOf(r).access;
    ASSERT_TRUE(policy.restricted());
    ASSERT_EQ(policy.rules().size(), 3u);
    EXPECT_EQ(policy.rules()[0].name, "staff");
    EXPECT_EQ(policy.rules()[0].googleDomains, std::vector<std::string>{"example.com"});
    EXPECT_EQ(policy.rules()[1].emails, std::vector<std::string>{"boss@example.com"});
    EXPECT_EQ(policy.rules()[1].scopes, std::vector<std::string>{"*"});
    EXPECT_EQ(policy.rules()[2].claimName, "roles");
    // The sign-in reads the claim the rules ask about.
    EXPECT_EQ(serverOf(r).upstream->factClaims, std::vector<std::string>{"roles"});
    EXPECT_FALSE(contains(allLines(r.warnings), "auth.access: absent"));
}

TEST(ConfigLoaderAccessPolicy, GithubMembershipRulesAskForReadOrg) {
    const LoadResult r = loadAuth(R"("provider": "github", )" + kCredentials + R"(,
        "access": {"ops": {"githubTeams": ["Acme/Ops"], "scopes": ["*"]}, "org": {"githubOrgs": ["acme"], "scopes": []}})");
    ASSERT_TRUE(r.ok()) << r.errors.front();
    const auto& u = *serverOf(r).upstream;
    EXPECT_TRUE(u.readTeams);
    EXPECT_TRUE(u.readOrganizations);
    EXPECT_EQ(std::count(u.scopes.begin(), u.scopes.end(), "read:org"), 1);
    EXPECT_EQ(serverOf(r).access.rules()[0].githubTeams, std::vector<std::string>{"acme/ops"});
    // Without such rules nothing more is asked of GitHub.
    const LoadResult plain = loadAuth(R"("provider": "github", )" + kCredentials +
                                      R"(, "access": {"me": {"users": ["583231"], "scopes": ["*"]}})");
    ASSERT_TRUE(plain.ok()) << plain.errors.front();
    EXPECT_FALSE(serverOf(plain).upstream->readOrganizations);
    EXPECT_EQ(std::count(serverOf(plain).upstream->scopes.begin(), serverOf(plain).upstream->scopes.end(), "read:org"), 0);
}

TEST(ConfigLoaderAccessPolicy, RefusesConditionsTheProviderCannotEstablish) {
    const LoadResult google = loadAuth(R"("provider": "google", )" + kCredentials +
                                       R"(, "access": {"r": {"githubOrgs": ["acme"], "scopes": ["*"]}})");
    ASSERT_FALSE(google.ok());
    EXPECT_TRUE(contains(allLines(google.errors), "auth.access.r.githubOrgs"));
    EXPECT_TRUE(contains(allLines(google.errors), "\"github\" provider only"));
    // GitHub's profile fields are typed by the user: no claim rules there.
    const LoadResult github = loadAuth(R"("provider": "github", )" + kCredentials +
                                       R"(, "access": {"r": {"claim": {"name": "company", "values": ["Acme"]}, "scopes": ["*"]}})");
    EXPECT_TRUE(contains(allLines(github.errors), "auth.access.r.claim"));
    const LoadResult local = loadAuth(R"("provider": "local", "access": {"r": {"googleDomains": ["a.com"], "scopes": []}})");
    EXPECT_TRUE(contains(allLines(local.errors), "auth.access.r.googleDomains"));
}

TEST(ConfigLoaderAccessPolicy, RefusesRulesThatCouldNotWorkAsMeant) {
    const auto errorsOf = [](const std::string& access) {
        return allLines(loadAuth(R"("provider": "local", "access": )" + access).errors);
    };
    EXPECT_TRUE(contains(errorsOf(R"({})"), "has no rule, so no one could sign in"));
    EXPECT_TRUE(contains(errorsOf(R"({"r": {"scopes": ["*"]}})"), "names no condition"));
    EXPECT_TRUE(contains(errorsOf(R"({"r": {"users": ["a"]}})"), "auth.access.r.scopes: is required"));
    EXPECT_TRUE(contains(errorsOf(R"({"r": {"users": [], "scopes": []}})"), "auth.access.r.users: is empty"));
    EXPECT_TRUE(contains(errorsOf(R"({"r": {"users": ["a"], "scopes": ["bad scope"]}})"), "not a scope"));
    EXPECT_TRUE(contains(errorsOf(R"({"r": {"user": ["a"], "scopes": []}})"), "auth.access.r.user"));  // a typo
    EXPECT_TRUE(contains(errorsOf(R"({"r": {"users": ["a"], "scopes": [], "claim": {"name": "x"}}})"), "auth.access.r.claim"));
    const LoadResult proxy = loadAuth(R"("provider": "github", )" + kCredentials +
                                      R"(, "access": {"r": {"githubTeams": ["no-slash"], "scopes": []}})");
    EXPECT_TRUE(contains(allLines(proxy.errors), "expected \"org/team-slug\""));
}

TEST(ConfigLoaderAccessPolicy, EveryoneIsAllowedButSaidOutLoud) {
    const LoadResult r = loadAuth(R"("provider": "google", )" + kCredentials +
                                  R"(, "access": {"all": {"everyone": true, "scopes": ["notes:read"]}})");
    ASSERT_TRUE(r.ok()) << r.errors.front();
    EXPECT_TRUE(contains(allLines(r.warnings), "admits ANY account of the google upstream"));
}

TEST(ConfigLoaderAccessPolicy, RefreshIdleHours) {
    const LoadResult r = loadAuth(R"("provider": "local", "refreshIdleHours": 72)");
    ASSERT_TRUE(r.ok()) << r.errors.front();
    EXPECT_EQ(serverOf(r).refreshIdleTimeout, std::chrono::hours(72));
    EXPECT_FALSE(loadAuth(R"("provider": "local", "refreshIdleHours": 0)").ok());
}

}  // namespace
}  // namespace mcph::config
