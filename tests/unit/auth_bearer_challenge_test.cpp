// RFC 6750 §3.1: every 401 answering a request that carried a token says error="invalid_token",
// whatever was wrong with it; a request without a token gets the challenge without an error.
// The real verifiers stand behind the BearerAuthenticator here, one case per kind of failure.
#include <gtest/gtest.h>

#include "auth_jwt_fixture.h"
#include "mcphost/auth/BearerAuthenticator.h"
#include "mcphost/auth/IntrospectionVerifier.h"
#include "mcphost/auth/server/GrantCheckingVerifier.h"
#include "proxy_test_support.h"

using namespace authtest;
using mcph::auth::AuthDecision;
using mcph::auth::BearerAuthenticator;
using mcph::auth::TokenVerifier;
using mcph::auth::VerifyResult;

namespace {

constexpr const char* kPrm = "https://mcp.example.com/.well-known/oauth-protected-resource/mcp";
constexpr const char* kInvalidToken = "error=\"invalid_token\"";

// Lends a verifier the fixture owns to an authenticator (which wants shared ownership).
class Borrowed : public TokenVerifier {
  public:
    explicit Borrowed(TokenVerifier& inner) : inner_(inner) {}
    VerifyResult verify(const std::string& token) override { return inner_.verify(token); }

  private:
    TokenVerifier& inner_;
};

class BearerChallengeTest : public JwtFixture {
  protected:
    void SetUp() override {
        JwtFixture::SetUp();
        server_.route("/introspect", [](const TestHttpServer::Request& r) {
            if (r.body.find("token=opaque-no-aud") != std::string::npos)
                return TestHttpServer::Reply{200, R"({"active":true,"sub":"u-1"})"};
            return TestHttpServer::Reply{200, R"({"active":false})"};
        });
    }

    AuthDecision check(TokenVerifier& verifier, const std::string& authorization) {
        BearerAuthenticator auth(std::make_shared<Borrowed>(verifier), kPrm, {"mcp:read"});
        return auth.authenticate(authorization);
    }

    // A 401 whose challenge says invalid_token and, in its description, what was wrong.
    void expectInvalidToken(TokenVerifier& verifier, const std::string& authorization,
                            const std::string& why) {
        SCOPED_TRACE(why);
        const AuthDecision d = check(verifier, authorization);
        EXPECT_FALSE(d.context);
        EXPECT_EQ(d.httpStatus, 401);
        EXPECT_NE(d.wwwAuthenticate.find(kInvalidToken), std::string::npos) << d.wwwAuthenticate;
        EXPECT_EQ(d.wwwAuthenticate.rfind("Bearer resource_metadata=\"", 0), 0u) << d.wwwAuthenticate;
        EXPECT_NE(d.wwwAuthenticate.find(why), std::string::npos) << d.wwwAuthenticate;
        const std::string token = authorization.substr(authorization.find(' ') + 1);
        if (token.size() > 12)
            EXPECT_EQ(d.wwwAuthenticate.find(token.substr(0, 12)), std::string::npos) << "token echoed";
    }

    std::string jwtWith(const std::function<void(Poco::JSON::Object&)>& change) {
        Poco::JSON::Object c = claims();
        change(c);
        return token("RS256", keys().rsa1, c);
    }

    mcph::auth::IntrospectionVerifier introspection() {
        mcph::auth::IntrospectionOptions o;
        o.endpoint = server_.url("/introspect");
        o.clientId = "rs";
        o.clientSecret = "s";
        o.issuer = issuer_;
        o.audience = kAudience;
        o.now = clock_.fn();
        return mcph::auth::IntrospectionVerifier(std::make_shared<mcph::auth::PocoHttpFetcher>(), o);
    }
};

}  // namespace

TEST_F(BearerChallengeTest, AGoodTokenPassesSoTheCasesBelowFailForTheirOwnReason) {
    EXPECT_TRUE(check(verifier(), "Bearer " + token()).context);
}

TEST_F(BearerChallengeTest, MalformedCredentialsAreInvalidToken) {
    for (const std::string h : {"Bearer", "Bearer ", "Bearer a b", "Bearer a,Bearer b", "Bearer =x",
                                "bearer t\xC3\xA9"}) {
        expectInvalidToken(verifier(), h, "malformed Bearer credentials");
    }
}

TEST_F(BearerChallengeTest, MalformedJwtsAreInvalidToken) {
    expectInvalidToken(verifier(), "Bearer not-a-jwt", "three segments");
    expectInvalidToken(verifier(), "Bearer a.b.c", "token");
    expectInvalidToken(verifier(), "Bearer " + std::string(20000, 'a'), "too large");
}

TEST_F(BearerChallengeTest, ExpiredAndNotYetValidAreInvalidToken) {
    expectInvalidToken(verifier(), "Bearer " + jwtWith([&](auto& c) { c.set("exp", clock_.epoch() - 3600); }),
                       "expired");
    expectInvalidToken(verifier(), "Bearer " + jwtWith([&](auto& c) { c.set("nbf", clock_.epoch() + 3600); }),
                       "nbf");
}

TEST_F(BearerChallengeTest, WrongIssuerAudienceOrSubjectAreInvalidToken) {
    expectInvalidToken(verifier(), "Bearer " + jwtWith([](auto& c) { c.set("iss", "https://evil.example"); }),
                       "issuer");
    expectInvalidToken(verifier(), "Bearer " + jwtWith([](auto& c) { c.set("aud", "https://other.example/mcp"); }),
                       "not issued for this resource");
    expectInvalidToken(verifier(), "Bearer " + jwtWith([](auto& c) { c.remove("sub"); }), "no subject");
}

TEST_F(BearerChallengeTest, UnknownKeyBadSignatureAndRefusedAlgorithmAreInvalidToken) {
    expectInvalidToken(verifier(), "Bearer " + token("RS256", keys().attacker, claims()), "unknown key");
    expectInvalidToken(verifier(),
                       "Bearer " + signJwt("RS256", keys().attacker, header("RS256", keys().rsa1.kid),
                                           toJson(claims())),
                       "signature is invalid");
    expectInvalidToken(verifier(), "Bearer " + hs256Jwt("secret", header("HS256", "rsa-1"), toJson(claims())),
                       "algorithm not allowed");
}

TEST_F(BearerChallengeTest, RevokedIsInvalidToken) {
    proxytest::TempDir dir;
    auto store = proxytest::openStore(dir.file("auth.db"));
    mcph::auth::server::GrantCheckingVerifier grants(std::make_shared<Borrowed>(verifier()), *store);
    expectInvalidToken(grants, "Bearer " + jwtWith([](auto& c) { c.set("sid", "family-that-was-revoked"); }),
                       "revoked");
}

TEST_F(BearerChallengeTest, InactiveOrAudiencelessIntrospectionAnswersAreInvalidToken) {
    auto opaque = introspection();
    expectInvalidToken(opaque, "Bearer opaque-revoked", "not active");
    expectInvalidToken(opaque, "Bearer opaque-no-aud", "no audience");
}

TEST_F(BearerChallengeTest, NoTokenGetsAChallengeWithoutAnError) {
    for (const std::string h : {"", "Basic dXNlcjpwdw==", "DPoP abc"}) {
        SCOPED_TRACE(h);
        const AuthDecision d = check(verifier(), h);
        EXPECT_EQ(d.httpStatus, 401);
        EXPECT_EQ(d.wwwAuthenticate,
                  "Bearer resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/mcp\", "
                  "scope=\"mcp:read\"");
    }
}
