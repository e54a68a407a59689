// The `local` provider end to end: the host's own sign-in + consent page against a users file
// with salted PBKDF2 hashes, then the same tokens, refresh and tool calls as proxy mode.
#include <gtest/gtest.h>

#include <Poco/File.h>
#include <Poco/JSON/Parser.h>

#include <sys/stat.h>

#include <fstream>

#include "mcphost/auth/server/PasswordHash.h"
#include "support/HostProcess.h"
#include "support/HttpClient.h"
#include "support/McpCalls.h"
#include "support/OAuthBrowser.h"
#include "support/TestHost.h"

using namespace mcph::testing;

namespace {

Poco::JSON::Object::Ptr parse(const std::string& json) {
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

// Registers a client, signs `user` in on the host's page and redeems the code; the token answer
// with the client id added as "test_client_id", or null.
Poco::JSON::Object::Ptr signInAndRedeem(unsigned short port, const std::string& user, const std::string& password) {
    HttpClient c(port);
    auto reg = c.request("POST", "/register", R"({"redirect_uris":["http://127.0.0.1:9/cb"]})", {{"Content-Type", "application/json"}});
    if (reg.status != 201) return nullptr;
    const std::string clientId = parse(reg.body)->getValue<std::string>("client_id");
    const auto pkce = newPkce();
    OAuthBrowser browser(port);
    auto page = browser.get("/authorize?" + formEncode({{"response_type", "code"}, {"client_id", clientId},
                                                        {"redirect_uri", "http://127.0.0.1:9/cb"},
                                                        {"code_challenge", pkce.challenge},
                                                        {"code_challenge_method", "S256"}}));
    auto ok = browser.postForm("/authorize", {{"ticket", hiddenField(page.body, "ticket")},
                                              {"csrf_token", hiddenField(page.body, "csrf_token")},
                                              {"username", user}, {"password", password}, {"decision", "approve"}});
    if (ok.status != 302) return nullptr;
    auto tokens = c.request("POST", "/token",
                            formEncode({{"grant_type", "authorization_code"}, {"code", queryOf(ok.header("location"))["code"]},
                                        {"redirect_uri", "http://127.0.0.1:9/cb"}, {"code_verifier", pkce.verifier},
                                        {"client_id", clientId}}),
                            {{"Content-Type", "application/x-www-form-urlencoded"}});
    if (tokens.status != 200) return nullptr;
    auto doc = parse(tokens.body);
    doc->set("test_client_id", clientId);
    return doc;
}

class LocalProvider : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir;
        plugins_ = new TempDir;
        for (const auto& f : {std::string(MCPH_PLUGINS_DIR) + "/whoami.so", std::string(MCPH_TEST_PLUGINS_DIR) + "/scoped.so"}) {
            Poco::File(f).copyTo(plugins_->path());
        }
        // The minimum iteration count keeps the suite quick; production hashes use 600 000.
        using mcph::auth::server::PasswordHash;
        std::ofstream(dir_->path() + "/users.json")
            << R"({"users":[{"username":"alice","password":")" << PasswordHash::hash("correct horse", PasswordHash::kMinimumIterations)
            << R"(","email":"alice@example.com","name":"Alice"},)"
            << R"({"username":"reader","password":")" << PasswordHash::hash("reader pw", PasswordHash::kMinimumIterations)
            << R"(","scopes":["secrets:read"]}]})";
        auto config = testConfig(plugins_->path());
        mcph::auth::server::AuthorizationServerOptions s;
        s.providerName = "local";
        s.usersFile = dir_->path() + "/users.json";
        s.storeFile = dir_->path() + "/auth.db";
        config.auth.provider = "local";
        config.auth.settings = s;
        host_ = new TestHost(config);
    }
    static void TearDownTestSuite() {
        delete host_;
        delete plugins_;
        delete dir_;
    }

    struct Client {
        std::string id;
        std::string redirectUri = "http://localhost:7777/cb";
    };
    static Client registerClient() {
        HttpClient c(host_->port());
        auto r = c.request("POST", "/register", R"({"client_name":"CLI","redirect_uris":["http://localhost:7777/cb"]})",
                           {{"Content-Type", "application/json"}});
        EXPECT_EQ(r.status, 201) << r.body;
        return {parse(r.body)->getValue<std::string>("client_id")};
    }
    static std::string authorizePath(const Client& client, const PkcePair& pkce, const std::string& scope = "") {
        std::map<std::string, std::string> q = {{"response_type", "code"}, {"client_id", client.id},
                                                {"redirect_uri", client.redirectUri}, {"code_challenge", pkce.challenge},
                                                {"code_challenge_method", "S256"}, {"state", "xyz"}};
        if (!scope.empty()) q["scope"] = scope;
        return "/authorize?" + formEncode(q);
    }
    static HttpReply submit(OAuthBrowser& browser, const HttpReply& page, const std::string& user, const std::string& password) {
        return browser.postForm("/authorize", {{"ticket", hiddenField(page.body, "ticket")},
                                               {"csrf_token", hiddenField(page.body, "csrf_token")},
                                               {"username", user},
                                               {"password", password},
                                               {"decision", "approve"}});
    }
    static Poco::JSON::Object::Ptr redeem(const Client& client, const std::string& code, const PkcePair& pkce) {
        HttpClient c(host_->port());
        auto r = c.request("POST", "/token",
                           formEncode({{"grant_type", "authorization_code"}, {"code", code},
                                       {"redirect_uri", client.redirectUri}, {"code_verifier", pkce.verifier},
                                       {"client_id", client.id}}),
                           {{"Content-Type", "application/x-www-form-urlencoded"}});
        EXPECT_EQ(r.status, 200) << r.body;
        return parse(r.body);
    }
    static HttpReply whoami(const std::string& bearer, const std::string& tool = "whoami") {
        return callToolWithBearer(host_->port(), bearer, tool);
    }

    static TempDir* dir_;
    static TempDir* plugins_;
    static TestHost* host_;
};

