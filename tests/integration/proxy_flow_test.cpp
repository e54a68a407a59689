// Proxy mode end to end over real HTTP: the host in-process as the authorization server MCP
// clients see, a local stand-in upstream identity provider (token endpoint + JWKS, signing real
// ID tokens), a browser with a cookie jar walking consent and the upstream callback, and a client
// redeeming codes and refresh tokens and calling tools with the host's own tokens. Every hop is
// checked, and each attack on the flow gets a test.
#include <gtest/gtest.h>

#include <Poco/Base64Encoder.h>
#include <Poco/File.h>
#include <Poco/JSON/Parser.h>

#include <atomic>
#include <mutex>
#include <sstream>
#include <thread>

#include "mcphost/auth/server/EndpointMessages.h"
#include "mcphost/auth/server/FormUrlEncoded.h"
#include "mcphost/auth/server/Pkce.h"
#include "support/HostProcess.h"
#include "support/HttpClient.h"
#include "support/McpCalls.h"
#include "support/OAuthBrowser.h"
#include "support/StandInUpstream.h"
#include "support/TestHost.h"
#include "unit/auth_test_support.h"

using namespace mcph::testing;
using authtest::TestHttpServer;
using authtest::TestKey;

namespace {

namespace authserver = mcph::auth::server;

const char* kUpstreamClient = kStandInUpstreamClient;
const char* kUpstreamSecret = kStandInUpstreamSecret;
const char* kUpstreamAccessToken = kStandInUpstreamAccessToken;

long long nowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string base64(const std::string& text) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << text;
    encoder.close();
    return out.str();
}

Poco::JSON::Object::Ptr parse(const std::string& json) {
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

// The stand-in upstream identity provider (support/StandInUpstream.h).
using Upstream = StandInUpstream;

struct RegisteredClient {
    std::string id;
    std::string secret;
    std::string redirectUri;
};

class ProxyFlow : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        upstream_ = new Upstream;
        dir_ = new TempDir;
        plugins_ = new TempDir;
        for (const auto& f : {std::string(MCPH_PLUGINS_DIR) + "/whoami.so", std::string(MCPH_TEST_PLUGINS_DIR) + "/scoped.so"}) {
            Poco::File(f).copyTo(plugins_->path());
        }
        auto config = testConfig(plugins_->path());
        config.auth.provider = "proxy";
        config.auth.settings = upstream_->proxySettings(dir_->path() + "/auth.db");
        host_ = new TestHost(config);
    }
    static void TearDownTestSuite() {
        delete host_;
        delete plugins_;
        delete dir_;
        delete upstream_;
    }

    static std::string base() { return "http://127.0.0.1:" + std::to_string(host_->port()); }

    RegisteredClient registerClient(const std::string& redirectUri = "http://127.0.0.1:33418/callback",
                                    const std::string& authMethod = "none") {
        HttpClient c(host_->port());
        const auto r = c.request("POST", "/register",
                                 R"({"client_name":"Test Client","redirect_uris":[")" + redirectUri +
                                     R"("],"token_endpoint_auth_method":")" + authMethod + R"("})",
                                 {{"Content-Type", "application/json"}});
        EXPECT_EQ(r.status, 201) << r.body;
        auto doc = parse(r.body);
        return {doc->getValue<std::string>("client_id"), doc->optValue<std::string>("client_secret", ""), redirectUri};
    }

    static std::string authorizePath(const RegisteredClient& client, const PkcePair& pkce, const std::string& state = "st-1",
                                     std::map<std::string, std::string> extra = {}) {
        std::map<std::string, std::string> q = {{"response_type", "code"},   {"client_id", client.id},
                                                {"redirect_uri", client.redirectUri}, {"code_challenge", pkce.challenge},
                                                {"code_challenge_method", "S256"}, {"state", state},
                                                {"resource", base() + "/mcp"}};
        for (auto& [k, v] : extra) {
            if (v == "<drop>") {
                q.erase(k);
            } else {
                q[k] = v;
            }
        }
        return "/authorize?" + formEncode(q);
    }

    // GET /authorize and approve: returns the redirect to the upstream.
    HttpReply approve(OAuthBrowser& browser, const RegisteredClient& client, const PkcePair& pkce,
                      const std::string& state = "st-1") {
        auto page = browser.get(authorizePath(client, pkce, state));
        EXPECT_EQ(page.status, 200) << page.body;
        return browser.postForm("/authorize", {{"ticket", hiddenField(page.body, "ticket")},
                                               {"csrf_token", hiddenField(page.body, "csrf_token")},
                                               {"decision", "approve"}});
    }

    // The whole browser part for `user`: consent, upstream, callback. Returns the callback's answer.
    HttpReply signIn(OAuthBrowser& browser, const RegisteredClient& client, const PkcePair& pkce, const std::string& user,
                     const std::string& state = "st-1") {
        auto up = approve(browser, client, pkce, state);
        EXPECT_EQ(up.status, 302) << up.body;
        const auto q = queryOf(up.header("location"));
        const std::string code = "UPSTREAM-CODE-" + std::to_string(++codeCounter_);
        upstream_->prepare(code, upstream_->idTokenClaims(user, q.at("nonce")));
        return browser.get("/oauth/callback?" + formEncode({{"code", code}, {"state", q.at("state")}}));
    }

    // The host's authorization code for `user`, through the whole browser part.
    std::string hostCode(const RegisteredClient& client, const PkcePair& pkce, const std::string& user = "alice") {
        OAuthBrowser browser(host_->port());
        auto back = signIn(browser, client, pkce, user);
        EXPECT_EQ(back.status, 302) << back.body;
        return queryOf(back.header("location"))["code"];
    }

    static HttpReply token(const std::map<std::string, std::string>& form, std::map<std::string, std::string> headers = {}) {
        HttpClient c(host_->port());
        headers["Content-Type"] = "application/x-www-form-urlencoded";
        return c.request("POST", "/token", formEncode(form), headers);
    }
    static HttpReply redeem(const RegisteredClient& client, const std::string& code, const PkcePair& pkce) {
        std::map<std::string, std::string> form = {{"grant_type", "authorization_code"}, {"code", code},
                                                   {"redirect_uri", client.redirectUri}, {"code_verifier", pkce.verifier},
                                                   {"client_id", client.id}, {"resource", base() + "/mcp"}};
        if (!client.secret.empty()) form["client_secret"] = client.secret;
        return token(form);
    }
    static HttpReply refresh(const RegisteredClient& client, const std::string& refreshToken) {
        return token({{"grant_type", "refresh_token"}, {"refresh_token", refreshToken}, {"client_id", client.id}});
    }

    // initialize + tools/call `tool` with the bearer token; returns the tools/call reply.
    static HttpReply callTool(const std::string& bearer, const std::string& tool) {
        return callToolWithBearer(host_->port(), bearer, tool);
    }

    static Upstream* upstream_;
    static TempDir* dir_;
    static TempDir* plugins_;
    static TestHost* host_;
    static std::atomic<int> codeCounter_;
};

