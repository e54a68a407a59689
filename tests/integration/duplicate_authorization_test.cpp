// A request with two Authorization headers is refused with 400 invalid_request, at the MCP
// endpoint and at the authorization server's /token and /revoke: picking one of them would let a
// proxy in front of the host and the host itself act on different credentials. Sent over a raw
// socket, since well-behaved clients cannot send the header twice.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>

#include "support/HostProcess.h"
#include "support/HttpClient.h"
#include "support/RawHttp.h"
#include "support/StandInUpstream.h"
#include "support/TestHost.h"
#include "unit/auth_test_support.h"

using namespace mcph::testing;

namespace {

const std::string kInit = rpcRequest(1, "initialize", R"({"protocolVersion":"2025-11-25","capabilities":{}})");

std::string post(unsigned short port, const std::string& path, const std::string& contentType,
                 const std::vector<std::string>& authorizations, const std::string& body) {
    std::string r = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                    "\r\nContent-Type: " + contentType + "\r\nAccept: application/json, text/event-stream\r\n";
    for (const auto& a : authorizations) r += a + "\r\n";  // each a whole header line
    return r + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

RawResponse roundTrip(unsigned short port, const std::string& request) {
    RawHttpConnection c(port);
    c.send(request);
    auto answer = c.next();
    if (!answer) throw std::runtime_error("no answer");
    return *answer;
}

// The host as a protected resource of a local issuer, and a token it accepts.
class McpEndpointAuthorization : public ::testing::Test {
  protected:
    void SetUp() override {
        std::signal(SIGPIPE, SIG_IGN);
        const std::string iss = issuer_.url();
        issuer_.serve("/.well-known/oauth-authorization-server", 200,
                      R"({"issuer":")" + iss + R"(","jwks_uri":")" + iss + R"(/jwks"})");
        issuer_.serve("/jwks", 200, authtest::jwks({key_.jwk()}));
        auto config = testConfig(MCPH_PLUGINS_DIR);
        mcph::auth::ResourceServerOptions oidc;
        oidc.issuer = iss;
        config.auth.provider = "oidc";
        config.auth.settings = oidc;
        host_ = std::make_unique<TestHost>(config);

        const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        Poco::JSON::Object claims;
        claims.set("iss", iss);
        claims.set("aud", host_->server().mcpUrl());
        claims.set("sub", "dup-user");
        claims.set("exp", now + 300);
        token_ = authtest::signJwt("RS256", key_, R"({"alg":"RS256","kid":"k1"})", authtest::toJson(claims));
    }

    unsigned short port() const { return host_->port(); }

    authtest::TestKey key_ = authtest::TestKey::rsa("k1");
    authtest::TestHttpServer issuer_;
    std::unique_ptr<TestHost> host_;
    std::string token_;
};

}  // namespace

TEST_F(McpEndpointAuthorization, OneAuthorizationHeaderIsServed) {
    const auto r = roundTrip(port(), post(port(), "/mcp", "application/json", {"Authorization: Bearer " + token_}, kInit));
    EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(McpEndpointAuthorization, TwoAuthorizationHeadersAreABadRequestNeverAPickOfOne) {
    const std::string good = "Authorization: Bearer " + token_;
    const std::vector<std::vector<std::string>> cases = {
        {good, good},                                  // the same token twice
        {good, "Authorization: Bearer forged"},        // a valid one first
        {"Authorization: Bearer forged", good},        // a valid one last
        {good, "authorization: Bearer " + token_},     // names differ only in case
        {"AUTHORIZATION: Basic dTpw", good, good},     // three, of two schemes
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        SCOPED_TRACE("case " + std::to_string(i));
        const auto& headers = cases[i];
        const auto r = roundTrip(port(), post(port(), "/mcp", "application/json", headers, kInit));
        EXPECT_EQ(r.status, 400) << r.body;
        const std::string challenge = r.headers.count("www-authenticate") ? r.headers.at("www-authenticate") : "";
        EXPECT_NE(challenge.find(R"(error="invalid_request")"), std::string::npos) << challenge;
        EXPECT_NE(r.body.find("more than one Authorization header"), std::string::npos) << r.body;
        EXPECT_EQ(r.headers.count("mcp-session-id"), 0u) << "no session may be opened";
        EXPECT_EQ(challenge.find(token_.substr(0, 16)), std::string::npos) << "the token is never echoed";
    }
}

TEST(DuplicateAuthorization, TokenAndRevokeRefuseTwoClientCredentials) {
    std::signal(SIGPIPE, SIG_IGN);
    TempDir dir;
    StandInUpstream upstream;
    auto config = testConfig(MCPH_PLUGINS_DIR);
    config.auth.provider = "proxy";
    config.auth.settings = upstream.proxySettings(dir.path() + "/auth.db");
    TestHost host(config);
    const unsigned short port = host.port();
    const std::string form = "application/x-www-form-urlencoded";
    const std::string basicA = "Authorization: Basic YWxpY2U6c2VjcmV0";  // alice:secret
    const std::string basicB = "Authorization: Basic Ym9iOnNlY3JldA==";  // bob:secret
    const std::string tokenBody = "grant_type=authorization_code&code=x&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&code_verifier=v";
    const std::string revokeBody = "token=abc";

    for (const auto& [path, body] : {std::pair{std::string("/token"), tokenBody}, std::pair{std::string("/revoke"), revokeBody}}) {
        SCOPED_TRACE(path);
        // One (unknown) client: an ordinary client authentication failure.
        const auto one = roundTrip(port, post(port, path, form, {basicA}, body));
        EXPECT_EQ(one.status, 401) << one.body;
        EXPECT_NE(one.body.find("invalid_client"), std::string::npos) << one.body;
        // Two, in any spelling: refused before any client is looked at.
        for (const auto& twice : {std::vector<std::string>{basicA, basicB}, std::vector<std::string>{basicA, basicA},
                                  std::vector<std::string>{basicA, "authorization: Basic Ym9iOnNlY3JldA=="}}) {
            const auto r = roundTrip(port, post(port, path, form, twice, body));
            EXPECT_EQ(r.status, 400) << r.body;
            EXPECT_NE(r.body.find(R"("error":"invalid_request")"), std::string::npos) << r.body;
            EXPECT_NE(r.body.find("more than one Authorization header"), std::string::npos) << r.body;
        }
    }
}