TempDir* LocalProvider::dir_ = nullptr;
TempDir* LocalProvider::plugins_ = nullptr;
TestHost* LocalProvider::host_ = nullptr;

}  // namespace

TEST_F(LocalProvider, SignInOnTheConsentPageThenTokensAndTools) {
    const auto client = registerClient();
    const auto pkce = newPkce();
    OAuthBrowser browser(host_->port());
    auto page = browser.get(authorizePath(client, pkce));
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_NE(page.body.find("type=\"password\""), std::string::npos);

    // A wrong password shows the page again with a fresh ticket; the old one is spent.
    auto wrong = submit(browser, page, "alice", "wrong");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_NE(wrong.body.find("Wrong username or password"), std::string::npos);
    EXPECT_EQ(wrong.body.find("wrong\""), std::string::npos);  // the password is never echoed
    EXPECT_EQ(submit(browser, page, "alice", "correct horse").status, 400);
    // An unknown user reads exactly like a wrong password.
    auto unknown = submit(browser, wrong, "mallory", "x");
    EXPECT_EQ(unknown.status, 401);

    auto ok = submit(browser, unknown, "alice", "correct horse");
    ASSERT_EQ(ok.status, 302) << ok.body;
    auto q = queryOf(ok.header("location"));
    EXPECT_EQ(withoutQuery(ok.header("location")), client.redirectUri);
    EXPECT_EQ(q["state"], "xyz");
    EXPECT_EQ(q["iss"], "http://127.0.0.1:" + std::to_string(host_->port()));

    auto tokens = redeem(client, q["code"], pkce);
    auto call = whoami(tokens->getValue<std::string>("access_token"));
    ASSERT_EQ(call.status, 200) << call.body;
    auto who = call.json()->getObject("result")->getObject("structuredContent");
    EXPECT_EQ(who->getValue<std::string>("userId"), "alice");
    EXPECT_EQ(who->getValue<std::string>("email"), "alice@example.com");
    EXPECT_EQ(who->getValue<std::string>("name"), "Alice");
}

