// Each native-DCR preset, configured as an operator writes it, against a local authorization
// server that publishes its metadata where that kind of server does.
#include <gtest/gtest.h>

#include "config/ConfigLoader.h"
#include "support/HostProcess.h"
#include "support/HttpClient.h"
#include "support/TestHost.h"
#include "unit/auth_test_support.h"

using namespace mcph::testing;
using authtest::TestHttpServer;
using authtest::TestKey;

namespace {

struct Preset {
    const char* name;
    std::string (*authJson)(const TestHttpServer& idp);  // the auth section
    std::string (*issuer)(const TestHttpServer& idp);
    std::string (*metadataPath)(const std::string& issuerPath);
};

std::string signedToken(const TestKey& key, const std::string& issuer, const std::string& audience) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    Poco::JSON::Object payload;
    payload.set("iss", issuer);
    payload.set("aud", audience);
    payload.set("sub", "preset-user");
    payload.set("email", "p@example.com");
    payload.set("exp", now + 300);
    payload.set("iat", now);
    return authtest::signJwt("RS256", key, R"({"alg":"RS256","kid":")" + key.kid + "\"}", authtest::toJson(payload));
}

void runPreset(const Preset& preset) {
    SCOPED_TRACE(preset.name);
    TestKey key = TestKey::rsa("preset-key");
    TestHttpServer idp;
    const std::string issuer = preset.issuer(idp);
    const std::string issuerPath = issuer.substr(idp.url().size());
    idp.serve(preset.metadataPath(issuerPath), 200,
              R"({"issuer":")" + issuer + R"(","jwks_uri":")" + idp.url("/keys") + R"(","response_types_supported":["code"]})");
    idp.serve("/keys", 200, authtest::jwks({key.jwk()}));

    auto loaded = mcph::config::loadConfigText(
        R"({"server":{"port":0},"plugins":{"dir":")" + std::string(MCPH_PLUGINS_DIR) + R"("},"auth":)" + preset.authJson(idp) + "}",
        "preset.json", "/");
    ASSERT_TRUE(loaded.ok()) << loaded.errors.front();
    TestHost host(loaded.config);

    HttpClient c(host.port());
    auto prm = c.request("GET", "/.well-known/oauth-protected-resource/mcp");
    EXPECT_NE(prm.body.find("\"authorization_servers\":[\"" + issuer + "\"]"), std::string::npos) << prm.body;
    EXPECT_EQ(c.post(rpcRequest(1, "initialize", R"({"protocolVersion":"2025-11-25","capabilities":{}})")).status, 401);

    const std::string bearer = signedToken(key, issuer, host.server().mcpUrl());
    auto init = c.post(rpcRequest(1, "initialize", R"({"protocolVersion":"2025-11-25","capabilities":{}})"), "",
                       {{"Authorization", "Bearer " + bearer}});
    ASSERT_EQ(init.status, 200) << init.body;
    auto who = c.post(rpcRequest(2, "tools/call", R"({"name":"whoami"})"), init.header("mcp-session-id"),
                      {{"Authorization", "Bearer " + bearer}});
    EXPECT_NE(who.body.find("preset-user"), std::string::npos) << who.body;
}

}  // namespace

TEST(AuthPresets, KeycloakDerivesRealmIssuerAndFindsItsPathAppendedDiscovery) {
    runPreset({"keycloak",
               [](const TestHttpServer& idp) {
                   return R"({"provider":"keycloak","url":")" + idp.url() + R"(","realm":"mcp","allowInsecureHttp":true})";
               },
               [](const TestHttpServer& idp) { return idp.url("/realms/mcp"); },
               // Keycloak serves OIDC discovery appended to the issuer path.
               [](const std::string& path) { return path + "/.well-known/openid-configuration"; }});
}

TEST(AuthPresets, WorkosWithItsIssuerOverridden) {
    runPreset({"workos",
               [](const TestHttpServer& idp) {
                   return R"({"provider":"workos","subdomain":"acme","issuer":")" + idp.url() + R"(","allowInsecureHttp":true})";
               },
               [](const TestHttpServer& idp) { return idp.url(); },
               [](const std::string&) { return std::string("/.well-known/oauth-authorization-server"); }});
}

TEST(AuthPresets, SupabaseWithItsIssuerOverridden) {
    runPreset({"supabase",
               [](const TestHttpServer& idp) {
                   return R"({"provider":"supabase","projectRef":"abcd","issuer":")" + idp.url("/auth/v1") +
                          R"(","allowInsecureHttp":true})";
               },
               [](const TestHttpServer& idp) { return idp.url("/auth/v1"); },
               // RFC 8414 path insertion for an issuer with a path.
               [](const std::string& path) { return "/.well-known/oauth-authorization-server" + path; }});
}

