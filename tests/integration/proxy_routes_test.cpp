// The authorization server's front door over real HTTP: the routes AuthorizationServer hands the
// host, each served by the host's one shell (AuthRouteHandler) behind a Router, on a Poco
// HTTPServer at 127.0.0.1 port 0, with its SQLite store in a temporary directory (read back by
// the test through a second connection), and the registration bodies real clients send
// (unit/proxy_registration_fixtures.h).
#include <gtest/gtest.h>

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>

#include <chrono>
#include <memory>

#include "http/AuthRouteHandler.h"
#include "http/Router.h"
#include "mcphost/auth/server/AuthServerMetadataDocument.h"
#include "mcphost/auth/server/AuthorizationServer.h"
#include "mcphost/auth/server/Secrets.h"
#include "mcphost/auth/server/SigningKey.h"
#include "support/HttpClient.h"
#include "unit/proxy_registration_fixtures.h"
#include "unit/proxy_test_support.h"

using namespace mcph;
using mcph::testing::HttpClient;

using proxytest::strings;

namespace {

const std::map<std::string, std::string> kJson = {{"Content-Type", "application/json"}};

class ProxyRoutesServer : public ::testing::Test {
protected:
    void SetUp() override {
        auth::server::AuthorizationServerOptions o;
        o.providerName = "local";
        o.storeFile = dir_.file("proxy.db");
        o.mcpScopes = {"mcp:read", "mcp:write"};
        o.registrationsPerMinute = 12;
        server_ = std::make_unique<auth::server::AuthorizationServer>(
            o, auth::server::AuthorizationServerSite{"https://mcp.example.com", "https://mcp.example.com/mcp", {}});
        // A second connection to the same database, to see what the endpoints stored.
        store_ = proxytest::openStore(dir_.file("proxy.db"));
        key_ = std::make_unique<auth::server::SigningKey>(auth::server::SigningKey::loadOrCreate(*store_));

        routes_ = server_->routes();
        auto* router = new http::Router;  // owned by the HTTP server
        for (const auto& route : routes_) {
            router->addPath(route.path, [this, &route] { return new http::AuthRouteHandler(route, clientAddress_); });
        }
        Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
        Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(4);
        params->setKeepAlive(true);
        http_ = std::make_unique<Poco::Net::HTTPServer>(router, threads_, socket, params);
        http_->start();
        port_ = http_->port();
    }

    static std::string expectedMetadata() {
        auth::server::AuthServerMetadataOptions m;
        m.publicUrl = "https://mcp.example.com";
        m.scopesSupported = {"mcp:read", "mcp:write"};
        m.clientIdMetadataDocumentSupported = true;
        return auth::server::AuthServerMetadataDocument::json(m);
    }

    void TearDown() override {
        http_->stopAll(true);
        threads_.joinAll();
        http_.reset();
    }

    proxytest::TempDir dir_;
    const http::ClientAddress clientAddress_{std::vector<config::IpNetwork>{}};  // the peer is the client
    std::unique_ptr<auth::server::SqliteAuthStore> store_;
    std::unique_ptr<auth::server::SigningKey> key_;
    std::unique_ptr<auth::server::AuthorizationServer> server_;
    std::vector<auth::server::AuthRoute> routes_;
    Poco::ThreadPool threads_{2, 8};
    std::unique_ptr<Poco::Net::HTTPServer> http_;
    unsigned short port_ = 0;
};

}  // namespace

TEST_F(ProxyRoutesServer, RealClientBodiesRegisterAndLandInTheStore) {
    HttpClient client(port_);
    for (const auto& f : proxytest::registrationFixtures()) {
        SCOPED_TRACE(f.client);
        const auto r = client.request("POST", "/register", f.body, {{"Content-Type", "application/json; charset=utf-8"}});
        ASSERT_EQ(r.status, 201) << r.body;
        EXPECT_EQ(r.header("cache-control"), "no-store");
        EXPECT_EQ(r.header("access-control-allow-origin"), "*");
        EXPECT_EQ(r.header("content-type"), "application/json");
        const auto doc = r.json();
        EXPECT_EQ(strings(doc, "redirect_uris"), f.redirectUris);
        EXPECT_EQ(doc->getValue<std::string>("token_endpoint_auth_method"), f.expectedAuthMethod);
        EXPECT_EQ(doc->has("client_secret"), std::string(f.expectedAuthMethod) != "none");

        const auto stored = store_->findClient(doc->getValue<std::string>("client_id"));
        ASSERT_TRUE(stored);
        EXPECT_EQ(stored->redirectUris, f.redirectUris);
        if (doc->has("client_secret")) {
            EXPECT_TRUE(auth::server::Secrets::matchesHash(doc->getValue<std::string>("client_secret"), stored->secretHash));
        }
    }
    EXPECT_EQ(store_->clientCount(), proxytest::registrationFixtures().size());
}