Upstream* ProxyFlow::upstream_ = nullptr;
TempDir* ProxyFlow::dir_ = nullptr;
TempDir* ProxyFlow::plugins_ = nullptr;
TestHost* ProxyFlow::host_ = nullptr;
std::atomic<int> ProxyFlow::codeCounter_{0};

}  // namespace

TEST_F(ProxyFlow, DiscoveryNamesTheHostAsItsOwnAuthorizationServer) {
    HttpClient c(host_->port());
    auto prm = parse(c.request("GET", "/.well-known/oauth-protected-resource/mcp").body);
    EXPECT_EQ(prm->getValue<std::string>("resource"), base() + "/mcp");
    EXPECT_EQ(prm->getArray("authorization_servers")->getElement<std::string>(0), base());
    auto as = parse(c.request("GET", "/.well-known/oauth-authorization-server").body);
    EXPECT_EQ(as->getValue<std::string>("issuer"), base());
    EXPECT_EQ(as->getValue<std::string>("authorization_endpoint"), base() + "/authorize");
    EXPECT_EQ(as->getValue<std::string>("token_endpoint"), base() + "/token");
    EXPECT_EQ(as->getValue<std::string>("revocation_endpoint"), base() + "/revoke");
    EXPECT_EQ(as->getArray("code_challenge_methods_supported")->getElement<std::string>(0), "S256");
    // Tool scopes are what the host grants: the scoped test plugin needs these two.
    EXPECT_EQ(as->getArray("scopes_supported")->size(), 2u);
    // The MCP endpoint sends clients here.
    auto r = c.post(rpcRequest(1, "initialize", "{}"));
    EXPECT_EQ(r.status, 401);
    EXPECT_NE(r.header("www-authenticate").find("/.well-known/oauth-protected-resource/mcp"), std::string::npos);
}

