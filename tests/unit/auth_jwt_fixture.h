#pragma once
// Shared fixture for the JWT and JWKS tests: keys generated once per suite, a JWKS served by a
// real local HTTP server, a manual clock, and builders for headers and claims.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "auth_test_support.h"
#include "mcphost/auth/JwksKeySet.h"
#include "mcphost/auth/JwtVerifier.h"
#include "mcphost/auth/PocoHttpFetcher.h"

namespace authtest {

constexpr const char* kAudience = "https://mcp.example.com/mcp";

struct SuiteKeys {
    TestKey rsa1 = TestKey::rsa("rsa-1");
    TestKey rsa2 = TestKey::rsa("rsa-2");  // published only after "rotation"
    TestKey attacker = TestKey::rsa("attacker");
    TestKey ec256 = TestKey::ec("ec-256", "P-256");
    TestKey ec384 = TestKey::ec("ec-384", "P-384");
};

class JwtFixture : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        if (!keys_) keys_ = new SuiteKeys;  // RSA generation is slow: once per process
    }
    static const SuiteKeys& keys() { return *keys_; }

    void SetUp() override {
        issuer_ = server_.url("/realms/test");
        publish({keys().rsa1.jwk(), keys().ec256.jwk(), keys().ec384.jwk()});
    }

    void publish(const std::vector<std::string>& jwkJsons) {
        server_.serve("/jwks", 200, jwks(jwkJsons));
    }
    int jwksHits() const { return server_.hits("/jwks"); }

    mcph::auth::JwtVerifier& verifier(
        const std::function<void(mcph::auth::JwtVerifierOptions&)>& tweak = {}) {
        if (!verifier_ || tweak) {
            mcph::auth::JwksOptions jo;
            jo.jwksUri = server_.url("/jwks");
            jo.refetchCooldown = std::chrono::seconds(30);
            jo.now = clock_.fn();
            keySet_ = std::make_shared<mcph::auth::JwksKeySet>(
                std::make_shared<mcph::auth::PocoHttpFetcher>(), jo);
            mcph::auth::JwtVerifierOptions o;
            o.issuer = issuer_;
            o.audience = kAudience;
            o.allowedAlgorithms = {"RS256", "ES256"};
            o.now = clock_.fn();
            if (tweak) tweak(o);
            verifier_ = std::make_unique<mcph::auth::JwtVerifier>(keySet_, o);
        }
        return *verifier_;
    }

    Poco::JSON::Object claims() const {
        Poco::JSON::Object c(Poco::JSON_PRESERVE_KEY_ORDER);
        c.set("iss", issuer_);
        c.set("aud", std::string(kAudience));
        c.set("sub", "user-1");
        c.set("exp", clock_.epoch() + 600);
        c.set("iat", clock_.epoch());
        c.set("scope", "mcp:read mcp:write");
        c.set("client_id", "client-9");
        c.set("email", "u1@example.com");
        c.set("jti", std::to_string(++serial_));  // every token distinct, so caching is explicit
        return c;
    }

    static std::string header(const std::string& alg, const std::string& kid,
                              const std::string& extra = "") {
        return "{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\",\"typ\":\"at+jwt\"" +
               (extra.empty() ? "" : "," + extra) + "}";
    }

    std::string token(const std::string& alg, const TestKey& key, const Poco::JSON::Object& c,
                      const std::string& headerExtra = "") const {
        return signJwt(alg, key, header(alg, key.kid, headerExtra), toJson(c));
    }
    std::string token(const std::string& alg = "RS256") const {
        const TestKey& key = alg[0] == 'E' ? keys().ec256 : keys().rsa1;
        return token(alg, key, claims());
    }

    // A rejected token, with an error mentioning `expected`.
    void expectRejected(const std::string& jwt, const std::string& expected) {
        const auto r = verifier().verify(jwt);
        EXPECT_FALSE(r.context) << "accepted a token that should fail with: " << expected;
        EXPECT_NE(r.error.find(expected), std::string::npos) << "error was: " << r.error;
        if (jwt.size() > 20)
            EXPECT_EQ(r.error.find(jwt.substr(0, 20)), std::string::npos)
                << "error echoes the token";
    }
    void expectAccepted(const std::string& jwt) {
        const auto r = verifier().verify(jwt);
        EXPECT_TRUE(r.context) << "rejected: " << r.error;
    }

    static inline SuiteKeys* keys_ = nullptr;
    TestHttpServer server_;
    ManualClock clock_;
    std::string issuer_;
    std::shared_ptr<mcph::auth::JwksKeySet> keySet_;
    std::unique_ptr<mcph::auth::JwtVerifier> verifier_;
    mutable int serial_ = 0;
};

}  // namespace authtest