TEST_F(ProxyRoutesServer, RefusesWrongMethodTypeAndBody) {
    HttpClient client(port_);
    const auto get = client.request("GET", "/register");
    EXPECT_EQ(get.status, 405);
    EXPECT_EQ(get.header("allow"), "POST, OPTIONS");

    const auto form = client.request("POST", "/register", "redirect_uris=x",
                                     {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(form.status, 415);
    // Same connection: the refused form body must not be read as the next request.
    const auto none = client.request("POST", "/register", R"({"redirect_uris":["http://localhost/cb"]})");
    EXPECT_EQ(none.status, 415);

    const auto junk = client.request("POST", "/register", "{not json", kJson);
    EXPECT_EQ(junk.status, 400);
    EXPECT_EQ(junk.json()->getValue<std::string>("error"), "invalid_client_metadata");
    const auto badUri = client.request("POST", "/register", R"J({"redirect_uris":["javascript:alert(1)"]})J", kJson);
    EXPECT_EQ(badUri.status, 400);
    EXPECT_EQ(badUri.json()->getValue<std::string>("error"), "invalid_redirect_uri");
    EXPECT_EQ(store_->clientCount(), 0u);
}

TEST_F(ProxyRoutesServer, PreflightAllowsBrowserClients) {
    HttpClient client(port_);
    const auto r = client.request("OPTIONS", "/register", "",
                                  {{"Origin", "http://localhost:6274"},
                                   {"Access-Control-Request-Method", "POST"},
                                   {"Access-Control-Request-Headers", "content-type"}});
    EXPECT_EQ(r.status, 204);
    EXPECT_EQ(r.header("access-control-allow-origin"), "*");
    EXPECT_NE(r.header("access-control-allow-methods").find("POST"), std::string::npos);
    EXPECT_NE(r.header("access-control-allow-headers").find("content-type"), std::string::npos);
    EXPECT_NE(r.header("access-control-allow-headers").find("authorization"), std::string::npos);
}

TEST_F(ProxyRoutesServer, RateLimitsRegistrationBursts) {
    HttpClient client(port_);
    const std::string body = R"({"redirect_uris":["http://localhost/cb"]})";
    for (int i = 0; i < 12; ++i) ASSERT_EQ(client.request("POST", "/register", body, kJson).status, 201) << i;
    const auto limited = client.request("POST", "/register", body, kJson);
    EXPECT_EQ(limited.status, 429);
    EXPECT_FALSE(limited.header("retry-after").empty());
    EXPECT_EQ(store_->clientCount(), 12u);
}

TEST_F(ProxyRoutesServer, ServesTheMetadataDocumentAndJwks) {
    HttpClient client(port_);
    const auto meta = client.request("GET", "/.well-known/oauth-authorization-server");
    ASSERT_EQ(meta.status, 200) << meta.body;
    EXPECT_EQ(meta.header("access-control-allow-origin"), "*");
    const auto doc = meta.json();
    EXPECT_EQ(doc->getValue<std::string>("issuer"), "https://mcp.example.com");
    EXPECT_EQ(doc->getValue<std::string>("registration_endpoint"), "https://mcp.example.com/register");
    EXPECT_EQ(doc->getValue<std::string>("jwks_uri"), "https://mcp.example.com/.well-known/jwks.json");
    EXPECT_EQ(strings(doc, "code_challenge_methods_supported"), std::vector<std::string>{"S256"});
    EXPECT_EQ(meta.body, expectedMetadata());

    const auto jwks = client.request("GET", "/.well-known/jwks.json");
    ASSERT_EQ(jwks.status, 200) << jwks.body;
    const auto keys = jwks.json()->getArray("keys");
    ASSERT_TRUE(keys);
    ASSERT_EQ(keys->size(), 1u);
    const auto jwk = keys->getObject(0);
    EXPECT_EQ(jwk->getValue<std::string>("kty"), "EC");
    EXPECT_EQ(jwk->getValue<std::string>("kid"), key_->kid());
    EXPECT_FALSE(jwk->has("d"));  // never the private part

    EXPECT_EQ(client.request("GET", "/.well-known/openid-configuration").status, 404);
    EXPECT_EQ(client.request("GET", "/oauth/callback").status, 404);  // local sign-in: no upstream callback
}
