// Native DCR mode end to end at the resource server: a local authorization server publishes
// metadata and keys over real HTTP, the test signs access tokens, and the host must let
// exactly the right ones through.
#include <gtest/gtest.h>

#include <Poco/File.h>
#include <Poco/JSON/Parser.h>

#include "support/HostProcess.h"
#include "support/HttpClient.h"
#include "support/TestHost.h"
#include "unit/auth_test_support.h"

using namespace mcph::testing;
using authtest::TestHttpServer;
using authtest::TestKey;

namespace {

long long nowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class NativeAuth : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        keys_ = new Keys;
        idp_ = new TestHttpServer;
        const std::string issuer = idp_->url();
        idp_->serve("/.well-known/oauth-authorization-server", 200,
                    R"({"issuer":")" + issuer + R"(","jwks_uri":")" + idp_->url("/jwks") +
                        R"(","authorization_endpoint":")" + issuer + R"(/authorize","token_endpoint":")" + issuer +
                        R"(/token","registration_endpoint":")" + issuer + R"(/register","response_types_supported":["code"]})");
        idp_->serve("/jwks", 200, authtest::jwks({keys_->signer.jwk()}));

        plugins_ = new TempDir;
        for (const auto& f : {std::string(MCPH_PLUGINS_DIR) + "/whoami.so", std::string(MCPH_PLUGINS_DIR) + "/echo.so",
                              std::string(MCPH_TEST_PLUGINS_DIR) + "/scoped.so"}) {
            Poco::File(f).copyTo(plugins_->path());
        }
        auto config = testConfig(plugins_->path());
        mcph::auth::ResourceServerOptions oidc;
        oidc.issuer = issuer;
        oidc.scopes = {"openid", "email", "profile", "secrets:read"};
        config.auth.provider = "oidc";
        config.auth.settings = oidc;
        host_ = new TestHost(config);
    }
    static void TearDownTestSuite() {
        delete host_;
        delete plugins_;
        delete idp_;
        delete keys_;
    }

    struct Keys {
        TestKey signer = TestKey::rsa("key-1");
        TestKey attacker = TestKey::rsa("key-1");  // same kid, different key
    };

    static std::string mcpUrl() { return host_->server().mcpUrl(); }

    static std::string token(const std::map<std::string, std::string>& overrides = {}, const TestKey* key = nullptr,
                             const std::string& alg = "RS256") {
        Poco::JSON::Object payload;
        payload.set("iss", idp_->url());
        payload.set("aud", mcpUrl());
        payload.set("sub", "user-123");
        payload.set("email", "ada@example.com");
        payload.set("name", "Ada Lovelace");
        payload.set("scope", "openid email secrets:read");
        payload.set("client_id", "client-abc");
        payload.set("iat", nowSeconds());
        payload.set("exp", nowSeconds() + 600);
        for (const auto& [k, v] : overrides) {
            if (v == "<remove>") {
                payload.remove(k);
            } else if (!v.empty() && (std::isdigit(static_cast<unsigned char>(v[0])) || v[0] == '-')) {
                payload.set(k, std::stoll(v));
            } else {
                payload.set(k, v);
            }
        }
        const TestKey& signer = key ? *key : keys_->signer;
        const std::string header = R"({"alg":")" + alg + R"(","typ":"at+jwt","kid":")" + signer.kid + "\"}";
        return authtest::signJwt(alg, signer, header, authtest::toJson(payload));
    }

    static HttpReply initialize(HttpClient& c, const std::string& bearer) {
        std::map<std::string, std::string> headers;
        if (!bearer.empty()) headers["Authorization"] = "Bearer " + bearer;
        return c.post(rpcRequest(1, "initialize", R"({"protocolVersion":"2025-11-25","capabilities":{}})"), "", headers);
    }

    static Keys* keys_;
    static TestHttpServer* idp_;
    static TempDir* plugins_;
    static TestHost* host_;
};
NativeAuth::Keys* NativeAuth::keys_ = nullptr;
TestHttpServer* NativeAuth::idp_ = nullptr;
TempDir* NativeAuth::plugins_ = nullptr;
TestHost* NativeAuth::host_ = nullptr;

Poco::JSON::Object::Ptr parse(const std::string& body) {
    return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

}  // namespace