TEST_F(ProxyFlow, ConsentUpstreamCallbackTokenAndToolCallAsTheUpstreamUser) {
    const auto client = registerClient();
    const auto pkce = newPkce();
    OAuthBrowser browser(host_->port());

    // 1. The consent page: who asks, where the browser goes next; no framing, no caching.
    auto page = browser.get(authorizePath(client, pkce, "client-state-42"));
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_NE(page.body.find("Test Client"), std::string::npos);
    EXPECT_NE(page.body.find(client.redirectUri), std::string::npos);
    EXPECT_EQ(page.header("x-frame-options"), "DENY");
    EXPECT_NE(page.header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_EQ(page.header("cache-control"), "no-store");
    const std::string cookie = page.header("set-cookie");
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);

    // 2. Approval sends the browser upstream with the host's own client, state, PKCE and nonce.
    auto up = browser.postForm("/authorize", {{"ticket", hiddenField(page.body, "ticket")},
                                              {"csrf_token", hiddenField(page.body, "csrf_token")},
                                              {"decision", "approve"}});
    ASSERT_EQ(up.status, 302) << up.body;
    const std::string location = up.header("location");
    EXPECT_EQ(withoutQuery(location), upstream_->server.url("/authorize"));
    auto q = queryOf(location);
    EXPECT_EQ(q["client_id"], kUpstreamClient);
    EXPECT_EQ(q["redirect_uri"], base() + "/oauth/callback");
    EXPECT_EQ(q["response_type"], "code");
    EXPECT_EQ(q["code_challenge_method"], "S256");
    EXPECT_NE(q["code_challenge"], pkce.challenge);  // the host's own PKCE, not the client's
    EXPECT_NE(q["state"], "client-state-42");         // the host's own state
    EXPECT_FALSE(q["nonce"].empty());
    EXPECT_EQ(q["resource"], base() + "/mcp");
    EXPECT_EQ(location.find(kUpstreamSecret), std::string::npos);

    // 3. The callback exchanges the upstream code and sends the browser to the client.
    upstream_->prepare("UP-CODE-main", upstream_->idTokenClaims("alice", q["nonce"]));
    auto back = browser.get("/oauth/callback?" + formEncode({{"code", "UP-CODE-main"}, {"state", q["state"]}}));
    ASSERT_EQ(back.status, 302) << back.body;
    {
        std::lock_guard<std::mutex> lock(upstream_->mutex);
        EXPECT_EQ(upstream_->lastExchange["redirect_uri"], base() + "/oauth/callback");
        EXPECT_TRUE(authserver::Pkce::verify(upstream_->lastExchange["code_verifier"], q["code_challenge"]));
    }
    const std::string toClient = back.header("location");
    EXPECT_EQ(withoutQuery(toClient), client.redirectUri);
    auto cq = queryOf(toClient);
    EXPECT_EQ(cq["state"], "client-state-42");
    EXPECT_EQ(cq["iss"], base());
    ASSERT_FALSE(cq["code"].empty());
    EXPECT_EQ(toClient.find(kUpstreamAccessToken), std::string::npos);

    // 4. The token response is the host's own token, never the upstream's.
    auto tokens = redeem(client, cq["code"], pkce);
    ASSERT_EQ(tokens.status, 200) << tokens.body;
    EXPECT_EQ(tokens.header("cache-control"), "no-store");
    EXPECT_EQ(tokens.body.find(kUpstreamAccessToken), std::string::npos);
    auto t = parse(tokens.body);
    EXPECT_EQ(t->getValue<std::string>("token_type"), "Bearer");
    EXPECT_GT(t->getValue<int>("expires_in"), 0);
    EXPECT_FALSE(t->getValue<std::string>("refresh_token").empty());
    EXPECT_TRUE(t->has("scope"));

    // 5. The MCP endpoint accepts it, and the tool sees the upstream user.
    auto call = callTool(t->getValue<std::string>("access_token"), "whoami");
    ASSERT_EQ(call.status, 200) << call.body;
    auto who = call.json()->getObject("result")->getObject("structuredContent");
    EXPECT_EQ(who->getValue<std::string>("userId"), "alice");
    EXPECT_EQ(who->getValue<std::string>("email"), "alice@example.com");
    EXPECT_EQ(who->getValue<std::string>("name"), "User alice");
    EXPECT_EQ(who->getValue<std::string>("issuer"), base());
    EXPECT_EQ(who->getValue<std::string>("clientId"), client.id);
}