TEST(AuthPresets, OidcWithAnExplicitJwksUrlNeedsNoMetadata) {
    runPreset({"oidc",
               [](const TestHttpServer& idp) {
                   return R"({"provider":"oidc","issuer":")" + idp.url() + R"(","jwksUrl":")" + idp.url("/keys") +
                          R"(","allowInsecureHttp":true})";
               },
               [](const TestHttpServer& idp) { return idp.url(); },
               [](const std::string&) { return std::string("/unused-metadata"); }});
}

TEST(AuthPresets, OpaqueTokensAreCheckedByIntrospection) {
    TestHttpServer idp;
    const std::string issuer = idp.url();
    idp.serve("/.well-known/oauth-authorization-server", 200,
              R"({"issuer":")" + issuer + R"(","introspection_endpoint":")" + idp.url("/introspect") + R"("})");
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    std::string audience;  // the MCP URL of the host under test, set once it listens
    idp.route("/introspect", [&](const TestHttpServer::Request& r) {
        TestHttpServer::Reply reply;
        // Only our resource server, authenticated, may introspect.
        auto auth = r.headers.count("Authorization") ? r.headers.at("Authorization") : std::string();
        if (auth != "Basic " + std::string("cnM6cy1zZWNyZXQ=")) return TestHttpServer::Reply{401, R"({"error":"invalid_client"})"};
        if (r.body.find("token=opaque-good") != std::string::npos) {
            reply.body = R"({"active":true,"sub":"opaque-user","iss":")" + issuer + R"(","aud":")" + audience +
                         R"(","scope":"openid email","exp":)" + std::to_string(now + 300) +
                         R"(,"client_id":"c1","email":"o@example.com"})";
        } else if (r.body.find("token=opaque-no-aud") != std::string::npos) {
            // Active, ours in every way but naming no audience: it may be meant for any resource.
            reply.body = R"({"active":true,"sub":"no-aud-user","iss":")" + issuer + R"(","scope":"openid email","exp":)" +
                         std::to_string(now + 300) + R"(,"client_id":"c1"})";
        } else {
            reply.body = R"({"active":false})";
        }
        return reply;
    });
    auto loaded = mcph::config::loadConfigText(
        R"({"server":{"port":0},"plugins":{"dir":")" + std::string(MCPH_PLUGINS_DIR) + R"("},"auth":{"provider":"oidc","issuer":")" +
            issuer + R"(","allowInsecureHttp":true,"tokenFormat":"opaque","introspection":{"clientId":"rs","clientSecret":"s-secret"}}})",
        "opaque.json", "/");
    ASSERT_TRUE(loaded.ok()) << loaded.errors.front();
    TestHost host(loaded.config);
    audience = host.server().mcpUrl();
    HttpClient c(host.port());
    const std::string init = rpcRequest(1, "initialize", R"({"protocolVersion":"2025-11-25","capabilities":{}})");
    EXPECT_EQ(c.post(init, "", {{"Authorization", "Bearer opaque-bad"}}).status, 401);
    auto noAud = c.post(init, "", {{"Authorization", "Bearer opaque-no-aud"}});
    EXPECT_EQ(noAud.status, 401) << "an active token without aud is refused by default";
    EXPECT_NE(noAud.header("www-authenticate").find(R"(error="invalid_token")"), std::string::npos)
        << noAud.header("www-authenticate");
    auto ok = c.post(init, "", {{"Authorization", "Bearer opaque-good"}});
    ASSERT_EQ(ok.status, 200) << ok.body;
    auto who = c.post(rpcRequest(2, "tools/call", R"({"name":"whoami"})"), ok.header("mcp-session-id"),
                      {{"Authorization", "Bearer opaque-good"}});
    EXPECT_NE(who.body.find("opaque-user"), std::string::npos) << who.body;
    EXPECT_NE(who.body.find("o@example.com"), std::string::npos) << who.body;

    // The operator's explicit, loudly named way out for servers that never send aud.
    auto lax = mcph::config::loadConfigText(
        R"({"server":{"port":0},"plugins":{"dir":")" + std::string(MCPH_PLUGINS_DIR) + R"("},"auth":{"provider":"oidc","issuer":")" +
            issuer + R"(","allowInsecureHttp":true,"tokenFormat":"opaque","introspection":{"clientId":"rs","clientSecret":"s-secret",)" +
            R"("dangerouslyAllowMissingAudience":true}}})",
        "opaque-lax.json", "/");
    ASSERT_TRUE(lax.ok()) << lax.errors.front();
    ASSERT_EQ(lax.warnings.size(), 1u);
    EXPECT_NE(lax.warnings[0].find("dangerouslyAllowMissingAudience"), std::string::npos) << lax.warnings[0];
    TestHost laxHost(lax.config);
    HttpClient l(laxHost.port());
    EXPECT_EQ(l.post(init, "", {{"Authorization", "Bearer opaque-no-aud"}}).status, 200);
    EXPECT_EQ(l.post(init, "", {{"Authorization", "Bearer opaque-good"}}).status, 401)
        << "a present aud is still checked: this one names the other host";
}
