// IntrospectionVerifier against a real local server that plays the authorization server: it
// checks the client's Basic credentials and answers per token.
#include <Poco/Base64Decoder.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <sstream>

#include "auth_test_support.h"
#include "mcphost/auth/IntrospectionVerifier.h"
#include "mcphost/auth/PocoHttpFetcher.h"

using namespace authtest;
using mcph::auth::IntrospectionOptions;
using mcph::auth::IntrospectionVerifier;

namespace {

constexpr const char* kClientId = "mcp-host";
constexpr const char* kSecret = "s3cr:t+/ x%";  // characters that must be form-encoded
constexpr const char* kAudience = "https://mcp.example.com/mcp";

std::string formDecode(const std::string& s) {
    std::string plus = s;
    for (auto& c : plus)
        if (c == '+') c = ' ';
    std::string out;
    Poco::URI::decode(plus, out);
    return out;
}

class IntrospectionVerifierTest : public ::testing::Test {
  protected:
    void SetUp() override {
        issuer_ = server_.url("/realms/test");
        server_.route("/introspect",
                      [this](const TestHttpServer::Request& r) { return answer(r); });
    }

    // The authorization server: Basic credentials checked exactly as RFC 6749 §2.3.1 encodes
    // them, then an answer chosen by the token value.
    TestHttpServer::Reply answer(const TestHttpServer::Request& r) {
        const auto auth = r.headers.count("Authorization") ? r.headers.at("Authorization") : "";
        std::string decoded;
        if (auth.rfind("Basic ", 0) == 0) {
            std::istringstream in(auth.substr(6));
            Poco::Base64Decoder dec(in);
            std::getline(dec, decoded, '\0');
        }
        const auto colon = decoded.find(':');
        if (r.method != "POST" || colon == std::string::npos ||
            formDecode(decoded.substr(0, colon)) != kClientId ||
            formDecode(decoded.substr(colon + 1)) != kSecret) {
            return {401, "{\"error\":\"invalid_client\"}", "application/json", {}, false};
        }
        std::map<std::string, std::string> form;
        std::istringstream body(r.body);
        std::string pair;
        while (std::getline(body, pair, '&')) {
            const auto eq = pair.find('=');
            form[formDecode(pair.substr(0, eq))] = formDecode(pair.substr(eq + 1));
        }
        if (form["token_type_hint"] != "access_token")
            return {400, "{}", "application/json", {}, false};
        const std::string token = form["token"];
        lastToken_ = token;
        const long long now = clock_.epoch();
        const std::string common =
            "\"sub\":\"user-7\",\"client_id\":\"client-3\",\"username\":\"ann\",\"scope\":\"mcp:"
            "read\"";
        // Answers that are about something other than the audience name this resource.
        const std::string forUs = common + ",\"aud\":\"" + kAudience + "\"";
        if (token == "active" || token == "a+b/c=")
            return {200, "{\"active\":true," + common + ",\"iss\":\"" + issuer_ + "\",\"aud\":\"" +
                             kAudience + "\",\"exp\":" + std::to_string(now + 3600) + "}"};
        if (token == "no-aud") return {200, "{\"active\":true," + common + "}"};
        if (token == "wrong-aud")
            return {200,
                    "{\"active\":true," + common + ",\"aud\":[\"https://other.example/mcp\"]}"};
        if (token == "wrong-iss")
            return {200, "{\"active\":true," + common + ",\"iss\":\"https://evil.example\"}"};
        if (token == "expired")
            return {200,
                    "{\"active\":true," + forUs + ",\"exp\":" + std::to_string(now - 120) + "}"};
        if (token == "short")
            return {200,
                    "{\"active\":true," + forUs + ",\"exp\":" + std::to_string(now + 60) + "}"};
        if (token == "string-active") return {200, "{\"active\":\"true\"," + common + "}"};
        if (token == "no-sub")
            return {200, "{\"active\":true,\"scope\":\"mcp:read\",\"aud\":\"" +
                             std::string(kAudience) + "\"}"};
        if (token == "broken") return {200, "not json"};
        return {200, "{\"active\":false}"};
    }

    IntrospectionVerifier& verifier(const std::function<void(IntrospectionOptions&)>& tweak = {}) {
        if (!verifier_ || tweak) {
            IntrospectionOptions o;
            o.endpoint = server_.url("/introspect");
            o.clientId = kClientId;
            o.clientSecret = kSecret;
            o.issuer = issuer_;
            o.audience = kAudience;
            o.now = clock_.fn();
            if (tweak) tweak(o);
            verifier_ = std::make_unique<IntrospectionVerifier>(
                std::make_shared<mcph::auth::PocoHttpFetcher>(), o);
        }
        return *verifier_;
    }

