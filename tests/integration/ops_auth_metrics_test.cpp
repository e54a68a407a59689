// The host's own authorization server (provider `local`) reports its events into the metrics:
// sign-ins by outcome, consents, token grants by grant type, refreshes, revocations, store
// latency. Driven over real HTTP, read back from the admin listener.
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "mcphost/auth/server/PasswordHash.h"
#include "support/HostProcess.h"
#include "support/HttpClient.h"
#include "support/MetricsText.h"
#include "support/OAuthBrowser.h"
#include "support/TestHost.h"

using namespace mcph::testing;

namespace {

const std::map<std::string, std::string> kForm = {
    {"Content-Type", "application/x-www-form-urlencoded"}};

std::string scrape(TestHost& host) {
    HttpClient admin(host.server().adminPort());
    return admin.request("GET", "/metrics").body;
}

double value(const std::string& text, const std::string& series) {
    return sampleValue(text, series).value_or(0);
}

}  // namespace

TEST(OpsAuthMetrics, TheLocalAuthorizationServerReportsItsEvents) {
    TempDir dir;
    using mcph::auth::server::PasswordHash;
    std::ofstream(dir.path() + "/users.json")
        << R"({"users":[{"username":"alice","password":")"
        << PasswordHash::hash("correct horse", PasswordHash::kMinimumIterations) << R"("}]})";
    auto config = testConfig(MCPH_PLUGINS_DIR);
    mcph::auth::server::AuthorizationServerOptions s;
    s.providerName = "local";
    s.usersFile = dir.path() + "/users.json";
    s.storeFile = dir.path() + "/auth.db";
    config.auth.provider = "local";
    config.auth.settings = s;
    TestHost host(config);
    const unsigned short port = host.port();

    HttpClient c(port);
    auto reg = c.request("POST", "/register", R"({"redirect_uris":["http://127.0.0.1:9/cb"]})",
                         {{"Content-Type", "application/json"}});
    ASSERT_EQ(reg.status, 201) << reg.body;
    const std::string clientId = reg.json()->getValue<std::string>("client_id");
    const auto pkce = newPkce();
    OAuthBrowser browser(port);
    const std::string authorize =
        "/authorize?" + formEncode({{"response_type", "code"},
                                    {"client_id", clientId},
                                    {"redirect_uri", "http://127.0.0.1:9/cb"},
                                    {"code_challenge", pkce.challenge},
                                    {"code_challenge_method", "S256"}});
    auto page = browser.get(authorize);
    auto wrong =
        browser.postForm("/authorize", {{"ticket", hiddenField(page.body, "ticket")},
                                        {"csrf_token", hiddenField(page.body, "csrf_token")},
                                        {"username", "alice"},
                                        {"password", "wrong"},
                                        {"decision", "approve"}});
    ASSERT_EQ(wrong.status, 401);
    page = browser.get(authorize);
    auto ok = browser.postForm("/authorize", {{"ticket", hiddenField(page.body, "ticket")},
                                              {"csrf_token", hiddenField(page.body, "csrf_token")},
                                              {"username", "alice"},
                                              {"password", "correct horse"},
                                              {"decision", "approve"}});
    ASSERT_EQ(ok.status, 302);
    auto tokens = c.request("POST", "/token",
                            formEncode({{"grant_type", "authorization_code"},
                                        {"code", queryOf(ok.header("location"))["code"]},
                                        {"redirect_uri", "http://127.0.0.1:9/cb"},
                                        {"code_verifier", pkce.verifier},
                                        {"client_id", clientId}}),
                            kForm);
    ASSERT_EQ(tokens.status, 200) << tokens.body;
    const std::string refresh = tokens.json()->getValue<std::string>("refresh_token");
    auto refreshed = c.request(
        "POST", "/token",
        formEncode(
            {{"grant_type", "refresh_token"}, {"refresh_token", refresh}, {"client_id", clientId}}),
        kForm);
    ASSERT_EQ(refreshed.status, 200) << refreshed.body;
    auto revoked =
        c.request("POST", "/revoke",
                  formEncode({{"token", refreshed.json()->getValue<std::string>("refresh_token")},
                              {"client_id", clientId}}),
                  kForm);
    ASSERT_EQ(revoked.status, 200) << revoked.body;

    const std::string text = scrape(host);
    EXPECT_EQ(value(text, R"(mcp_host_sign_ins_total{outcome="ok"})"), 1) << text;
    EXPECT_EQ(value(text, R"(mcp_host_sign_ins_total{outcome="failed"})"), 1) << text;
    EXPECT_EQ(value(text, R"(mcp_host_consents_total{decision="approved"})"), 1) << text;
    EXPECT_EQ(
        value(text,
              R"(mcp_host_token_grants_total{grant_type="authorization_code",outcome="issued"})"),
        1)
        << text;
    EXPECT_EQ(
        value(text, R"(mcp_host_token_grants_total{grant_type="refresh_token",outcome="issued"})"),
        1)
        << text;
    EXPECT_EQ(value(text, R"(mcp_host_token_refreshes_total{outcome="issued"})"), 1) << text;
    EXPECT_EQ(value(text, "mcp_host_token_revocations_total"), 1) << text;
    EXPECT_GT(value(text, "mcp_host_auth_store_operation_duration_seconds_count"), 5) << text;
    // Neither the client nor the user is a label.
    EXPECT_EQ(text.find(clientId), std::string::npos);
    EXPECT_EQ(text.find("alice"), std::string::npos);
}
