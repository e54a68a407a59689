// The access policy (who may hold a token of the host's authorization server, with which
// scopes) and the gate that applies it with the users file: rules over the facts of a sign-in,
// scope unions, refusals, and the review of stored grants that ends or narrows them.
#include <gtest/gtest.h>

#include "mcphost/auth/server/AccessGate.h"
#include "mcphost/auth/server/PasswordHash.h"
#include "proxy_test_support.h"

using namespace mcph::auth::server;
using mcph::auth::TimePoint;
using namespace std::chrono_literals;
using Scopes = std::vector<std::string>;

namespace {

const TimePoint t0{std::chrono::seconds(1'800'000'000)};
const Scopes kOffered{"notes:read", "notes:write", "admin"};

UserFacts facts(const std::string& subject, const std::string& email = "") {
    UserFacts f;
    f.subject = subject;
    f.email = email;
    return f;
}

AccessRule rule(const std::string& name, Scopes scopes) {
    AccessRule r;
    r.name = name;
    r.scopes = std::move(scopes);
    return r;
}

AccessPolicy staffAndAdmins() {
    AccessRule staff = rule("staff", {"notes:read"});
    staff.emailDomains = {"example.com"};
    AccessRule admins = rule("admins", {"*"});
    admins.githubTeams = {"acme/ops"};
    return AccessPolicy({staff, admins});
}

}  // namespace

TEST(AccessPolicy, WithoutRulesAnyoneSignedInGetsEveryOfferedScope) {
    const auto d = AccessPolicy::unrestricted().decide(facts("u1"), kOffered);
    EXPECT_TRUE(d.admitted);
    EXPECT_EQ(d.scopes, kOffered);
    EXPECT_FALSE(AccessPolicy::unrestricted().decide(facts(""), kOffered).admitted);
}

TEST(AccessPolicy, AUserNoRuleAdmitsIsRefused) {
    const auto policy = staffAndAdmins();
    EXPECT_FALSE(policy.decide(facts("u1", "mallory@gmail.com"), kOffered).admitted);
    EXPECT_FALSE(policy.decide(facts("u1"), kOffered).admitted);  // no verified email at all
    // A look-alike domain is not the domain.
    EXPECT_FALSE(policy.decide(facts("u1", "eve@example.com.evil.test"), kOffered).admitted);
    EXPECT_FALSE(policy.decide(facts("u1", "eve@sub.example.com"), kOffered).admitted);
}

TEST(AccessPolicy, MatchingRulesGrantTheUnionOfTheirScopesWithinTheOffer) {
    const auto policy = staffAndAdmins();
    auto staff = policy.decide(facts("u1", "Alice@Example.COM"), kOffered);
    EXPECT_TRUE(staff.admitted);
    EXPECT_EQ(staff.scopes, Scopes{"notes:read"});
    EXPECT_EQ(staff.rule, "staff");

    UserFacts ops = facts("u2", "bob@example.com");
    ops.teams = {"acme/ops"};
    const auto both = policy.decide(ops, kOffered);
    EXPECT_EQ(both.scopes, kOffered);
    EXPECT_EQ(both.rule, "staff,admins");

    AccessRule odd = rule("odd", {"notes:write", "not-offered"});
    odd.users = {"u3"};
    EXPECT_EQ(AccessPolicy({odd}).decide(facts("u3"), kOffered).scopes, Scopes{"notes:write"});
}

TEST(AccessPolicy, EveryConditionOfARuleMustHold) {
    AccessRule r = rule("acme-workspace", {"notes:read"});
    r.googleDomains = {"acme.com"};
    r.emails = {"alice@acme.com"};
    const AccessPolicy policy({r});
    UserFacts alice = facts("g-1", "alice@acme.com");
    EXPECT_FALSE(policy.decide(alice, kOffered).admitted);  // a consumer account with that address
    alice.hostedDomain = "acme.com";
    EXPECT_TRUE(policy.decide(alice, kOffered).admitted);
    UserFacts bob = facts("g-2", "bob@acme.com");
    bob.hostedDomain = "acme.com";
    EXPECT_FALSE(policy.decide(bob, kOffered).admitted);
}

TEST(AccessPolicy, UpstreamFactsEachAdmitByThemselves) {
    AccessRule tenant = rule("tenant", {"notes:read"});
    tenant.entraTenants = {"72F988BF-86F1-41AF-91AB-2D7CD011DB47"};
    AccessRule group = rule("group", {"admin"});
    group.entraGroups = {"0b1f7e0e-aaaa-bbbb-cccc-000000000001"};
    AccessRule org = rule("org", {"notes:write"});
    org.githubOrgs = {"acme"};
    AccessRule claim = rule("claim", {"notes:read"});
    claim.claimName = "roles";
    claim.claimValues = {"mcp-user"};
    const AccessPolicy policy({tenant, group, org, claim});

    UserFacts e = facts("e-1");
    e.tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    EXPECT_EQ(policy.decide(e, kOffered).scopes, Scopes{"notes:read"});
    e.groups = {"0b1f7e0e-aaaa-bbbb-cccc-000000000001"};
    EXPECT_EQ(policy.decide(e, kOffered).scopes, (Scopes{"notes:read", "admin"}));

    UserFacts g = facts("1234");
    g.organizations = {"other", "acme"};
    EXPECT_EQ(policy.decide(g, kOffered).scopes, Scopes{"notes:write"});

    UserFacts c = facts("o-1");
    c.claims["roles"] = {"viewer"};
    EXPECT_FALSE(policy.decide(c, kOffered).admitted);
    c.claims["roles"] = {"viewer", "mcp-user"};
    EXPECT_TRUE(policy.decide(c, kOffered).admitted);
    c.claims.clear();
    c.claims["other"] = {"mcp-user"};
    EXPECT_FALSE(policy.decide(c, kOffered).admitted);
}

TEST(AccessPolicy, ARuleWithoutConditionsAdmitsNoOneButEveryoneDoes) {
    EXPECT_FALSE(AccessPolicy({rule("empty", {"*"})}).decide(facts("u1"), kOffered).admitted);
    AccessRule all = rule("all", {});
    all.everyone = true;
    const auto d = AccessPolicy({all}).decide(facts("u1"), kOffered);
    EXPECT_TRUE(d.admitted);
    EXPECT_TRUE(d.scopes.empty());  // admitted, with no scope: tools that need one stay hidden
}

TEST(AccessPolicy, TellsTheSignInWhatToRead) {
    AccessRule r = rule("r", {"*"});
    r.githubTeams = {"acme/ops"};
    r.claimName = "groups";
    r.claimValues = {"x"};
    const AccessPolicy policy({r});
    EXPECT_TRUE(policy.usesGithubTeams());
    EXPECT_FALSE(policy.usesGithubOrgs());
    EXPECT_EQ(policy.claimNames(), Scopes{"groups"});
}

TEST(UserFactsJson, RoundTripsAndFailsClosedOnGarbage) {
    UserFacts f = facts("u1", "a@example.com");
    f.hostedDomain = "example.com";
    f.tenant = "t";
    f.groups = {"g1", "g2"};
    f.organizations = {"acme"};
    f.teams = {"acme/ops"};
    f.claims["roles"] = {"r1"};
    EXPECT_EQ(UserFacts::fromJson(f.toJson()), f);
    EXPECT_EQ(UserFacts::fromJson("not json"), UserFacts{});
    EXPECT_EQ(UserFacts::fromJson("[1]"), UserFacts{});
    EXPECT_EQ(UserFacts::fromJson(""), UserFacts{});
}

namespace {

std::shared_ptr<const LocalUserDirectory> users(const std::string& entries) {
    return std::make_shared<const LocalUserDirectory>(LocalUserDirectory::fromJson("{\"users\": [" + entries + "]}"));
}

std::string user(const std::string& name, const std::string& extra = "") {
    static const std::string hash = PasswordHash::hash("pw", PasswordHash::kMinimumIterations);
    return "{\"username\": \"" + name + "\", \"password\": \"" + hash + "\"" + extra + "}";
}

Grant grantFor(const std::string& subject, Scopes scopes) {
    Grant g;
    g.clientId = "client-1";
    g.subject = subject;
    g.scopes = std::move(scopes);
    g.resource = "https://mcp.example.com/mcp";
    g.facts.subject = subject;
    return g;
}

}  // namespace

TEST(AccessGate, LocalUsersAreBoundByTheFileAsItIsNow) {
    const AccessGate gate(AccessPolicy::unrestricted(), kOffered,
                          users(user("alice") + "," + user("bob", ", \"scopes\": [\"notes:read\"]")));
    EXPECT_EQ(gate.admit(facts("alice")).scopes, kOffered);
    EXPECT_EQ(gate.admit(facts("bob")).scopes, Scopes{"notes:read"});
    EXPECT_FALSE(gate.admit(facts("carol")).admitted);  // not in the file

    // A grant is kept, narrowed to what the file still allows, or ended with its user.
    EXPECT_EQ(gate.review(grantFor("alice", {"notes:read", "admin"})), (Scopes{"notes:read", "admin"}));
    EXPECT_EQ(gate.review(grantFor("bob", {"notes:read", "notes:write"})), Scopes{"notes:read"});
    EXPECT_FALSE(gate.review(grantFor("carol", {"notes:read"})));
}

TEST(AccessGate, LocalUsersMeetThePolicyWithTheEmailTheFileGivesThem) {
    AccessRule staff = rule("staff", {"notes:read", "notes:write"});
    staff.emailDomains = {"example.com"};
    const AccessGate gate(AccessPolicy({staff}), kOffered,
                          users(user("alice", ", \"email\": \"Alice@Example.com\"") + "," +
                                user("bob", ", \"email\": \"bob@elsewhere.test\"") + "," +
                                user("carol", ", \"email\": \"carol@example.com\", \"scopes\": [\"notes:read\"]")));
    EXPECT_EQ(gate.admit(facts("alice")).scopes, (Scopes{"notes:read", "notes:write"}));
    // The facts of an old grant say nothing the file does not: bob's claimed email is ignored.
    EXPECT_FALSE(gate.admit(facts("bob", "bob@example.com")).admitted);
    EXPECT_EQ(gate.admit(facts("carol")).scopes, Scopes{"notes:read"});
}

TEST(AccessGate, AnUnlimitedGrantKeepsScopesTheOfferNoLongerLists) {
    // A plugin being replaced may take its scope out of the offer for a moment; a grant made with
    // no limit keeps it rather than being cut for good.
    const AccessGate gate(AccessPolicy::unrestricted(), {"notes:read"}, nullptr);
    EXPECT_EQ(gate.review(grantFor("u1", {"notes:read", "notes:write"})), (Scopes{"notes:read", "notes:write"}));
}

TEST(AccessGate, ReviewAllEndsAndNarrowsStoredGrants) {
    proxytest::TempDir dir;
    auto store = proxytest::openStore(dir.file("proxy.db"));
    AccessRule staff = rule("staff", {"notes:read"});
    staff.users = {"u-staff"};
    AccessRule admin = rule("admin", {"*"});
    admin.users = {"u-admin"};
    const AccessGate gate(AccessPolicy({staff, admin}), kOffered, nullptr);

    const auto kept = store->createRefreshFamily(grantFor("u-admin", {"notes:read", "admin"}), "", t0);
    const auto narrowed = store->createRefreshFamily(grantFor("u-staff", {"notes:read", "notes:write"}), "", t0);
    const auto ended = store->createRefreshFamily(grantFor("u-gone", {"notes:read"}), "", t0);

    const GrantReview r = gate.reviewAll(*store, t0 + 1s);
    EXPECT_EQ(r.kept, 1u);
    EXPECT_EQ(r.narrowed, 1u);
    EXPECT_EQ(r.ended, 1u);
    EXPECT_EQ(store->activeGrant(kept.familyId, t0 + 1s)->scopes, (Scopes{"notes:read", "admin"}));
    EXPECT_EQ(store->activeGrant(narrowed.familyId, t0 + 1s)->scopes, Scopes{"notes:read"});
    EXPECT_FALSE(store->activeGrant(ended.familyId, t0 + 1s));
    EXPECT_EQ(store->rotateRefreshToken(ended.token, "client-1", t0 + 2s).status, RotateStatus::Invalid);
}
