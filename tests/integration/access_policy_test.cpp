// Who may hold the host's tokens, over real HTTP: proxy mode against the stand-in upstream with an
// access policy (a refused account sees a page and gets no code; scopes follow the rules), and
// grants that end or narrow when the policy or the local users file changes across a restart,
// their access tokens refused at once and their refresh tokens refused or narrowed.
#include <gtest/gtest.h>

#include <Poco/File.h>
#include <Poco/JSON/Parser.h>

#include <fstream>

#include "mcphost/auth/server/PasswordHash.h"
#include "support/HostProcess.h"
#include "support/HttpClient.h"
#include "support/McpCalls.h"
#include "support/OAuthBrowser.h"
#include "support/StandInUpstream.h"
#include "support/TestHost.h"

using namespace mcph::testing;
namespace authserver = mcph::auth::server;

namespace {

Poco::JSON::Object::Ptr parse(const std::string& json) {
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

const std::string kRedirect = "http://127.0.0.1:33418/callback";

// What a client holds after a sign-in.
struct Tokens {
    std::string clientId;
    std::string access;
    std::string refresh;
    std::string scope;
};

HttpReply tokenRequest(unsigned short port, const std::map<std::string, std::string>& form) {
    HttpClient c(port);
    return c.request("POST", "/token", formEncode(form), {{"Content-Type", "application/x-www-form-urlencoded"}});
}

std::string registerClient(unsigned short port) {
    HttpClient c(port);
    auto r = c.request("POST", "/register", R"({"client_name":"Policy Test","redirect_uris":[")" + kRedirect + R"("]})",
                       {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? parse(r.body)->getValue<std::string>("client_id") : "";
}

std::string authorizePath(unsigned short port, const std::string& clientId, const PkcePair& pkce, const std::string& scope) {
    return "/authorize?" + formEncode({{"response_type", "code"}, {"client_id", clientId}, {"redirect_uri", kRedirect},
                                       {"code_challenge", pkce.challenge}, {"code_challenge_method", "S256"},
                                       {"state", "st"}, {"scope", scope},
                                       {"resource", "http://127.0.0.1:" + std::to_string(port) + "/mcp"}});
}

std::optional<Tokens> redeem(unsigned short port, const std::string& clientId, const HttpReply& back, const PkcePair& pkce) {
    if (back.status != 302) return std::nullopt;
    auto r = tokenRequest(port, {{"grant_type", "authorization_code"}, {"code", queryOf(back.header("location"))["code"]},
                                 {"redirect_uri", kRedirect}, {"code_verifier", pkce.verifier}, {"client_id", clientId}});
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return std::nullopt;
    auto doc = parse(r.body);
    return Tokens{clientId, doc->getValue<std::string>("access_token"), doc->getValue<std::string>("refresh_token"),
                  doc->optValue<std::string>("scope", "")};
}

HttpReply refresh(unsigned short port, const Tokens& t) {
    return tokenRequest(port, {{"grant_type", "refresh_token"}, {"refresh_token", t.refresh}, {"client_id", t.clientId}});
}

int toolStatus(unsigned short port, const std::string& bearer, const std::string& tool) {
    return callToolWithBearer(port, bearer, tool).status;
}

// ---- proxy mode --------------------------------------------------------------------------------

// staff: a verified @example.com address gets secrets:read; admins: the `roles` claim holding
// mcp-admin gets every scope.
authserver::AccessPolicy staffAndAdmins(bool withStaff = true, std::vector<std::string> adminScopes = {"*"}) {
    std::vector<authserver::AccessRule> rules;
    if (withStaff) {
        authserver::AccessRule staff;
        staff.name = "staff";
        staff.emailDomains = {"example.com"};
        staff.scopes = {"secrets:read"};
        rules.push_back(staff);
    }
    authserver::AccessRule admins;
    admins.name = "admins";
    admins.claimName = "roles";
    admins.claimValues = {"mcp-admin"};
    admins.scopes = std::move(adminScopes);
    rules.push_back(admins);
    return authserver::AccessPolicy(rules);
}

class ProxyAccessPolicy : public ::testing::Test {
protected:
    void SetUp() override {
        for (const auto& f : {std::string(MCPH_PLUGINS_DIR) + "/whoami.so", std::string(MCPH_TEST_PLUGINS_DIR) + "/scoped.so"}) {
            Poco::File(f).copyTo(plugins_.path());
        }
        start(staffAndAdmins());
    }

    void start(authserver::AccessPolicy policy) {
        const unsigned short port = host_ ? host_->port() : 0;
        host_.reset();  // the restart keeps the address: tokens name it as issuer and audience
        auto config = testConfig(plugins_.path());
        config.server.port = port;
        config.auth.provider = "proxy";
        auto settings = upstream_.proxySettings(state_.path() + "/auth.db");
        settings.access = std::move(policy);
        settings.upstream->factClaims = settings.access.claimNames();  // as the config reader does
        config.auth.settings = settings;
        host_ = std::make_unique<TestHost>(config);
    }

    // The browser part for an upstream user with these ID token claims added; the callback's answer.
    HttpReply signIn(const std::string& clientId, const PkcePair& pkce, const std::string& scope, const std::string& sub,
                     const std::string& emailDomain = "example.com", const std::string& extraClaims = "") {
        OAuthBrowser browser(host_->port());
        auto page = browser.get(authorizePath(host_->port(), clientId, pkce, scope));
        EXPECT_EQ(page.status, 200) << page.body;
        auto up = browser.postForm("/authorize", {{"ticket", hiddenField(page.body, "ticket")},
                                                  {"csrf_token", hiddenField(page.body, "csrf_token")},
                                                  {"decision", "approve"}});
        EXPECT_EQ(up.status, 302) << up.body;
        const auto q = queryOf(up.header("location"));
        std::string claims = upstream_.idTokenClaims(sub, q.at("nonce"));
        const std::string ownEmail = sub + "@example.com";
        claims.replace(claims.find(ownEmail), ownEmail.size(), sub + "@" + emailDomain);
        if (!extraClaims.empty()) claims.insert(claims.size() - 1, "," + extraClaims);
        const std::string code = "UP-" + sub + "-" + std::to_string(++codes_);
        upstream_.prepare(code, claims);
        return browser.get("/oauth/callback?" + formEncode({{"code", code}, {"state", q.at("state")}}));
    }

    std::optional<Tokens> signInAndRedeem(const std::string& scope, const std::string& sub,
                                          const std::string& emailDomain = "example.com", const std::string& extra = "") {
        const std::string clientId = registerClient(host_->port());
        const auto pkce = newPkce();
        return redeem(host_->port(), clientId, signIn(clientId, pkce, scope, sub, emailDomain, extra), pkce);
    }

    StandInUpstream upstream_;
    TempDir state_;
    TempDir plugins_;
    std::unique_ptr<TestHost> host_;
    int codes_ = 0;
};

}  // namespace

TEST_F(ProxyAccessPolicy, AnAccountNoRuleAdmitsSeesAPageAndGetsNoCode) {
    const std::string clientId = registerClient(host_->port());
    auto back = signIn(clientId, newPkce(), "secrets:read", "mallory", "other.test");
    EXPECT_EQ(back.status, 403);
    EXPECT_EQ(back.header("location"), "");
    EXPECT_NE(back.body.find("Access not granted"), std::string::npos);
    EXPECT_NE(back.body.find("mallory@other.test"), std::string::npos);
}

TEST_F(ProxyAccessPolicy, AnUnverifiedEmailAdmitsNoOne) {
    const std::string clientId = registerClient(host_->port());
    // The upstream does not vouch for the address, so the email-domain rule cannot apply.
    auto back = signIn(clientId, newPkce(), "secrets:read", "eve", "example.com", R"("email_verified":false)");
    // Duplicate keys: Poco keeps the last, so email_verified is false.
    EXPECT_EQ(back.status, 403) << back.body;
}

TEST_F(ProxyAccessPolicy, ScopesFollowTheRulesThatAdmitTheUser) {
    const auto staff = signInAndRedeem("secrets:read secrets:admin", "alice");
    ASSERT_TRUE(staff);
    EXPECT_EQ(staff->scope, "secrets:read");  // asked for more, the rule gives read only
    EXPECT_EQ(toolStatus(host_->port(), staff->access, "scoped_read"), 200);
    EXPECT_EQ(toolStatus(host_->port(), staff->access, "scoped_admin"), 403);

    const auto admin = signInAndRedeem("secrets:read secrets:admin", "root", "other.test", R"("roles":["viewer","mcp-admin"])");
    ASSERT_TRUE(admin);
    EXPECT_EQ(admin->scope, "secrets:read secrets:admin");
    EXPECT_EQ(toolStatus(host_->port(), admin->access, "scoped_admin"), 200);
}

TEST_F(ProxyAccessPolicy, APolicyChangeEndsOrNarrowsGrantsAtTheNextStart) {
    const auto staff = signInAndRedeem("secrets:read", "alice");
    const auto admin = signInAndRedeem("secrets:read secrets:admin", "root", "other.test", R"("roles":["mcp-admin"])");
    ASSERT_TRUE(staff && admin);
    ASSERT_EQ(toolStatus(host_->port(), staff->access, "scoped_read"), 200);

    // The operator drops the staff rule and cuts admins to read only, then restarts.
    start(staffAndAdmins(false, {"secrets:read"}));

    // Staff: the access token stops working at once and the refresh token is refused.
    EXPECT_EQ(toolStatus(host_->port(), staff->access, "scoped_read"), 401);
    auto refused = refresh(host_->port(), *staff);
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(parse(refused.body)->getValue<std::string>("error"), "invalid_grant");

    // Admin: the token carrying the withdrawn scope stops working; a refresh gets the rest.
    EXPECT_EQ(toolStatus(host_->port(), admin->access, "scoped_read"), 401);
    auto narrowed = refresh(host_->port(), *admin);
    ASSERT_EQ(narrowed.status, 200) << narrowed.body;
    EXPECT_EQ(parse(narrowed.body)->getValue<std::string>("scope"), "secrets:read");
    const std::string fresh = parse(narrowed.body)->getValue<std::string>("access_token");
    EXPECT_EQ(toolStatus(host_->port(), fresh, "scoped_read"), 200);
    EXPECT_EQ(toolStatus(host_->port(), fresh, "scoped_admin"), 403);
}

// ---- local provider ----------------------------------------------------------------------------

namespace {

class LocalUsersChange : public ::testing::Test {
protected:
    void SetUp() override {
        for (const auto& f : {std::string(MCPH_PLUGINS_DIR) + "/whoami.so", std::string(MCPH_TEST_PLUGINS_DIR) + "/scoped.so"}) {
            Poco::File(f).copyTo(plugins_.path());
        }
    }

    // Writes the users file: each entry is username → scopes ("" = no scopes key, any scope).
    void writeUsers(const std::vector<std::pair<std::string, std::string>>& users) {
        using authserver::PasswordHash;
        std::ofstream out(state_.path() + "/users.json");
        out << R"({"users":[)";
        for (std::size_t i = 0; i < users.size(); ++i) {
            out << (i ? "," : "") << R"({"username":")" << users[i].first << R"(","password":")"
                << PasswordHash::hash("pw-" + users[i].first, PasswordHash::kMinimumIterations) << '"';
            if (!users[i].second.empty()) out << R"(,"scopes":)" << users[i].second;
            out << "}";
        }
        out << "]}";
    }

    void start(authserver::AccessPolicy policy = authserver::AccessPolicy::unrestricted()) {
        const unsigned short port = host_ ? host_->port() : 0;
        host_.reset();
        auto config = testConfig(plugins_.path());
        config.server.port = port;
        authserver::AuthorizationServerOptions s;
        s.providerName = "local";
        s.usersFile = state_.path() + "/users.json";
        s.storeFile = state_.path() + "/auth.db";
        s.access = std::move(policy);
        config.auth.provider = "local";
        config.auth.settings = s;
        host_ = std::make_unique<TestHost>(config);
    }

    std::optional<Tokens> signIn(const std::string& user, const std::string& scope, int* pageStatus = nullptr) {
        const std::string clientId = registerClient(host_->port());
        const auto pkce = newPkce();
        OAuthBrowser browser(host_->port());
        auto page = browser.get(authorizePath(host_->port(), clientId, pkce, scope));
        auto back = browser.postForm("/authorize", {{"ticket", hiddenField(page.body, "ticket")},
                                                    {"csrf_token", hiddenField(page.body, "csrf_token")},
                                                    {"username", user}, {"password", "pw-" + user},
                                                    {"decision", "approve"}});
        if (pageStatus) *pageStatus = back.status;
        return redeem(host_->port(), clientId, back, pkce);
    }

    TempDir state_;
    TempDir plugins_;
    std::unique_ptr<TestHost> host_;
};

}  // namespace

TEST_F(LocalUsersChange, ARemovedUserLosesEveryTokenAndANarrowedOneKeepsTheRest) {
    writeUsers({{"carol", ""}, {"dave", R"(["secrets:read","secrets:admin"])"}});
    start();
    const auto carol = signIn("carol", "secrets:read");
    const auto dave = signIn("dave", "secrets:read secrets:admin");
    ASSERT_TRUE(carol && dave);
    EXPECT_EQ(dave->scope, "secrets:read secrets:admin");

    writeUsers({{"dave", R"(["secrets:read"])"}});  // carol removed, dave narrowed
    start();

    EXPECT_EQ(toolStatus(host_->port(), carol->access, "scoped_read"), 401);
    EXPECT_EQ(refresh(host_->port(), *carol).status, 400);

    EXPECT_EQ(toolStatus(host_->port(), dave->access, "scoped_read"), 401);  // it carries secrets:admin
    auto narrowed = refresh(host_->port(), *dave);
    ASSERT_EQ(narrowed.status, 200) << narrowed.body;
    EXPECT_EQ(parse(narrowed.body)->getValue<std::string>("scope"), "secrets:read");
    EXPECT_EQ(toolStatus(host_->port(), parse(narrowed.body)->getValue<std::string>("access_token"), "scoped_read"), 200);
}

TEST_F(LocalUsersChange, ThePolicyAppliesToLocalUsersToo) {
    writeUsers({{"erin", ""}, {"frank", ""}});
    authserver::AccessRule onlyErin;
    onlyErin.name = "erin";
    onlyErin.users = {"erin"};
    onlyErin.scopes = {"secrets:read"};
    start(authserver::AccessPolicy({onlyErin}));
    int status = 0;
    EXPECT_FALSE(signIn("frank", "secrets:read", &status));
    EXPECT_EQ(status, 403);
    const auto erin = signIn("erin", "secrets:read secrets:admin");
    ASSERT_TRUE(erin);
    EXPECT_EQ(erin->scope, "secrets:read");
}
