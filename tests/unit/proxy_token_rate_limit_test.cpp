// /token is rate limited per client address: far above what real clients send, then 429 with an
// OAuth error that tells a client to retry later (not to throw its tokens away) and Retry-After.
#include <gtest/gtest.h>

#include <memory>

#include "mcphost/auth/server/ClientLookup.h"
#include "mcphost/auth/server/SigningKey.h"
#include "mcphost/auth/server/TokenEndpoint.h"
#include "proxy_test_support.h"

using namespace mcph::auth::server;
using namespace std::chrono_literals;

namespace {

class ProxyTokenRateLimit : public ::testing::Test {
  protected:
    ProxyTokenRateLimit()
        : store_(proxytest::openStore(dir_.file("auth.db"))),
          clients_(*store_),
          issuer_(std::make_shared<SigningKey>(SigningKey::generate()), issuerOptions()),
          endpoint_(*store_, clients_, issuer_, settings(), access_) {}

    TokenIssuerOptions issuerOptions() {
        TokenIssuerOptions o;
        o.issuer = "https://mcp.example.com";
        o.audience = "https://mcp.example.com/mcp";
        o.now = clock();
        return o;
    }
    const AuthorizationServerSettings& settings() {
        settings_.issuer = "https://mcp.example.com";
        settings_.resource = "https://mcp.example.com/mcp";
        settings_.now = clock();
        return settings_;
    }
    mcph::auth::NowFunction clock() {
        return [t = now_] { return *t; };
    }
    // A request that fails the cheapest way (no grant type, no client): only the limit is looked
    // at.
    EndpointResponse request(const std::string& address) {
        EndpointRequest r;
        r.method = "POST";
        r.contentType = "application/x-www-form-urlencoded";
        r.clientAddress = address;
        return endpoint_.handle(r);
    }

    std::shared_ptr<mcph::auth::TimePoint> now_ =
        std::make_shared<mcph::auth::TimePoint>(std::chrono::seconds(1'800'000'000));
    proxytest::TempDir dir_;
    std::unique_ptr<SqliteAuthStore> store_;
    StoreClientLookup clients_;
    AuthorizationServerSettings settings_;
    TokenIssuer issuer_;
    AccessGate access_{AccessPolicy::unrestricted(), {}, nullptr};
    TokenEndpoint endpoint_;
};

}  // namespace

TEST_F(ProxyTokenRateLimit, ABurstPassesThenTheAddressWaits) {
    // Thirty clients behind one address signing in at once, a code and a refresh each: well
    // within the limit.
    for (int i = 0; i < 60; ++i) EXPECT_NE(request("198.51.100.1").status, 429) << i;
    int allowed = 60;
    while (request("198.51.100.1").status != 429 && allowed < 1000) ++allowed;
    EXPECT_EQ(allowed, 120);

    const EndpointResponse refused = request("198.51.100.1");
    EXPECT_EQ(refused.status, 429);
    EXPECT_EQ(refused.header("Retry-After"), "1");
    const auto body = proxytest::obj(refused.body);
    EXPECT_EQ(body->getValue<std::string>("error"), "temporarily_unavailable");
    EXPECT_EQ(refused.header("Cache-Control"), "no-store");

    // Another address is not affected; the first one gets a token back each second.
    EXPECT_NE(request("198.51.100.2").status, 429);
    *now_ += 1s;
    EXPECT_NE(request("198.51.100.1").status, 429);
    EXPECT_EQ(request("198.51.100.1").status, 429);
}