    void expectRejected(const std::string& token, const std::string& expected,
                        bool unavailable = false) {
        const auto r = verifier().verify(token);
        EXPECT_FALSE(r.context);
        EXPECT_NE(r.error.find(expected), std::string::npos) << r.error;
        EXPECT_EQ(r.unavailable, unavailable) << r.error;
    }

    TestHttpServer server_;
    ManualClock clock_;
    std::string issuer_;
    std::string lastToken_;
    std::unique_ptr<IntrospectionVerifier> verifier_;
};

}  // namespace

TEST_F(IntrospectionVerifierTest, ActiveTokenMapsClaimsAndIsCached) {
    const auto r = verifier().verify("active");
    ASSERT_TRUE(r.context) << r.error;
    EXPECT_EQ(r.context->userId, "user-7");
    EXPECT_EQ(r.context->issuer, issuer_);
    EXPECT_EQ(r.context->clientId, "client-3");
    EXPECT_EQ(r.context->scopes, std::vector<std::string>{"mcp:read"});
    EXPECT_TRUE(r.context->authenticated);
    ASSERT_TRUE(verifier().verify("active").context);
    EXPECT_EQ(server_.hits("/introspect"), 1);
    EXPECT_EQ(verifier().introspectionCalls(), 1u);
    const auto req = server_.lastRequest("/introspect");
    EXPECT_EQ(req.headers.at("Content-Type"), "application/x-www-form-urlencoded");
}

TEST_F(IntrospectionVerifierTest, TokenIsFormEncodedIntact) {
    ASSERT_TRUE(verifier().verify("a+b/c=").context);
    EXPECT_EQ(lastToken_, "a+b/c=");
}

TEST_F(IntrospectionVerifierTest, InactiveTokensAreRejectedAndNeverCached) {
    expectRejected("revoked", "not active");
    expectRejected("revoked", "not active");
    EXPECT_EQ(server_.hits("/introspect"), 2);
    expectRejected("string-active", "not active");
}

TEST_F(IntrospectionVerifierTest, ChecksAudienceIssuerAndExpiry) {
    expectRejected("wrong-aud", "not issued for this resource");
    expectRejected("wrong-iss", "issuer");
    expectRejected("expired", "expired");
    expectRejected("no-sub", "no subject");
    EXPECT_TRUE(verifier().verify("active").context);
}

TEST_F(IntrospectionVerifierTest, AnActiveTokenWithoutAudienceIsRefusedByDefault) {
    // RFC 7662 makes aud optional, but a token without one may be meant for any resource.
    expectRejected("no-aud", "no audience");
    expectRejected("no-aud", "no audience");
    EXPECT_EQ(server_.hits("/introspect"), 2) << "a refusal is never cached";
}

TEST_F(IntrospectionVerifierTest, AllowMissingAudienceAcceptsNoAudButStillChecksAPresentOne) {
    verifier([](IntrospectionOptions& o) { o.allowMissingAudience = true; });
    const auto r = verifier().verify("no-aud");
    ASSERT_TRUE(r.context) << r.error;
    EXPECT_EQ(r.context->userId, "user-7");
    expectRejected("wrong-aud", "not issued for this resource");
    EXPECT_TRUE(verifier().verify("active").context);
}

TEST_F(IntrospectionVerifierTest, WrongClientCredentialsFailAsUnavailable) {
    verifier([](IntrospectionOptions& o) { o.clientSecret = "wrong"; });
    expectRejected("active", "could not be checked", true);
    EXPECT_EQ(server_.hits("/introspect"), 1);
}

TEST_F(IntrospectionVerifierTest, BrokenAnswersAndOutagesFailClosed) {
    expectRejected("broken", "could not be checked", true);
    server_.stop();
    expectRejected("active", "could not be checked", true);
}

TEST_F(IntrospectionVerifierTest, PositiveCacheIsCappedByMaxTtlAndExp) {
    ASSERT_TRUE(verifier().verify("active").context);  // exp in an hour, cached for 5 minutes
    clock_.advance(std::chrono::seconds(299));
    ASSERT_TRUE(verifier().verify("active").context);
    EXPECT_EQ(server_.hits("/introspect"), 1);
    clock_.advance(std::chrono::seconds(2));
    ASSERT_TRUE(verifier().verify("active").context);
    EXPECT_EQ(server_.hits("/introspect"), 2);

    ASSERT_TRUE(verifier().verify("short").context);  // exp in 60 s
    clock_.advance(std::chrono::seconds(61));
    verifier().verify("short");
    EXPECT_EQ(server_.hits("/introspect"), 4) << "cached no longer than the token's exp";
}

TEST_F(IntrospectionVerifierTest, BasicCredentialsAreFormEncodedFirst) {
    EXPECT_EQ(IntrospectionVerifier::basicAuthorization("a b", "x:y"), "Basic YSUyMGI6eCUzQXk=");
    EXPECT_THROW(verifier([](IntrospectionOptions& o) { o.endpoint.clear(); }),
                 std::invalid_argument);
}