TEST_F(ProxyFlow, RefreshRotatesAndAnOlderGenerationRevokesTheFamily) {
    const auto client = registerClient();
    const auto pkce = newPkce();
    auto first = parse(redeem(client, hostCode(client, pkce), pkce).body);
    const std::string r1 = first->getValue<std::string>("refresh_token");

    auto second = refresh(client, r1);
    ASSERT_EQ(second.status, 200) << second.body;
    const std::string r2 = parse(second.body)->getValue<std::string>("refresh_token");
    EXPECT_NE(r2, r1);
    EXPECT_EQ(callTool(parse(second.body)->getValue<std::string>("access_token"), "whoami").status, 200);

    auto third = refresh(client, r2);
    ASSERT_EQ(third.status, 200) << third.body;
    const std::string r3 = parse(third.body)->getValue<std::string>("refresh_token");
    const std::string access3 = parse(third.body)->getValue<std::string>("access_token");
    EXPECT_EQ(callTool(access3, "whoami").status, 200);

    // r1 is two generations old: theft. The whole family dies, including the newest token.
    auto replay = refresh(client, r1);
    EXPECT_EQ(replay.status, 400);
    EXPECT_EQ(parse(replay.body)->getValue<std::string>("error"), "invalid_grant");
    EXPECT_EQ(refresh(client, r3).status, 400);
    EXPECT_EQ(callTool(access3, "whoami").status, 401);  // its access tokens end with it
}

TEST_F(ProxyFlow, TheImmediatelyPreviousRefreshTokenWorksWithinTheGraceWindow) {
    const auto client = registerClient();
    const auto pkce = newPkce();
    const std::string r1 = parse(redeem(client, hostCode(client, pkce), pkce).body)->getValue<std::string>("refresh_token");
    ASSERT_EQ(refresh(client, r1).status, 200);
    // A second CLI session still holding r1 (the default grace window is 60 s).
    auto again = refresh(client, r1);
    EXPECT_EQ(again.status, 200) << again.body;
}

