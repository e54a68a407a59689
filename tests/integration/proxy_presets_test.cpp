// Each proxy-mode preset end to end, from its config text to a tool call: the preset's derived
// settings (scopes, nonce, resource forwarding, identity method) with every upstream URL
// overridden to point at a local stand-in that speaks the same protocol, the way an operator
// would point it at a staging tenant. GitHub's user endpoint is served by the stand-in too.
#include <gtest/gtest.h>

#include <Poco/File.h>
#include <Poco/JSON/Parser.h>

#include "config/ConfigLoader.h"
#include "support/HostProcess.h"
#include "support/HttpClient.h"
#include "support/McpCalls.h"
#include "support/OAuthBrowser.h"
#include "support/StandInUpstream.h"
#include "support/TestHost.h"

using namespace mcph::testing;

namespace {

Poco::JSON::Object::Ptr parse(const std::string& json) {
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

struct Preset {
    const char* name;
    std::string ownKeys;        // the preset's own keys, e.g. "domain"
    bool userInfo = false;      // GitHub: identity from the user endpoint
    std::string upstreamScope;  // what the preset asks of the upstream
};

class ProxyPreset : public ::testing::TestWithParam<Preset> {
protected:
    void SetUp() override {
        Poco::File(std::string(MCPH_PLUGINS_DIR) + "/whoami.so").copyTo(plugins_.path());
        // GitHub's /user and /user/emails: only for the access token the stand-in issued.
        upstream_.server.route("/user", [](const authtest::TestHttpServer::Request& r) {
            if (r.headers.count("Authorization") == 0 ||
                r.headers.at("Authorization") != std::string("Bearer ") + kStandInUpstreamAccessToken) {
                return authtest::TestHttpServer::Reply{401, R"({"message":"Bad credentials"})"};
            }
            return authtest::TestHttpServer::Reply{200, R"({"login":"octocat","id":583231,"name":null,"email":null})"};
        });
        upstream_.server.serve("/user/emails", 200,
                               R"([{"email":"old@example.com","primary":false,"verified":true},)"
                               R"({"email":"octocat@example.com","primary":true,"verified":true}])");
    }

    std::string configText(const Preset& p) const {
        const std::string u = upstream_.server.url();
        std::string verify = p.userInfo ? R"("verify": {"userinfo": {"url": ")" + u + R"(/user", "emailsUrl": ")" + u + R"(/user/emails"}},)"
                                        : R"("verify": {"jwks": {"jwksUrl": ")" + u + R"(/jwks"}},)";
        return R"({"server": {"host": "127.0.0.1", "port": 0},
                   "plugins": {"dir": ")" + plugins_.path() + R"("},
                   "logging": {"level": "warning"},
                   "auth": {"provider": ")" + std::string(p.name) + R"(", )" + p.ownKeys + R"(
                            "authEndpoint": ")" + u + R"(/authorize", "tokenEndpoint": ")" + u + R"(/token",
                            "issuer": ")" + u + R"(", "clientId": ")" + kStandInUpstreamClient + R"(",
                            "clientSecret": ")" + kStandInUpstreamSecret + R"(", )" + verify + R"(
                            "allowInsecureHttp": true, "store": {"sqlite": ")" + state_.path() + R"(/auth.db"}}})";
    }

    StandInUpstream upstream_;
    TempDir plugins_;
    TempDir state_;
};

}  // namespace

TEST_P(ProxyPreset, SignsInThroughTheStandInAndCallsATool) {
    const Preset& p = GetParam();
    auto loaded = mcph::config::loadConfigText(configText(p), "preset.json", state_.path());
    ASSERT_TRUE(loaded.ok()) << loaded.errors[0];
    TestHost host(loaded.config);

    HttpClient c(host.port());
    auto reg = c.request("POST", "/register", R"({"client_name":"Preset test","redirect_uris":["http://127.0.0.1:5000/cb"]})",
                         {{"Content-Type", "application/json"}});
    ASSERT_EQ(reg.status, 201) << reg.body;
    const std::string clientId = parse(reg.body)->getValue<std::string>("client_id");
    const auto pkce = newPkce();
    OAuthBrowser browser(host.port());
    auto page = browser.get("/authorize?" + formEncode({{"response_type", "code"}, {"client_id", clientId},
                                                        {"redirect_uri", "http://127.0.0.1:5000/cb"},
                                                        {"code_challenge", pkce.challenge},
                                                        {"code_challenge_method", "S256"}, {"state", "p"}}));
    ASSERT_EQ(page.status, 200) << page.body;
    auto up = browser.postForm("/authorize", {{"ticket", hiddenField(page.body, "ticket")},
                                              {"csrf_token", hiddenField(page.body, "csrf_token")},
                                              {"decision", "approve"}});
    ASSERT_EQ(up.status, 302) << up.body;
    auto q = queryOf(up.header("location"));
    // The preset's own choices reach the upstream.
    EXPECT_EQ(q["scope"], p.upstreamScope);
    EXPECT_EQ(q.count("resource"), 0u);  // presets keep the MCP URL to themselves
    EXPECT_EQ(q.count("nonce"), p.userInfo ? 0u : 1u);
    EXPECT_EQ(q["client_id"], kStandInUpstreamClient);

    upstream_.prepare("UP-" + std::string(p.name), upstream_.idTokenClaims("user-" + std::string(p.name), q["nonce"]));
    auto back = browser.get("/oauth/callback?" + formEncode({{"code", "UP-" + std::string(p.name)}, {"state", q["state"]}}));
    ASSERT_EQ(back.status, 302) << back.body;
    auto cq = queryOf(back.header("location"));
    ASSERT_FALSE(cq["code"].empty()) << back.header("location");

    auto tokens = c.request("POST", "/token",
                            formEncode({{"grant_type", "authorization_code"}, {"code", cq["code"]},
                                        {"redirect_uri", "http://127.0.0.1:5000/cb"}, {"code_verifier", pkce.verifier},
                                        {"client_id", clientId}}),
                            {{"Content-Type", "application/x-www-form-urlencoded"}});
    ASSERT_EQ(tokens.status, 200) << tokens.body;
    auto call = callToolWithBearer(host.port(), parse(tokens.body)->getValue<std::string>("access_token"), "whoami");
    ASSERT_EQ(call.status, 200) << call.body;
    auto who = call.json()->getObject("result")->getObject("structuredContent");
    if (p.userInfo) {
        EXPECT_EQ(who->getValue<std::string>("userId"), "583231");  // GitHub's numeric id, as text
        EXPECT_EQ(who->getValue<std::string>("email"), "octocat@example.com");  // primary verified
        EXPECT_EQ(who->getValue<std::string>("name"), "octocat");  // no display name: the login
    } else {
        EXPECT_EQ(who->getValue<std::string>("userId"), "user-" + std::string(p.name));
        EXPECT_EQ(who->getValue<std::string>("email"), "user-" + std::string(p.name) + "@example.com");
    }
}

INSTANTIATE_TEST_SUITE_P(
    EveryPreset, ProxyPreset,
    ::testing::Values(Preset{"auth0", R"("domain": "tenant.example.auth0.com",)", false, "openid email profile"},
                      Preset{"google", "", false, "openid email profile"},
                      Preset{"github", "", true, "read:user user:email"},
                      Preset{"okta", R"("domain": "dev-1.okta.example",)", false, "openid email profile"},
                      Preset{"entra", R"("tenant": "00000000-0000-0000-0000-000000000001",)", false, "openid email profile"}),
    [](const ::testing::TestParamInfo<Preset>& info) { return std::string(info.param.name); });
