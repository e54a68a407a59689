// Real clients against the host in native mode (the host is only the protected resource; a local
// authorization server publishes metadata and keys, and the test signs the access tokens that
// server would issue for each client's authorization request). One test per client: its first
// unauthenticated request and the 401 challenge it reads, the PRM at the paths it fetches, the
// audience forms its `resource` parameter produces, an MCP call, a dead token, and step-up.
// Recorded requests and their sources: support/ClientProfiles.h. Rules: docs/client-interop.md.
#include <gtest/gtest.h>

#include <Poco/File.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>

#include <algorithm>
#include <chrono>

#include "support/ClientProfiles.h"
#include "support/HostProcess.h"
#include "support/HttpClient.h"
#include "support/ReplayCases.h"
#include "support/ReplayRequests.h"
#include "support/TestHost.h"
#include "unit/auth_test_support.h"

using namespace mcph::testing;
using namespace mcph::testing::replay;
using authtest::TestHttpServer;
using authtest::TestKey;

namespace {

const char* kInspectorOrigin = "http://localhost:6274";

long long nowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class ClientReplayNative : public ::testing::TestWithParam<std::string> {
protected:
    static void SetUpTestSuite() {
        key_ = new TestKey(TestKey::rsa("as-key-1"));
        as_ = new TestHttpServer;
        const std::string issuer = as_->url();
        as_->serve("/.well-known/oauth-authorization-server", 200,
                   R"({"issuer":")" + issuer + R"(","jwks_uri":")" + as_->url("/jwks") + R"(","authorization_endpoint":")" +
                       issuer + R"(/authorize","token_endpoint":")" + issuer + R"(/token","registration_endpoint":")" +
                       issuer + R"(/register","response_types_supported":["code"],"code_challenge_methods_supported":["S256"],)" +
                       R"("grant_types_supported":["authorization_code","refresh_token"]})");
        as_->serve("/jwks", 200, authtest::jwks({key_->jwk()}));
        plugins_ = new TempDir;
        for (const auto& f : {std::string(MCPH_PLUGINS_DIR) + "/whoami.so", std::string(MCPH_TEST_PLUGINS_DIR) + "/scoped.so"}) {
            Poco::File(f).copyTo(plugins_->path());
        }
        auto config = testConfig(plugins_->path());
        config.mcp.allowedOrigins = {kInspectorOrigin};
        mcph::auth::ResourceServerOptions oidc;
        oidc.issuer = issuer;
        oidc.scopes = {"openid", "email", "profile", "secrets:read", "secrets:admin"};
        config.auth.provider = "oidc";
        config.auth.settings = oidc;
        host_ = new TestHost(config);
    }
    static void TearDownTestSuite() {
        delete host_;
        delete plugins_;
        delete as_;
        delete key_;
    }

    static std::string base() { return "http://127.0.0.1:" + std::to_string(host_->port()); }
    static std::string mcpUrl() { return host_->server().mcpUrl(); }

    static std::map<std::string, std::string> clientHeaders(const ClientProfile& p, std::map<std::string, std::string> h = {}) {
        if (!p.origin.empty()) h["Origin"] = p.origin;
        return h;
    }

    // The access token the authorization server issues for `p`'s request: `aud` is the
    // resource the client sent (RFC 8707), as a string or in an array.
    static std::string accessToken(const ClientProfile& p, const std::string& sub, const std::string& audience,
                                   const std::string& scope, bool audienceArray = false, long long expiresIn = 600) {
        Poco::JSON::Object payload;
        payload.set("iss", as_->url());
        if (audienceArray) {
            Poco::JSON::Array aud;
            aud.add(audience);
            aud.add("https://api.example.com");
            payload.set("aud", aud);
        } else {
            payload.set("aud", audience);
        }
        payload.set("sub", sub);
        payload.set("email", sub + "@example.com");
        payload.set("scope", scope);
        payload.set("client_id", p.cimdClientId.empty() ? "dcr-" + p.name : p.cimdClientId);
        payload.set("iat", nowSeconds());
        payload.set("exp", nowSeconds() + expiresIn);
        return authtest::signJwt("RS256", *key_, R"({"alg":"RS256","typ":"at+jwt","kid":"as-key-1"})",
                                 authtest::toJson(payload));
    }

    static void preflight(const ClientProfile& p, const std::string& path, const std::string& method,
                          const std::string& requestHeaders) {
        if (p.origin.empty()) return;
        HttpClient c(host_->port());
        auto r = c.request("OPTIONS", path, "",
                           {{"Origin", p.origin}, {"Access-Control-Request-Method", method},
                            {"Access-Control-Request-Headers", requestHeaders}});
        EXPECT_TRUE(r.status == 204 || r.status == 200) << "preflight " << path << ": " << r.status;
        const std::string allowOrigin = r.header("access-control-allow-origin");
        EXPECT_TRUE(allowOrigin == p.origin || allowOrigin == "*") << "preflight " << path << ": \"" << allowOrigin << "\"";
        const std::string allowHeaders = Poco::toLower(r.header("access-control-allow-headers"));
        for (const auto& h : splitScopes(Poco::replace(requestHeaders, ",", " "))) {
            EXPECT_NE(allowHeaders.find(h), std::string::npos) << "preflight " << path << " does not allow " << h;
        }
    }

    // initialize + tools/call, as the client; returns the tools/call reply (or the failed initialize).
    static HttpReply callTool(const ClientProfile& p, const std::string& bearer, const std::string& tool) {
        preflight(p, "/mcp", "POST", "authorization,content-type,mcp-protocol-version");
        HttpClient c(host_->port());
        const auto auth = clientHeaders(p, {{"Authorization", "Bearer " + bearer}});
        auto init = c.post(rpcRequest(1, "initialize",
                                      R"({"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"r","version":"1"}})"),
                           "", auth);
        if (init.status != 200) return init;
        const std::string sid = init.header("mcp-session-id");
        c.post(R"({"jsonrpc":"2.0","method":"notifications/initialized"})", sid, auth);
        return c.post(rpcRequest(2, "tools/call", R"({"name":")" + tool + R"("})"), sid, auth);
    }

    static void replay(const ClientProfile& p) {
        SCOPED_TRACE(p.name + " (" + p.sources + ")");
        const std::string prmUrl = base() + "/.well-known/oauth-protected-resource/mcp";

        // 1. The first request carries no token: 401 with the challenge the client reads.
        preflight(p, "/mcp", "POST", "content-type,mcp-protocol-version");
        HttpClient c(host_->port());
        auto first = c.post(rpcRequest(1, "initialize", R"({"protocolVersion":"2025-11-25","capabilities":{}})"), "",
                            clientHeaders(p));
        ASSERT_EQ(first.status, 401) << "Claude ignores a challenge on a 200, Goose reacts only to 401: " << first.body;
        const std::string challenge = first.header("www-authenticate");
        EXPECT_EQ(challenge.rfind("Bearer ", 0), 0u) << challenge;
        EXPECT_EQ(challengeParam(challenge, "resource_metadata"), prmUrl) << challenge;
        EXPECT_EQ(challengeParam(challenge, "error"), "") << "no token sent, so no error: " << challenge;
        const std::string challengeScope = challengeParam(challenge, "scope");
        EXPECT_FALSE(challengeScope.empty()) << "clients request the challenged scope: " << challenge;
        if (!p.origin.empty()) {
            EXPECT_EQ(first.header("access-control-allow-origin"), p.origin);
            EXPECT_NE(Poco::toLower(first.header("access-control-expose-headers")).find("www-authenticate"), std::string::npos)
                << "the browser client cannot read the challenge";
        }

        // 2. The PRM at the paths this client fetches.
        Poco::JSON::Object::Ptr prm;
        for (const auto& f : p.discovery) {
            if (f.path.rfind("/.well-known/oauth-protected-resource", 0) != 0) continue;  // the rest lives at the AS
            SCOPED_TRACE("GET " + f.path);
            preflight(p, f.path, "GET", "mcp-protocol-version");
            auto r = c.request("GET", f.path, "",
                               clientHeaders(p, {{"Accept", "application/json"}, {"MCP-Protocol-Version", "2025-11-25"}}));
            ASSERT_EQ(r.status, 200) << "no auth in front of /.well-known/*: " << r.body;
            if (!p.origin.empty()) {
                EXPECT_FALSE(r.header("access-control-allow-origin").empty());
            }
            prm = parseObject(r.body);
            ASSERT_TRUE(prm) << r.body;
            EXPECT_EQ(prm->optValue<std::string>("resource", ""), mcpUrl()) << "VS Code hard-fails on any mismatch";
            auto servers = stringArray(prm, "authorization_servers");
            ASSERT_EQ(servers.size(), 1u);
            EXPECT_EQ(servers[0], as_->url()) << "byte for byte the issuer";
            const auto scopes = stringArray(prm, "scopes_supported");
            for (const auto& s : splitScopes(challengeScope)) EXPECT_TRUE(contains(scopes, s)) << s;
        }
        // The same document at the root, for clients that fall back to it.
        auto root = c.request("GET", "/.well-known/oauth-protected-resource");
        EXPECT_EQ(root.status, 200);

        // 3. The tokens this client ends up with: each audience form its resource parameter
        // produces at the authorization server, as a string and inside an array.
        const std::string user = "native-" + std::to_string(++counter_);
        std::string scope = challengeScope;
        if (p.scope == ScopeChoice::ChallengePlusOffline) scope += " offline_access";
        if (p.scope == ScopeChoice::Literal) scope = p.literalScope;  // unknown scopes ride along in the token
        for (const auto& suffix : p.audienceSuffixes) {
            for (bool asArray : {false, true}) {
                SCOPED_TRACE("aud " + mcpUrl() + suffix + (asArray ? " (array)" : ""));
                auto call = callTool(p, accessToken(p, user, mcpUrl() + suffix, scope, asArray), "whoami");
                ASSERT_EQ(call.status, 200) << call.header("www-authenticate") << " " << call.body;
                auto who = call.json()->getObject("result")->getObject("structuredContent");
                EXPECT_EQ(who->getValue<std::string>("userId"), user);
            }
        }
        // A token for another resource is refused with invalid_token.
        auto foreign = callTool(p, accessToken(p, user, "https://other.example.com/mcp", scope), "whoami");
        EXPECT_EQ(foreign.status, 401);
        EXPECT_EQ(challengeParam(foreign.header("www-authenticate"), "error"), "invalid_token");

        // 4. An expired token: 401 invalid_token with the metadata pointer, which sends clients to refresh.
        auto expired = callTool(p, accessToken(p, user, mcpUrl(), scope, false, -3600), "whoami");
        EXPECT_EQ(expired.status, 401);
        const std::string expiredChallenge = expired.header("www-authenticate");
        EXPECT_EQ(challengeParam(expiredChallenge, "error"), "invalid_token") << expiredChallenge;
        EXPECT_EQ(challengeParam(expiredChallenge, "resource_metadata"), prmUrl) << expiredChallenge;
        if (!p.origin.empty()) {
            EXPECT_NE(Poco::toLower(expired.header("access-control-expose-headers")).find("www-authenticate"), std::string::npos);
        }

        // 5. Step-up: a token without the tool's scope gets 403 insufficient_scope naming every
        // scope still needed (VS Code replaces its set with it); a token with that set works.
        const std::string narrow = "openid secrets:read";
        auto denied = callTool(p, accessToken(p, user, mcpUrl(), narrow), "scoped_admin");
        ASSERT_EQ(denied.status, 403) << denied.body;
        const std::string stepUp = denied.header("www-authenticate");
        EXPECT_EQ(challengeParam(stepUp, "error"), "insufficient_scope") << stepUp;
        EXPECT_EQ(challengeParam(stepUp, "resource_metadata"), prmUrl) << stepUp;
        const auto needed = splitScopes(challengeParam(stepUp, "scope"));
        for (const char* s : {"openid", "secrets:read", "secrets:admin"}) EXPECT_TRUE(contains(needed, s)) << s << " in " << stepUp;
        if (!p.origin.empty()) {
            EXPECT_NE(Poco::toLower(denied.header("access-control-expose-headers")).find("www-authenticate"), std::string::npos);
        }
        const std::string next = p.stepUpReplacesScopes ? challengeParam(stepUp, "scope") : narrow + " secrets:admin";
        EXPECT_EQ(callTool(p, accessToken(p, user, mcpUrl(), next), "scoped_admin").status, 200);
    }

    static TestKey* key_;
    static TestHttpServer* as_;
    static TempDir* plugins_;
    static TestHost* host_;
    static int counter_;
};

TestKey* ClientReplayNative::key_ = nullptr;
TestHttpServer* ClientReplayNative::as_ = nullptr;
TempDir* ClientReplayNative::plugins_ = nullptr;
TestHost* ClientReplayNative::host_ = nullptr;
int ClientReplayNative::counter_ = 0;

}  // namespace

// Clients/ClientReplayNative.Replay/<client> for each profile of ClientProfiles.h (Claude web on
// both callback hosts: ClaudeWeb_ClaudeAi and ClaudeWeb_ClaudeCom; ChatGPT and
// ChatGPT_LegacyCallback; Cursor, VSCode, ClaudeCode, MCPInspector, McpRemote, Goose, Zed).
TEST_P(ClientReplayNative, Replay) { replay(clientProfile(GetParam())); }

INSTANTIATE_TEST_SUITE_P(Clients, ClientReplayNative, ::testing::ValuesIn(profileNames()), profileTestName);
