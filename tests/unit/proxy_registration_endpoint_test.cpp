// RegistrationEndpoint: /register as pure logic over a real SQLite store. Every reconstructed
// client body registers with the right echo; bad bodies get RFC 7591 errors; the per-address
// rate limit and the store bound answer 429 / 503; secrets are issued only when asked for and
// stored only as hashes.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <set>

#include <Poco/JSON/Parser.h>

#include "mcphost/auth/server/RegistrationEndpoint.h"
#include "mcphost/auth/server/Secrets.h"
#include "proxy_registration_fixtures.h"
#include "proxy_test_support.h"

using namespace mcph::auth::server;
using namespace std::chrono_literals;

using proxytest::obj;
using proxytest::strings;

namespace {

struct ManualClock {
    std::shared_ptr<mcph::auth::TimePoint> t =
        std::make_shared<mcph::auth::TimePoint>(std::chrono::seconds(1'800'000'000));
    mcph::auth::NowFunction fn() const {
        return [t = t] { return *t; };
    }
};

class ProxyRegistrationEndpoint : public ::testing::Test {
protected:
    void SetUp() override { open(); }

    void open(std::size_t maxClients = 10000, double burst = 1000) {
        endpoint_.reset();
        store_.reset();
        SqliteAuthStoreOptions o;
        o.path = dir_.file("proxy.db");
        o.maxClients = maxClients;
        store_ = std::make_unique<SqliteAuthStore>(o);
        RegistrationEndpointOptions eo;
        eo.now = clock_.fn();
        eo.rateLimit.burst = burst;
        eo.rateLimit.perWindow = burst;
        eo.rateLimit.window = 60s;
        eo.rateLimit.now = clock_.fn();
        endpoint_ = std::make_unique<RegistrationEndpoint>(
            *store_, RedirectUriPolicy({"https://mcp.example.com/oauth/callback"}), eo);
    }

    EndpointResponse post(const std::string& body, const std::string& address = "192.0.2.1") {
        return endpoint_->handle(body, address);
    }

    proxytest::TempDir dir_;
    ManualClock clock_;
    std::unique_ptr<SqliteAuthStore> store_;
    std::unique_ptr<RegistrationEndpoint> endpoint_;
};

void expectNoNulls(const Poco::JSON::Object::Ptr& doc) {
    for (const auto& [name, value] : *doc) EXPECT_FALSE(value.isEmpty()) << name << " is null";
}

}  // namespace

TEST_F(ProxyRegistrationEndpoint, EveryRealClientBodyRegisters) {
    std::set<std::string> ids;
    for (const auto& f : proxytest::registrationFixtures()) {
        SCOPED_TRACE(f.client);
        const auto r = post(f.body);
        ASSERT_EQ(r.status, 201) << r.body;
        EXPECT_EQ(r.header("cache-control"), "no-store");
        const auto doc = obj(r.body);
        expectNoNulls(doc);

        const auto id = doc->getValue<std::string>("client_id");
        EXPECT_GE(id.size(), 20u);
        EXPECT_TRUE(ids.insert(id).second) << "duplicate client id";
        EXPECT_EQ(strings(doc, "redirect_uris"), f.redirectUris);
        EXPECT_EQ(doc->getValue<std::string>("token_endpoint_auth_method"), f.expectedAuthMethod);
        EXPECT_EQ(doc->getValue<long long>("client_id_issued_at"), 1'800'000'000);
        EXPECT_EQ(strings(doc, "response_types"), std::vector<std::string>{"code"});
        EXPECT_EQ(strings(doc, "grant_types"), (std::vector<std::string>{"authorization_code", "refresh_token"}));

        const bool confidential = std::string(f.expectedAuthMethod) != "none";
        EXPECT_EQ(doc->has("client_secret"), confidential);
        EXPECT_EQ(doc->has("client_secret_expires_at"), confidential);
        if (confidential) EXPECT_EQ(doc->getValue<long long>("client_secret_expires_at"), 0);

        const auto stored = store_->findClient(id);
        ASSERT_TRUE(stored);
        EXPECT_EQ(stored->redirectUris, f.redirectUris);
        EXPECT_EQ(stored->authMethod, f.expectedAuthMethod);
        EXPECT_EQ(stored->createdAt, *clock_.t);
        EXPECT_FALSE(stored->hasToken);
    }
    EXPECT_EQ(store_->clientCount(), proxytest::registrationFixtures().size());
}

TEST_F(ProxyRegistrationEndpoint, SecretOnlyWhenAskedAndStoredOnlyAsAHash) {
    const auto pub = post(R"({"redirect_uris":["http://localhost:8000/cb"]})");
    ASSERT_EQ(pub.status, 201) << pub.body;
    const auto pubDoc = obj(pub.body);
    EXPECT_FALSE(pubDoc->has("client_secret"));
    EXPECT_EQ(pubDoc->getValue<std::string>("token_endpoint_auth_method"), "none");
    EXPECT_EQ(store_->findClient(pubDoc->getValue<std::string>("client_id"))->secretHash, "");

    for (const char* method : {"client_secret_post", "client_secret_basic"}) {
        SCOPED_TRACE(method);
        const auto r = post(std::string(R"({"redirect_uris":["http://localhost:8000/cb"],"token_endpoint_auth_method":")") +
                            method + "\"}");
        ASSERT_EQ(r.status, 201) << r.body;
        const auto doc = obj(r.body);
        const auto secret = doc->getValue<std::string>("client_secret");
        EXPECT_GE(secret.size(), 40u);
        const auto stored = store_->findClient(doc->getValue<std::string>("client_id"));
        ASSERT_TRUE(stored);
        EXPECT_EQ(stored->authMethod, method);
        EXPECT_NE(stored->secretHash, secret);
        EXPECT_EQ(stored->secretHash, Secrets::sha256Hex(secret));
        EXPECT_TRUE(Secrets::matchesHash(secret, stored->secretHash));
    }

    // A method we do not support is downgraded to none: no secret, and the response says so.
    const auto jwt = post(R"({"redirect_uris":["http://localhost:8000/cb"],"token_endpoint_auth_method":"private_key_jwt"})");
    ASSERT_EQ(jwt.status, 201) << jwt.body;
    EXPECT_FALSE(obj(jwt.body)->has("client_secret"));
    EXPECT_EQ(obj(jwt.body)->getValue<std::string>("token_endpoint_auth_method"), "none");
}

TEST_F(ProxyRegistrationEndpoint, OddRedirectUrisAreDroppedAndTheRestEchoed) {
    const auto r = post(R"J({"redirect_uris":["javascript:alert(1)","http://localhost:9/cb","http://evil.example/cb",
                           "https://mcp.example.com/oauth/callback"]})J");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(strings(obj(r.body), "redirect_uris"), std::vector<std::string>{"http://localhost:9/cb"});
}

TEST_F(ProxyRegistrationEndpoint, BadBodiesAreRfc7591Errors) {
    struct Case {
        const char* body;
        const char* error;
    };
    const Case cases[] = {
        {"", "invalid_client_metadata"},
        {"not json", "invalid_client_metadata"},
        {"[1,2]", "invalid_client_metadata"},
        {"{}", "invalid_redirect_uri"},
        {R"({"redirect_uris":[]})", "invalid_redirect_uri"},
        {R"({"redirect_uris":42})", "invalid_redirect_uri"},
        {R"J({"redirect_uris":["javascript:alert(1)"]})J", "invalid_redirect_uri"},
        {R"({"redirect_uris":["http://evil.example/cb","file:///etc/passwd"]})", "invalid_redirect_uri"},
        {R"({"redirect_uris":["https://mcp.example.com/oauth/callback"]})", "invalid_redirect_uri"},
        {R"({"redirect_uris":["https://a.example/cb#frag"]})", "invalid_redirect_uri"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.body);
        const auto r = post(c.body);
        EXPECT_EQ(r.status, 400) << r.body;
        EXPECT_EQ(r.header("Cache-Control"), "no-store");
        const auto doc = obj(r.body);
        EXPECT_EQ(doc->getValue<std::string>("error"), c.error);
        EXPECT_FALSE(doc->getValue<std::string>("error_description").empty());
    }
    EXPECT_EQ(store_->clientCount(), 0u);
}

TEST_F(ProxyRegistrationEndpoint, OversizedBodiesAreRefusedUnparsed) {
    std::string big = R"({"redirect_uris":["http://localhost/cb"],"client_uri":")" +
                      std::string(RegistrationRequest::kMaxBodyBytes, 'a') + "\"}";
    const auto r = post(big);
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(obj(r.body)->getValue<std::string>("error"), "invalid_client_metadata");
    EXPECT_EQ(endpoint_->tooLarge().status, 413);
    EXPECT_EQ(store_->clientCount(), 0u);
}

TEST_F(ProxyRegistrationEndpoint, RateLimitedPerAddressWithRetryAfter) {
    open(10000, /*burst=*/3);
    const std::string body = R"({"redirect_uris":["http://localhost/cb"]})";
    for (int i = 0; i < 3; ++i) EXPECT_EQ(post(body, "198.51.100.7").status, 201);
    const auto limited = post(body, "198.51.100.7");
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(limited.header("cache-control"), "no-store");
    const auto retry = std::stoll(limited.header("Retry-After"));
    EXPECT_GE(retry, 1);
    EXPECT_LE(retry, 20);
    // Bad bodies count too: the limit comes before parsing.
    EXPECT_EQ(post("junk", "198.51.100.7").status, 429);
    // Another address is unaffected.
    EXPECT_EQ(post(body, "198.51.100.8").status, 201);
    // Refilled after the wait.
    *clock_.t += std::chrono::seconds(retry);
    EXPECT_EQ(post(body, "198.51.100.7").status, 201);
    EXPECT_EQ(store_->clientCount(), 5u);
}

TEST_F(ProxyRegistrationEndpoint, AFullStoreIsServiceUnavailable) {
    open(/*maxClients=*/2);
    const std::string body = R"({"redirect_uris":["http://localhost/cb"],"token_endpoint_auth_method":"client_secret_post"})";
    EXPECT_EQ(post(body).status, 201);
    EXPECT_EQ(post(body).status, 201);
    const auto full = post(body);
    EXPECT_EQ(full.status, 503) << full.body;
    EXPECT_FALSE(full.header("Retry-After").empty());
    const auto doc = obj(full.body);
    EXPECT_EQ(doc->getValue<std::string>("error"), "temporarily_unavailable");
    EXPECT_FALSE(doc->has("client_secret"));
    EXPECT_EQ(store_->clientCount(), 2u);
}