TEST_F(LocalProvider, AUsersScopesLimitWhatTheClientIsGranted) {
    const auto client = registerClient();
    const auto pkce = newPkce();
    OAuthBrowser browser(host_->port());
    auto page = browser.get(authorizePath(client, pkce, "secrets:read secrets:admin"));
    auto ok = submit(browser, page, "reader", "reader pw");
    ASSERT_EQ(ok.status, 302) << ok.body;
    auto tokens = redeem(client, queryOf(ok.header("location"))["code"], pkce);
    EXPECT_EQ(tokens->getValue<std::string>("scope"), "secrets:read");
    EXPECT_EQ(whoami(tokens->getValue<std::string>("access_token"), "scoped_read").status, 200);
    EXPECT_EQ(whoami(tokens->getValue<std::string>("access_token"), "scoped_admin").status, 403);
}

// It spends the sign-in attempts the host allows this address (10 a minute), so it runs in a suite
// of its own: the inherited SetUpTestSuite gives it its own host, and the LocalProvider tests can
// still sign in whatever the order (--gtest_shuffle).
class LocalProviderSignInLimit : public LocalProvider {};

TEST_F(LocalProviderSignInLimit, PasswordGuessingIsRateLimited) {
    const auto client = registerClient();
    OAuthBrowser browser(host_->port());
    auto page = browser.get(authorizePath(client, newPkce()));
    int limited = 0;
    for (int i = 0; i < 15 && !limited; ++i) {
        page = submit(browser, page, "alice", "guess-" + std::to_string(i));
        if (page.status == 429) ++limited;
        else EXPECT_EQ(page.status, 401);
    }
    EXPECT_EQ(limited, 1);
    EXPECT_NE(page.body.find("Too many sign-in attempts"), std::string::npos);
}

TEST(LocalProviderFirstRun, WithoutAUsersFileTheHostCreatesAnAdminWithARandomPassword) {
    TempDir state;
    TempDir plugins;
    Poco::File(std::string(MCPH_PLUGINS_DIR) + "/whoami.so").copyTo(plugins.path());
    auto config = testConfig(plugins.path());
    mcph::auth::server::AuthorizationServerOptions s;
    s.providerName = "local";
    s.storeFile = state.path() + "/var/auth.db";
    config.auth.provider = "local";
    config.auth.settings = s;
    std::string password;
    Poco::JSON::Object::Ptr before;  // tokens issued before the restart
    {
        TestHost host(config);
        std::ifstream in(state.path() + "/var/admin-password");
        std::getline(in, password);
        ASSERT_GE(password.size(), 20u);
        EXPECT_TRUE(Poco::File(state.path() + "/var/users.json").exists());
        // Only the owner may read either file.
        EXPECT_EQ(Poco::File(state.path() + "/var/admin-password").canRead(), true);
        struct stat st {};
        ASSERT_EQ(::stat((state.path() + "/var/admin-password").c_str(), &st), 0);
        EXPECT_EQ(st.st_mode & 0777, 0600u);
        ASSERT_EQ(::stat((state.path() + "/var/users.json").c_str(), &st), 0);
        EXPECT_EQ(st.st_mode & 0777, 0600u);
        before = signInAndRedeem(host.port(), "admin", password);
        ASSERT_TRUE(before);
        // The restart keeps the address: tokens name the host's URL as issuer and audience.
        config.server.port = host.port();
    }
    // A restart keeps the same users, password, signing key, clients and refresh tokens.
    TestHost host(config);
    EXPECT_EQ(callToolWithBearer(host.port(), before->getValue<std::string>("access_token"), "whoami").status, 200);
    HttpClient r(host.port());
    auto refreshed = r.request("POST", "/token",
                               formEncode({{"grant_type", "refresh_token"},
                                           {"refresh_token", before->getValue<std::string>("refresh_token")},
                                           {"client_id", before->getValue<std::string>("test_client_id")}}),
                               {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(refreshed.status, 200) << refreshed.body;
    std::ifstream again(state.path() + "/var/admin-password");
    std::string same;
    std::getline(again, same);
    EXPECT_EQ(same, password);

    EXPECT_TRUE(signInAndRedeem(host.port(), "admin", password));
    EXPECT_FALSE(signInAndRedeem(host.port(), "admin", "not-the-password"));
}