TEST_F(ProxyFlow, RevocationEndsTheRefreshFamily) {
    const auto client = registerClient();
    const auto pkce = newPkce();
    const std::string r1 = parse(redeem(client, hostCode(client, pkce), pkce).body)->getValue<std::string>("refresh_token");
    HttpClient c(host_->port());
    auto revoked = c.request("POST", "/revoke", formEncode({{"token", r1}, {"client_id", client.id}}),
                             {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(revoked.status, 200);
    EXPECT_EQ(refresh(client, r1).status, 400);
    // Unknown tokens are 200 too (RFC 7009 §2.2); another client cannot revoke ours.
    EXPECT_EQ(c.request("POST", "/revoke", formEncode({{"token", "nope"}, {"client_id", client.id}}),
                        {{"Content-Type", "application/x-www-form-urlencoded"}}).status, 200);
    const auto other = registerClient();
    const std::string mine = parse(redeem(client, hostCode(client, pkce), pkce).body)->getValue<std::string>("refresh_token");
    c.request("POST", "/revoke", formEncode({{"token", mine}, {"client_id", other.id}}),
              {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(refresh(client, mine).status, 200);
}

TEST_F(ProxyFlow, UnknownClientOrUnregisteredRedirectGetsAPageNeverARedirect) {
    const auto client = registerClient("https://app.example.com/cb");
    const auto pkce = newPkce();
    OAuthBrowser browser(host_->port());
    RegisteredClient unknown{"no-such-client", "", "https://app.example.com/cb"};
    RegisteredClient wrongRedirect{client.id, "", "https://evil.example.com/cb"};
    RegisteredClient ownCallback{client.id, "", base() + "/oauth/callback"};
    RegisteredClient pathTrick{client.id, "", "https://app.example.com/cb/../evil"};
    for (const auto* c : {&unknown, &wrongRedirect, &ownCallback, &pathTrick}) {
        auto r = browser.get(authorizePath(*c, pkce));
        EXPECT_EQ(r.status, 400) << c->redirectUri;
        EXPECT_EQ(r.header("location"), "");
        EXPECT_NE(r.header("content-type").find("text/html"), std::string::npos);
    }
    // The host's own callback can never be registered as a client's redirect URI.
    HttpClient c(host_->port());
    auto reg = c.request("POST", "/register", R"({"redirect_uris":[")" + base() + R"(/oauth/callback"]})",
                         {{"Content-Type", "application/json"}});
    EXPECT_EQ(reg.status, 400);
}

TEST_F(ProxyFlow, LoopbackRedirectPortMayVaryButHostAndPathMayNot) {
    const auto client = registerClient("http://127.0.0.1:1111/callback");
    const auto pkce = newPkce();
    OAuthBrowser browser(host_->port());
    EXPECT_EQ(browser.get(authorizePath({client.id, "", "http://127.0.0.1:54321/callback"}, pkce)).status, 200);
    EXPECT_EQ(browser.get(authorizePath({client.id, "", "http://localhost:1111/callback"}, pkce)).status, 400);
    EXPECT_EQ(browser.get(authorizePath({client.id, "", "http://127.0.0.1:1111/other"}, pkce)).status, 400);
}

// RFC 9700 §4.11.2: before the user has acted, a bad request is a page naming the application
// and its redirect URI, never a redirect there (anyone may register any redirect URI).
TEST_F(ProxyFlow, RequestErrorsBeforeConsentArePagesNotRedirects) {
    const auto client = registerClient();
    const auto pkce = newPkce();
    OAuthBrowser browser(host_->port());
    const std::pair<std::map<std::string, std::string>, std::string> cases[] = {
        {{{"code_challenge", "<drop>"}}, "invalid_request"},
        {{{"code_challenge_method", "plain"}}, "invalid_request"},
        {{{"code_challenge_method", "<drop>"}}, "invalid_request"},
        {{{"code_challenge", "short"}}, "invalid_request"},
        {{{"response_type", "token"}}, "unsupported_response_type"},
        {{{"resource", "https://evil.example.com/mcp"}}, "invalid_target"},
        {{{"prompt", "none"}}, "consent_required"},
    };
    for (const auto& [extra, error] : cases) {
        auto r = browser.get(authorizePath(client, pkce, "s-9", extra));
        ASSERT_EQ(r.status, 400) << error << " " << r.body;
        EXPECT_EQ(r.header("location"), "") << error;
        EXPECT_NE(r.body.find(error), std::string::npos) << r.body;
        EXPECT_NE(r.body.find(client.redirectUri), std::string::npos) << r.body;
        EXPECT_NE(r.body.find("Test Client"), std::string::npos) << r.body;
        EXPECT_EQ(r.body.find("name=\"ticket\""), std::string::npos) << "a consent form for " << error;
    }
    // Accepted forms: no resource (the default), a trailing slash, unknown scopes dropped.
    EXPECT_EQ(browser.get(authorizePath(client, pkce, "s", {{"resource", "<drop>"}})).status, 200);
    EXPECT_EQ(browser.get(authorizePath(client, pkce, "s", {{"resource", base() + "/mcp/"}})).status, 200);
    EXPECT_EQ(browser.get(authorizePath(client, pkce, "s", {{"scope", "openid offline_access"}})).status, 200);
    // A parameter sent twice is refused (RFC 6749 §3.1), as a page.
    EXPECT_EQ(browser.get(authorizePath(client, pkce) + "&client_id=" + client.id).status, 400);
}

TEST_F(ProxyFlow, ConsentNeedsTheCsrfTokenTheCookieAndThisSite) {
    const auto client = registerClient();
    const auto pkce = newPkce();
    OAuthBrowser victim(host_->port());
    auto page = victim.get(authorizePath(client, pkce));
    const std::string ticket = hiddenField(page.body, "ticket");
    const std::string csrf = hiddenField(page.body, "csrf_token");

    // Another site posting the form: no CSRF token.
    EXPECT_EQ(victim.postForm("/authorize", {{"ticket", ticket}, {"decision", "approve"}}).status, 403);
    // A foreign Origin.
    EXPECT_EQ(victim.postForm("/authorize", {{"ticket", ticket}, {"csrf_token", csrf}, {"decision", "approve"}},
                              {{"Origin", "https://evil.example.com"}}).status, 403);
    // The attacker's own browser replaying the victim's form: no cookie, or its own cookie.
    OAuthBrowser attacker(host_->port());
    EXPECT_EQ(attacker.postForm("/authorize", {{"ticket", ticket}, {"csrf_token", csrf}, {"decision", "approve"}}).status, 403);
    attacker.get(authorizePath(client, pkce));  // gets a cookie of its own
    EXPECT_EQ(attacker.postForm("/authorize", {{"ticket", ticket}, {"csrf_token", csrf}, {"decision", "approve"}}).status, 403);

    // The real approval still works once, and only once.
    EXPECT_EQ(victim.postForm("/authorize", {{"ticket", ticket}, {"csrf_token", csrf}, {"decision", "approve"}}).status, 302);
    EXPECT_EQ(victim.postForm("/authorize", {{"ticket", ticket}, {"csrf_token", csrf}, {"decision", "approve"}}).status, 400);
}

TEST_F(ProxyFlow, DenyingSendsAccessDeniedToTheClient) {
    const auto client = registerClient();
    OAuthBrowser browser(host_->port());
    auto page = browser.get(authorizePath(client, newPkce(), "st-deny"));
    auto r = browser.postForm("/authorize", {{"ticket", hiddenField(page.body, "ticket")},
                                             {"csrf_token", hiddenField(page.body, "csrf_token")},
                                             {"decision", "deny"}});
    ASSERT_EQ(r.status, 302);
    auto q = queryOf(r.header("location"));
    EXPECT_EQ(q["error"], "access_denied");
    EXPECT_EQ(q["state"], "st-deny");
    EXPECT_EQ(q.count("code"), 0u);
}

TEST_F(ProxyFlow, TheCallbackIsBoundToTheConsentingBrowserAndSingleUse) {
    const auto client = registerClient();
    const auto pkce = newPkce();
    OAuthBrowser victim(host_->port());
    auto up = approve(victim, client, pkce);
    auto q = queryOf(up.header("location"));
    upstream_->prepare("UP-CODE-bound", upstream_->idTokenClaims("mallory", q["nonce"]));

    // A link with the state opened in another browser is refused, and the state is spent.
    OAuthBrowser other(host_->port());
    auto stolen = other.get("/oauth/callback?" + formEncode({{"code", "UP-CODE-bound"}, {"state", q["state"]}}));
    EXPECT_EQ(stolen.status, 403);
    EXPECT_EQ(stolen.header("location"), "");
    auto late = victim.get("/oauth/callback?" + formEncode({{"code", "UP-CODE-bound"}, {"state", q["state"]}}));
    EXPECT_EQ(late.status, 400);

    // Unknown states and consent tickets presented as states are refused.
    EXPECT_EQ(victim.get("/oauth/callback?code=x&state=u.unknown").status, 400);
    auto page = victim.get(authorizePath(client, pkce));
    EXPECT_EQ(victim.get("/oauth/callback?code=x&state=" + hiddenField(page.body, "ticket")).status, 400);
}

TEST_F(ProxyFlow, AnUpstreamRefusalOrABadIdTokenSendsNoCode) {
    const auto client = registerClient();
    const auto pkce = newPkce();
    struct Case {
        const char* what;
        std::function<std::string(const std::string& nonce)> claims;
        std::string error;
    };
    const Case cases[] = {
        {"ID token for another client", [](const std::string& n) { return upstream_->idTokenClaims("eve", n, "other-client"); },
         "access_denied"},
        {"nonce mismatch", [](const std::string&) { return upstream_->idTokenClaims("eve", "wrong-nonce"); }, "access_denied"},
        {"another issuer", [](const std::string& n) { return upstream_->idTokenClaims("eve", n, kUpstreamClient, "https://evil.example.com"); },
         "access_denied"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        OAuthBrowser browser(host_->port());
        auto up = approve(browser, client, pkce);
        auto q = queryOf(up.header("location"));
        const std::string code = std::string("UP-CODE-bad-") + c.what;
        upstream_->prepare(code, c.claims(q["nonce"]));
        auto back = browser.get("/oauth/callback?" + formEncode({{"code", code}, {"state", q["state"]}}));
        ASSERT_EQ(back.status, 302) << back.body;
        auto cq = queryOf(back.header("location"));
        EXPECT_EQ(cq["error"], c.error);
        EXPECT_EQ(cq.count("code"), 0u);
        EXPECT_EQ(cq["state"], "st-1");
    }
    // The upstream says no.
    OAuthBrowser browser(host_->port());
    auto q = queryOf(approve(browser, client, pkce).header("location"));
    auto back = browser.get("/oauth/callback?" + formEncode({{"error", "access_denied"}, {"state", q["state"]}}));
    EXPECT_EQ(queryOf(back.header("location"))["error"], "access_denied");
}

TEST_F(ProxyFlow, ACodeIsRedeemedOnceAndAReplayRevokesWhatItProduced) {
    const auto client = registerClient();
    const auto pkce = newPkce();
    const std::string code = hostCode(client, pkce);
    auto first = redeem(client, code, pkce);
    ASSERT_EQ(first.status, 200);
    const std::string access = parse(first.body)->getValue<std::string>("access_token");
    EXPECT_EQ(callTool(access, "whoami").status, 200);
    auto replay = redeem(client, code, pkce);
    EXPECT_EQ(replay.status, 400);
    EXPECT_EQ(parse(replay.body)->getValue<std::string>("error"), "invalid_grant");
    EXPECT_EQ(refresh(client, parse(first.body)->getValue<std::string>("refresh_token")).status, 400);
    EXPECT_EQ(callTool(access, "whoami").status, 401);
}

TEST_F(ProxyFlow, RevokingEitherTokenEndsTheWholeGrant) {
    const auto client = registerClient();
    const auto pkce = newPkce();
    HttpClient c(host_->port());
    auto revoke = [&](const std::string& token) {
        return c.request("POST", "/revoke", formEncode({{"token", token}, {"client_id", client.id}}),
                         {{"Content-Type", "application/x-www-form-urlencoded"}});
    };
    // The refresh token: the access token issued with it stops working too.
    auto a = parse(redeem(client, hostCode(client, pkce), pkce).body);
    ASSERT_EQ(callTool(a->getValue<std::string>("access_token"), "whoami").status, 200);
    EXPECT_EQ(revoke(a->getValue<std::string>("refresh_token")).status, 200);
    EXPECT_EQ(callTool(a->getValue<std::string>("access_token"), "whoami").status, 401);
    // The access token: its refresh token stops working too.
    auto b = parse(redeem(client, hostCode(client, pkce), pkce).body);
    ASSERT_EQ(callTool(b->getValue<std::string>("access_token"), "whoami").status, 200);
    EXPECT_EQ(revoke(b->getValue<std::string>("access_token")).status, 200);
    EXPECT_EQ(callTool(b->getValue<std::string>("access_token"), "whoami").status, 401);
    EXPECT_EQ(refresh(client, b->getValue<std::string>("refresh_token")).status, 400);
    // Another client cannot revoke this client's access token.
    auto d = parse(redeem(client, hostCode(client, pkce), pkce).body);
    const auto other = registerClient();
    c.request("POST", "/revoke", formEncode({{"token", d->getValue<std::string>("access_token")}, {"client_id", other.id}}),
              {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(callTool(d->getValue<std::string>("access_token"), "whoami").status, 200);
}

TEST_F(ProxyFlow, ConcurrentRedemptionsOfOneCodeHaveExactlyOneWinner) {
    const auto client = registerClient();
    const auto pkce = newPkce();
    const std::string code = hostCode(client, pkce);
    std::atomic<int> ok{0}, refused{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&] {
            auto r = redeem(client, code, pkce);
            (r.status == 200 ? ok : refused)++;
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 1);
    EXPECT_EQ(refused.load(), 7);
}

TEST_F(ProxyFlow, TheTokenEndpointChecksVerifierRedirectAndClient) {
    const auto client = registerClient();
    const auto other = registerClient();
    const auto pkce = newPkce();
    auto expectGrantError = [&](const std::map<std::string, std::string>& changes) {
        const std::string code = hostCode(client, pkce);
        std::map<std::string, std::string> form = {{"grant_type", "authorization_code"}, {"code", code},
                                                   {"redirect_uri", client.redirectUri}, {"code_verifier", pkce.verifier},
                                                   {"client_id", client.id}};
        for (const auto& [k, v] : changes) form[k] = v;
        auto r = token(form);
        EXPECT_EQ(r.status, 400) << r.body;
        EXPECT_EQ(parse(r.body)->getValue<std::string>("error"), "invalid_grant");
    };
    expectGrantError({{"code_verifier", newPkce().verifier}});
    expectGrantError({{"redirect_uri", "http://127.0.0.1:33418/other"}});
    expectGrantError({{"client_id", other.id}});
    // Unknown client, unsupported grant, not a form.
    EXPECT_EQ(token({{"grant_type", "authorization_code"}, {"code", "x"}, {"client_id", "nobody"}}).status, 401);
    EXPECT_EQ(parse(token({{"grant_type", "password"}, {"client_id", client.id}}).body)->getValue<std::string>("error"),
              "unsupported_grant_type");
    HttpClient c(host_->port());
    EXPECT_EQ(c.request("POST", "/token", R"({"grant_type":"authorization_code"})", {{"Content-Type", "application/json"}}).status, 400);
    EXPECT_EQ(c.request("GET", "/token?grant_type=authorization_code").status, 405);
}

TEST_F(ProxyFlow, ConfidentialClientsProveTheirSecretByPostOrBasic) {
    const auto client = registerClient("https://app.example.com/cb", "client_secret_basic");
    ASSERT_FALSE(client.secret.empty());
    const auto pkce = newPkce();
    const std::map<std::string, std::string> base = {{"grant_type", "authorization_code"},
                                                     {"redirect_uri", client.redirectUri},
                                                     {"code_verifier", pkce.verifier}};
    auto withCode = [&](std::map<std::string, std::string> form) {
        form["code"] = hostCode(client, pkce);
        return form;
    };
    // No secret, wrong secret: 401 invalid_client.
    auto form = withCode(base);
    form["client_id"] = client.id;
    EXPECT_EQ(token(form).status, 401);
    form = withCode(base);
    form["client_id"] = client.id;
    form["client_secret"] = "wrong";
    EXPECT_EQ(token(form).status, 401);
    // Basic with the right secret, and Basic plus a matching client_id in the body.
    const std::string basic = "Basic " + base64(authserver::FormUrlEncoded::encode(client.id) + ":" +
                                                         authserver::FormUrlEncoded::encode(client.secret));
    EXPECT_EQ(token(withCode(base), {{"Authorization", basic}}).status, 200);
    form = withCode(base);
    form["client_id"] = client.id;
    EXPECT_EQ(token(form, {{"Authorization", basic}}).status, 200);
    // client_secret_post works for the same client.
    form = withCode(base);
    form["client_id"] = client.id;
    form["client_secret"] = client.secret;
    EXPECT_EQ(token(form).status, 200);
    // Basic naming one client and a body naming another.
    form = withCode(base);
    form["client_id"] = registerClient().id;
    auto mixed = token(form, {{"Authorization", basic}});
    EXPECT_EQ(mixed.status, 401);
    EXPECT_NE(mixed.header("www-authenticate").find("Basic"), std::string::npos);
}

TEST_F(ProxyFlow, TokensCarryOnlyTheConsentedScopes) {
    const auto client = registerClient();
    const auto pkce = newPkce();
    OAuthBrowser browser(host_->port());
    auto page = browser.get(authorizePath(client, pkce, "s", {{"scope", "secrets:read"}}));
    auto up = browser.postForm("/authorize", {{"ticket", hiddenField(page.body, "ticket")},
                                              {"csrf_token", hiddenField(page.body, "csrf_token")},
                                              {"decision", "approve"}});
    auto q = queryOf(up.header("location"));
    upstream_->prepare("UP-CODE-scoped", upstream_->idTokenClaims("bob", q["nonce"]));
    auto back = browser.get("/oauth/callback?" + formEncode({{"code", "UP-CODE-scoped"}, {"state", q["state"]}}));
    auto t = parse(redeem(client, queryOf(back.header("location"))["code"], pkce).body);
    EXPECT_EQ(t->getValue<std::string>("scope"), "secrets:read");
    const std::string access = t->getValue<std::string>("access_token");
    EXPECT_EQ(callTool(access, "scoped_read").status, 200);
    auto admin = callTool(access, "scoped_admin");
    EXPECT_EQ(admin.status, 403);
    EXPECT_NE(admin.header("www-authenticate").find("insufficient_scope"), std::string::npos);
}

TEST_F(ProxyFlow, HostTokensAreRefusedAnywhereElseAndForgeriesAreRefusedHere) {
    // A token signed by the upstream's key (right claims, wrong issuer) is not one of ours.
    const long long now = nowSeconds();
    const std::string forged = authtest::signJwt(
        "RS256", upstream_->key, R"({"alg":"RS256","kid":"up-1","typ":"at+jwt"})",
        R"({"iss":")" + base() + R"(","aud":")" + base() + R"(/mcp","sub":"mallory","client_id":"x","iat":)" +
            std::to_string(now) + R"(,"exp":)" + std::to_string(now + 300) + "}");
    EXPECT_EQ(callTool(forged, "whoami").status, 401);
    EXPECT_EQ(callTool(kUpstreamAccessToken, "whoami").status, 401);
}

TEST_F(ProxyFlow, AClientIdMetadataDocumentClientSignsInWithoutRegistering) {
    // Claude Code's published document (pinned in the host): no /register call at all.
    HttpClient c(host_->port());
    auto as = parse(c.request("GET", "/.well-known/oauth-authorization-server").body);
    EXPECT_TRUE(as->getValue<bool>("client_id_metadata_document_supported"));
    const RegisteredClient claudeCode{"https://claude.ai/oauth/claude-code-client-metadata", "",
                                      "http://localhost:41234/callback"};
    const auto pkce = newPkce();
    OAuthBrowser browser(host_->port());
    auto page = browser.get(authorizePath(claudeCode, pkce, "cimd-state"));
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_NE(page.body.find("published by <strong>claude.ai</strong>"), std::string::npos);
    EXPECT_NE(page.body.find("Any local program can claim to be claude.ai"), std::string::npos);
    auto back = signIn(browser, claudeCode, pkce, "carol", "cimd-state");
    ASSERT_EQ(back.status, 302) << back.body;
    auto q = queryOf(back.header("location"));
    EXPECT_EQ(withoutQuery(back.header("location")), claudeCode.redirectUri);
    auto tokens = redeem(claudeCode, q["code"], pkce);
    ASSERT_EQ(tokens.status, 200) << tokens.body;
    auto who = callTool(parse(tokens.body)->getValue<std::string>("access_token"), "whoami");
    ASSERT_EQ(who.status, 200);
    EXPECT_EQ(who.json()->getObject("result")->getObject("structuredContent")->getValue<std::string>("clientId"),
              claudeCode.id);
    // A redirect URI outside the document, and a document URL on a private address, are refused as pages.
    EXPECT_EQ(browser.get(authorizePath({claudeCode.id, "", "https://evil.example.com/cb"}, pkce)).status, 400);
    EXPECT_EQ(browser.get(authorizePath({"https://127.0.0.1:1/client.json", "", "https://app.example.com/cb"}, pkce)).status,
              400);
}