TEST_F(NativeAuth, PublishesProtectedResourceMetadataAtBothWellKnownPaths) {
    HttpClient c(host_->port());
    for (const char* path : {"/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"}) {
        auto reply = c.request("GET", path);
        ASSERT_EQ(reply.status, 200) << path;
        auto doc = parse(reply.body);
        EXPECT_EQ(doc->getValue<std::string>("resource"), mcpUrl());
        auto servers = doc->getArray("authorization_servers");
        ASSERT_EQ(servers->size(), 1u);
        EXPECT_EQ(servers->getElement<std::string>(0), idp_->url());
        EXPECT_EQ(doc->getArray("scopes_supported")->size(), 4u);
        EXPECT_EQ(doc->getArray("bearer_methods_supported")->getElement<std::string>(0), "header");
    }
}

TEST_F(NativeAuth, NoTokenIsA401ThatPointsAtTheMetadata) {
    HttpClient c(host_->port());
    auto reply = initialize(c, "");
    EXPECT_EQ(reply.status, 401);
    const std::string challenge = reply.header("www-authenticate");
    const std::string prmUrl = "http://127.0.0.1:" + std::to_string(host_->port()) + "/.well-known/oauth-protected-resource/mcp";
    EXPECT_EQ(challenge.rfind("Bearer ", 0), 0u) << challenge;
    EXPECT_NE(challenge.find("resource_metadata=\"" + prmUrl + "\""), std::string::npos) << challenge;
    EXPECT_NE(challenge.find("scope=\"openid email profile secrets:read\""), std::string::npos) << challenge;
    EXPECT_EQ(challenge.find("invalid_token"), std::string::npos);
    // A token in the query string is not a credential (RFC 6750 §2.3 is not supported).
    EXPECT_EQ(c.request("POST", "/mcp?access_token=" + token(), "{}", {{"Content-Type", "application/json"}}).status, 401);
}

TEST_F(NativeAuth, AValidTokenReachesTheToolAsTheSignedInUser) {
    HttpClient c(host_->port());
    const std::string bearer = token();
    auto init = initialize(c, bearer);
    ASSERT_EQ(init.status, 200) << init.body;
    const std::string sid = init.header("mcp-session-id");
    auto who = c.post(rpcRequest(2, "tools/call", R"({"name":"whoami"})"), sid, {{"Authorization", "Bearer " + bearer}})
                   .json()->getObject("result")->getObject("structuredContent");
    EXPECT_TRUE(who->getValue<bool>("authenticated"));
    EXPECT_EQ(who->getValue<std::string>("userId"), "user-123");
    EXPECT_EQ(who->getValue<std::string>("email"), "ada@example.com");
    EXPECT_EQ(who->getValue<std::string>("name"), "Ada Lovelace");
    EXPECT_EQ(who->getValue<std::string>("issuer"), idp_->url());
    EXPECT_EQ(who->getValue<std::string>("clientId"), "client-abc");
    EXPECT_EQ(who->getArray("scopes")->size(), 3u);
}

TEST_F(NativeAuth, EveryBadTokenIsRefusedWithInvalidTokenAndTheHostKeepsServing) {
    const std::pair<const char*, std::string> bad[] = {
        {"expired", token({{"exp", std::to_string(nowSeconds() - 3600)}})},
        {"not yet valid", token({{"nbf", std::to_string(nowSeconds() + 3600)}})},
        {"no exp", token({{"exp", "<remove>"}})},
        {"other audience", token({{"aud", "http://127.0.0.1:1/other"}})},
        {"other issuer", token({{"iss", "http://127.0.0.1:1"}})},
        {"same kid, attacker's key", token({}, &keys_->attacker)},
        {"alg none", authtest::b64url(R"({"alg":"none","kid":"key-1"})") + "." + authtest::b64url(R"({"sub":"x"})") + "."},
        {"HS256 with the public key as secret", authtest::hs256Jwt(keys_->signer.jwk(), R"({"alg":"HS256","kid":"key-1"})", R"({"sub":"x"})")},
        {"garbage", "not-a-jwt"},
        {"large", std::string(7000, 'a') + "." + std::string(10, 'b') + "." + std::string(10, 'c')},
    };
    HttpClient c(host_->port());
    for (const auto& [what, bearer] : bad) {
        auto reply = initialize(c, bearer);
        EXPECT_EQ(reply.status, 401) << what;
        EXPECT_NE(reply.header("www-authenticate").find("error=\"invalid_token\""), std::string::npos)
            << what << ": " << reply.header("www-authenticate");
        EXPECT_NE(reply.header("www-authenticate").find("resource_metadata="), std::string::npos) << what;
        EXPECT_EQ(reply.body.find(bearer.substr(0, 40)), std::string::npos) << what << ": the token must not be echoed";
    }
    // Past 8 KiB the HTTP layer refuses the header itself, before anything parses the token.
    HttpClient huge(host_->port());
    EXPECT_EQ(initialize(huge, std::string(20000, 'a')).status, 400);
    EXPECT_EQ(initialize(c, token()).status, 200);
    EXPECT_EQ(initialize(c, "").status, 401);
    EXPECT_EQ(c.request("GET", "/mcp", "", {{"Authorization", "Basic dXNlcjpwYXNz"}}).status, 401);
}

