// Log hygiene, on the real binary's log output: text that comes from a request and is logged
// (here the `error` an identity provider, or anyone, puts on the sign-in callback) cannot forge a
// log line; its control characters are written out as \r, \n, \xNN.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <sstream>

#include "support/HostProcess.h"
#include "support/HttpClient.h"
#include "support/OAuthBrowser.h"
#include "support/StandInUpstream.h"

using namespace mcph::testing;

namespace {

std::vector<std::string> linesOf(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
    return lines;
}

}  // namespace

TEST(LogHygiene, RequestTextCannotForgeALogLine) {
    StandInUpstream upstream;
    TempDir state;
    const std::string u = upstream.server.url();
    // The test plugins: old_header.so logs a line of its own when it starts.
    const std::string file = state.write("proxy.json", R"({"server": {"host": "127.0.0.1", "port": 0},
        "plugins": {"dir": ")" + std::string(MCPH_TEST_PLUGINS_DIR) + R"("},
        "logging": {"level": "information"},
        "auth": {"provider": "proxy", "authEndpoint": ")" + u + R"(/authorize", "tokenEndpoint": ")" + u + R"(/token",
                 "issuer": ")" + u + R"(", "clientId": ")" + kStandInUpstreamClient + R"(",
                 "clientSecret": ")" + kStandInUpstreamSecret + R"(", "verify": {"jwks": {"jwksUrl": ")" + u + R"(/jwks"}},
                 "allowInsecureHttp": true, "store": {"sqlite": ")" + state.path() + R"(/auth.db"}}})");
    HostProcess host(file);

    HttpClient c(host.port());
    auto reg = c.request("POST", "/register", R"({"client_name":"Log test","redirect_uris":["http://127.0.0.1:5000/cb"]})",
                         {{"Content-Type", "application/json"}});
    ASSERT_EQ(reg.status, 201) << reg.body;
    const std::string clientId = Poco::JSON::Parser().parse(reg.body).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("client_id");
    const auto pkce = newPkce();
    OAuthBrowser browser(host.port());
    auto page = browser.get("/authorize?" + formEncode({{"response_type", "code"}, {"client_id", clientId},
                                                        {"redirect_uri", "http://127.0.0.1:5000/cb"},
                                                        {"code_challenge", pkce.challenge},
                                                        {"code_challenge_method", "S256"}, {"state", "s"}}));
    ASSERT_EQ(page.status, 200) << page.body;
    auto up = browser.postForm("/authorize", {{"ticket", hiddenField(page.body, "ticket")},
                                              {"csrf_token", hiddenField(page.body, "csrf_token")},
                                              {"decision", "approve"}});
    ASSERT_EQ(up.status, 302) << up.body;
    // The callback's `error` is logged: it carries a whole forged log line after a CR LF.
    const std::string forged = "x\r\nFORGED Warning mcp-host.auth: admin\x1b[2K signed in";
    auto back = browser.get("/oauth/callback?" + formEncode({{"error", forged}, {"state", queryOf(up.header("location"))["state"]}}));
    ASSERT_EQ(back.status, 302) << back.body;
    EXPECT_EQ(queryOf(back.header("location"))["error"], "access_denied");

    host.terminate();
    EXPECT_EQ(host.wait(), 0);
    const std::string log = host.stderrText();
    EXPECT_NE(log.find("callback: upstream refused the sign-in (x\\r\\nFORGED Warning mcp-host.auth: admin\\x1b[2K signed in)"),
              std::string::npos)
        << log;
    EXPECT_EQ(log.find('\r'), std::string::npos) << log;
    EXPECT_EQ(log.find('\x1b'), std::string::npos) << log;
    bool pluginLogged = false;
    for (const auto& line : linesOf(log)) {
        EXPECT_NE(line.rfind("FORGED", 0), 0u) << "a forged line: " << line;
        // Every line is one the host's channel formatted (date first), plugins' lines too.
        EXPECT_TRUE(line.size() > 4 && std::isdigit(static_cast<unsigned char>(line[0]))) << line;
        if (line.find(" plugin.old_header: built against ABI 1.0") != std::string::npos) pluginLogged = true;
    }
    EXPECT_TRUE(pluginLogged) << log;
}