TEST_F(NativeAuth, ASessionBelongsToTheUserWhoOpenedIt) {
    HttpClient c(host_->port());
    auto init = initialize(c, token());
    const std::string sid = init.header("mcp-session-id");
    const std::string mallory = token({{"sub", "mallory"}});
    EXPECT_EQ(c.post(rpcRequest(2, "ping"), sid, {{"Authorization", "Bearer " + mallory}}).status, 404);
    EXPECT_EQ(c.post(rpcRequest(3, "ping"), sid, {{"Authorization", "Bearer " + token()}}).status, 200);
    EXPECT_EQ(c.post(rpcRequest(4, "ping"), sid).status, 401);  // and no token is still no token
}

TEST_F(NativeAuth, ToolsNeedingMoreScopesAreHiddenAndStepUpIsA403) {
    HttpClient c(host_->port());
    const std::string bearer = token();  // holds secrets:read, not secrets:admin
    const std::string sid = initialize(c, bearer).header("mcp-session-id");
    const std::map<std::string, std::string> auth = {{"Authorization", "Bearer " + bearer}};

    auto tools = c.post(rpcRequest(2, "tools/list"), sid, auth).json()->getObject("result")->getArray("tools");
    std::set<std::string> names;
    for (std::size_t i = 0; i < tools->size(); ++i) names.insert(tools->getObject(i)->getValue<std::string>("name"));
    EXPECT_TRUE(names.count("scoped_read"));
    EXPECT_FALSE(names.count("scoped_admin"));

    auto ok = c.post(rpcRequest(3, "tools/call", R"({"name":"scoped_read"})"), sid, auth).json();
    EXPECT_EQ(ok->getObject("result")->getArray("content")->getObject(0)->getValue<std::string>("text"), "the secret");

    auto denied = c.post(rpcRequest(4, "tools/call", R"({"name":"scoped_admin"})"), sid, auth);
    EXPECT_EQ(denied.status, 403);
    const std::string challenge = denied.header("www-authenticate");
    EXPECT_NE(challenge.find("error=\"insufficient_scope\""), std::string::npos) << challenge;
    // Everything the client needs from now on: the scopes it holds and the ones the tool adds.
    EXPECT_NE(challenge.find("scope=\"openid email secrets:read secrets:admin\""), std::string::npos) << challenge;
    EXPECT_NE(challenge.find("resource_metadata="), std::string::npos) << challenge;

    const std::string admin = token({{"scope", "secrets:read secrets:admin"}});
    auto allowed = c.post(rpcRequest(5, "tools/call", R"({"name":"scoped_admin"})"), initialize(c, admin).header("mcp-session-id"),
                          {{"Authorization", "Bearer " + admin}});
    EXPECT_EQ(allowed.status, 200);
}

// It takes the authorization server down, so it runs in a suite of its own: the inherited
// SetUpTestSuite gives it its own authorization server and host, and the NativeAuth tests keep
// theirs whatever the order (--gtest_shuffle).
class NativeAuthKeyServerDown : public NativeAuth {};

TEST_F(NativeAuthKeyServerDown, TokensWithCachedKeysStillVerifyWhileTheKeyServerIsDown) {
    HttpClient c(host_->port());
    ASSERT_EQ(initialize(c, token()).status, 200);  // keys are cached now
    idp_->stop();
    EXPECT_EQ(initialize(c, token({{"sub", "someone-new"}})).status, 200);
    EXPECT_EQ(initialize(c, token({}, &keys_->attacker)).status, 401);
}

TEST(NativeAuthStartup, AnUnreachableIssuerStopsTheHostFromStartingUnprotected) {
    TempDir dir;
    auto config = testConfig(MCPH_PLUGINS_DIR);
    mcph::auth::ResourceServerOptions oidc;
    oidc.issuer = "http://127.0.0.1:1";  // nothing listens on port 1
    config.auth.provider = "oidc";
    config.auth.settings = oidc;
    EXPECT_THROW(TestHost host(config), std::runtime_error);
}
