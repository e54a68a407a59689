// UpstreamClient against a real stand-in upstream on 127.0.0.1 (token endpoint, JWKS,
// userinfo, GitHub-style emails), with ID tokens signed by the tests' own signer: what the
// stand-in receives, each identity method, the ID-token attacks, upstream failures of every
// kind, and that no error message ever carries the code, a token or the client secret.
#include <Poco/Base64Encoder.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "auth_test_support.h"
#include "mcphost/auth/PocoHttpFetcher.h"
#include "mcphost/auth/server/UpstreamClient.h"

using namespace authtest;
using namespace mcph::auth;
using namespace mcph::auth::server;

namespace {

using Kind = UpstreamError::Kind;

const std::string kClientId = "mcp-host-client";
const std::string kSecret = "s3cr3t/+=&:Value";  // every character that needs form encoding
const std::string kSecretEncoded = "s3cr3t%2F%2B%3D%26%3AValue";
const std::string kCode = "CODE-sensitive-7f3a9c";
const std::string kVerifier = "verifier-0123456789-abcdefghijklmnopqrstuvwxyz";
const std::string kRedirect = "https://mcp.example.com/oauth/callback";
const std::string kNonce = "nonce-Q2hhbGxlbmdl";
const std::string kAccessToken = "gho_UPSTREAM-access-token-4b1d";

struct Keys {
    TestKey rsa = TestKey::rsa("up-rsa");
    TestKey ec = TestKey::ec("up-ec", "P-256");
    TestKey impostor = TestKey::rsa("up-rsa");  // same kid, key not in the JWKS
};

std::map<std::string, std::string> decodeForm(const std::string& body) {
    std::map<std::string, std::string> out;
    std::istringstream in(body);
    std::string pair;
    while (std::getline(in, pair, '&')) {
        const auto eq = pair.find('=');
        std::string name, value;
        Poco::URI::decode(pair.substr(0, eq), name, true);
        if (eq != std::string::npos) Poco::URI::decode(pair.substr(eq + 1), value, true);
        EXPECT_EQ(out.count(name), 0u) << "parameter sent twice: " << name;
        out[name] = value;
    }
    return out;
}

std::string base64(const std::string& text) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << text;
    encoder.close();
    return out.str();
}

class ProxyUpstreamClient : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (!keys_) keys_ = new Keys;  // RSA generation is slow: once per process
    }
    static const Keys& keys() { return *keys_; }

    void SetUp() override {
        issuer_ = server_.url("/issuer");
        server_.serve("/jwks", 200, jwks({keys().rsa.jwk(), keys().ec.jwk()}));
        tokenReply(200, tokenJson(idToken(idClaims())));
    }

    UpstreamOptions options(UpstreamIdentityMethod method = UpstreamIdentityMethod::IdToken) const {
        UpstreamOptions o;
        o.authEndpoint = server_.url("/authorize");
        o.tokenEndpoint = server_.url("/token");
        o.clientId = kClientId;
        o.clientSecret = kSecret;
        o.scopes = {"openid", "email", "profile"};
        o.identity = method;
        o.jwksUrl = server_.url("/jwks");
        o.issuer = issuer_;
        o.userInfoUrl = server_.url("/userinfo");
        o.now = clock_.fn();
        return o;
    }
    UpstreamClient& client(const std::function<void(UpstreamOptions&)>& tweak = {},
                           UpstreamIdentityMethod method = UpstreamIdentityMethod::IdToken) {
        UpstreamOptions o = options(method);
        if (tweak) tweak(o);
        client_ = std::make_unique<UpstreamClient>(std::make_shared<PocoHttpFetcher>(), o);
        return *client_;
    }

    Poco::JSON::Object idClaims() const {
        Poco::JSON::Object c(Poco::JSON_PRESERVE_KEY_ORDER);
        c.set("iss", issuer_);
        c.set("aud", kClientId);
        c.set("sub", "user-42");
        c.set("exp", clock_.epoch() + 300);
        c.set("iat", clock_.epoch());
        c.set("nonce", kNonce);
        c.set("email", "ada@example.com");
        c.set("email_verified", true);
        c.set("name", "Ada");
        return c;
    }
    static std::string idToken(const Poco::JSON::Object& claims, const std::string& alg = "RS256",
                               const TestKey* key = nullptr) {
        const TestKey& k = key ? *key : (alg[0] == 'E' ? keys().ec : keys().rsa);
        return signJwt(alg, k, R"({"alg":")" + alg + R"(","kid":")" + k.kid + R"(","typ":"JWT"})",
                       toJson(claims));
    }
    static std::string tokenJson(const std::string& idToken, const std::string& extra = "") {
        return R"({"access_token":")" + kAccessToken +
               R"(","token_type":"Bearer","expires_in":3600)" +
               (idToken.empty() ? "" : R"(,"id_token":")" + idToken + "\"") + extra + "}";
    }
    void tokenReply(int status, const std::string& body,
                    const std::string& contentType = "application/json") {
        server_.serve("/token", status, body, contentType);
    }

    UpstreamSignIn signIn(const std::string& nonce = kNonce) {
        if (!client_) client();
        return client_->completeSignIn(kCode, kVerifier, kRedirect, nonce);
    }
    // Signs in expecting a refusal of `kind`, and returns the message.
    std::string expectFailure(Kind kind, const std::string& mention = "") {
        const auto r = signIn();
        EXPECT_FALSE(r.ok) << "signed in as " << r.identity.subject;
        EXPECT_EQ(static_cast<int>(r.error.kind), static_cast<int>(kind)) << r.error.message;
        EXPECT_NE(r.error.message.find(mention), std::string::npos) << r.error.message;
        messages_.push_back(r.error.message);
        return r.error.message;
    }
    void idTokenIs(const std::string& token) { tokenReply(200, tokenJson(token)); }

    static inline Keys* keys_ = nullptr;
    TestHttpServer server_;
    ManualClock clock_;
    std::string issuer_;
    std::unique_ptr<UpstreamClient> client_;
    std::vector<std::string> messages_;
};

UpstreamAuthorizationRequest authRequest() {
    UpstreamAuthorizationRequest r;
    r.redirectUri = kRedirect;
    r.state = "state&value=1 +x";
    r.codeChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    r.nonce = kNonce;
    r.resource = "https://mcp.example.com/mcp";
    return r;
}

std::map<std::string, std::string> queryOf(const std::string& url) {
    std::map<std::string, std::string> out;
    for (const auto& [name, value] : Poco::URI(url).getQueryParameters()) {
        EXPECT_EQ(out.count(name), 0u) << "parameter sent twice: " << name;
        out[name] = value;
    }
    return out;
}

}  // namespace

// ---- the authorization URL ------------------------------------------------------------------

TEST_F(ProxyUpstreamClient, AuthorizationUrlCarriesEveryCoreParameterEncoded) {
    auto& c = client([](UpstreamOptions& o) {
        o.extraAuthorizeParams = {{"audience", "https://api.example.com/a b"},
                                  {"prompt", "consent"}};
    });
    const std::string url = c.authorizationUrl(authRequest());
    EXPECT_EQ(url.rfind(server_.url("/authorize?"), 0), 0u) << url;
    EXPECT_EQ(url.find(' '), std::string::npos) << url;
    const auto q = queryOf(url);
    EXPECT_EQ(q.at("response_type"), "code");
    EXPECT_EQ(q.at("client_id"), kClientId);
    EXPECT_EQ(q.at("redirect_uri"), kRedirect);
    EXPECT_EQ(q.at("scope"), "openid email profile");
    EXPECT_EQ(q.at("state"), "state&value=1 +x");
    EXPECT_EQ(q.at("code_challenge"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    EXPECT_EQ(q.at("code_challenge_method"), "S256");
    EXPECT_EQ(q.at("nonce"), kNonce);
    EXPECT_EQ(q.at("resource"), "https://mcp.example.com/mcp");
    EXPECT_EQ(q.at("audience"), "https://api.example.com/a b");
    EXPECT_EQ(q.at("prompt"), "consent");
    EXPECT_EQ(q.size(), 11u);
    EXPECT_EQ(q.count("client_secret"), 0u);
}

TEST_F(ProxyUpstreamClient, AuthorizationUrlAppendsToAnExistingQuery) {
    auto& c = client(
        [this](UpstreamOptions& o) { o.authEndpoint = server_.url("/authorize?tenant=t1"); });
    const std::string url = c.authorizationUrl(authRequest());
    EXPECT_EQ(url.rfind(server_.url("/authorize?tenant=t1&response_type=code&"), 0), 0u) << url;
    EXPECT_EQ(queryOf(url).at("tenant"), "t1");
}

TEST_F(ProxyUpstreamClient, AuthorizationUrlLeavesOutWhatTheOptionsTurnOff) {
    auto& c = client(
        [](UpstreamOptions& o) {
            o.pkce = false;
            o.forwardResource = false;
        },
        UpstreamIdentityMethod::UserInfo);
    auto request = authRequest();
    request.codeChallenge.clear();
    const auto q = queryOf(c.authorizationUrl(request));
    EXPECT_EQ(q.count("code_challenge"), 0u);
    EXPECT_EQ(q.count("code_challenge_method"), 0u);
    EXPECT_EQ(q.count("resource"), 0u);
    EXPECT_EQ(q.count("nonce"), 0u) << "a nonce only means something with an ID token";
}

TEST_F(ProxyUpstreamClient, ExtraParametersCannotOverrideTheCoreOnes) {
    for (const std::string name : {"redirect_uri", "client_id", "state", "scope", "response_type",
                                   "code_challenge", "code_challenge_method", "nonce", "resource",
                                   "request", "request_uri", "response_mode", ""}) {
        SCOPED_TRACE(name);
        EXPECT_THROW(client([&](UpstreamOptions& o) {
                         o.extraAuthorizeParams = {{name, "https://evil.example/cb"}};
                     }),
                     std::invalid_argument);
    }
}

TEST_F(ProxyUpstreamClient, AuthorizationUrlRefusesARequestMissingItsProtections) {
    auto& c = client();
    auto noChallenge = authRequest();
    noChallenge.codeChallenge.clear();
    EXPECT_THROW(c.authorizationUrl(noChallenge), std::invalid_argument);
    auto noNonce = authRequest();
    noNonce.nonce.clear();
    EXPECT_THROW(c.authorizationUrl(noNonce), std::invalid_argument);
    auto noState = authRequest();
    noState.state.clear();
    EXPECT_THROW(c.authorizationUrl(noState), std::invalid_argument);
}

TEST_F(ProxyUpstreamClient, ConstructorRefusesIncompleteOptions) {
    using Tweak = std::function<void(UpstreamOptions&)>;
    const std::vector<std::pair<const char*, Tweak>> cases = {
        {"no client id", [](UpstreamOptions& o) { o.clientId.clear(); }},
        {"no secret", [](UpstreamOptions& o) { o.clientSecret.clear(); }},
        {"no jwks", [](UpstreamOptions& o) { o.jwksUrl.clear(); }},
        {"no issuer", [](UpstreamOptions& o) { o.issuer.clear(); }},
        {"no openid scope", [](UpstreamOptions& o) { o.scopes = {"email"}; }},
        {"bad scope",
         [](UpstreamOptions& o) {
             o.scopes = {"openid", "a\"b"};
         }},
        {"alg none", [](UpstreamOptions& o) { o.algorithms = {"none"}; }},
        {"HS256", [](UpstreamOptions& o) { o.algorithms = {"HS256"}; }},
        {"token endpoint not a URL", [](UpstreamOptions& o) { o.tokenEndpoint = "/token"; }},
        {"credentials in URL",
         [](UpstreamOptions& o) { o.tokenEndpoint = "https://u:p@idp.example.com/token"; }},
        {"fragment", [](UpstreamOptions& o) { o.authEndpoint = "https://idp.example.com/a#x"; }},
    };
    for (const auto& [what, tweak] : cases) {
        SCOPED_TRACE(what);
        EXPECT_THROW(client(tweak), std::invalid_argument);
    }
    EXPECT_THROW(
        client([](UpstreamOptions& o) { o.userInfoUrl.clear(); }, UpstreamIdentityMethod::UserInfo),
        std::invalid_argument);
}

// ---- the code exchange ---------------------------------------------------------------------

TEST_F(ProxyUpstreamClient, IdTokenSignInWithClientSecretPost) {
    const auto r = signIn();
    ASSERT_TRUE(r.ok) << r.error.message;
    EXPECT_EQ(r.identity.subject, "user-42");
    EXPECT_EQ(r.identity.email, "ada@example.com");
    EXPECT_EQ(r.identity.name, "Ada");

    const auto sent = server_.lastRequest("/token");
    EXPECT_EQ(sent.method, "POST");
    EXPECT_EQ(sent.headers.at("Accept"), "application/json");
    EXPECT_EQ(sent.headers.at("Content-Type").rfind("application/x-www-form-urlencoded", 0), 0u);
    EXPECT_EQ(sent.headers.count("Authorization"), 0u);
    const auto form = decodeForm(sent.body);
    EXPECT_EQ(form.at("grant_type"), "authorization_code");
    EXPECT_EQ(form.at("code"), kCode);
    EXPECT_EQ(form.at("redirect_uri"), kRedirect);
    EXPECT_EQ(form.at("code_verifier"), kVerifier);
    EXPECT_EQ(form.at("client_id"), kClientId);
    EXPECT_EQ(form.at("client_secret"), kSecret);
    EXPECT_EQ(form.size(), 6u);
    EXPECT_NE(sent.body.find("client_secret=" + kSecretEncoded), std::string::npos) << sent.body;
}

TEST_F(ProxyUpstreamClient, ClientSecretBasicSendsFormEncodedCredentialsInTheHeader) {
    client([](UpstreamOptions& o) { o.clientSecretBasic = true; });
    const auto r = signIn();
    ASSERT_TRUE(r.ok) << r.error.message;
    const auto sent = server_.lastRequest("/token");
    // RFC 6749 §2.3.1: each part form-urlencoded, then Base64.
    EXPECT_EQ(sent.headers.at("Authorization"),
              "Basic " + base64(kClientId + ":" + kSecretEncoded));
    const auto form = decodeForm(sent.body);
    EXPECT_EQ(form.count("client_secret"), 0u);
    EXPECT_EQ(form.count("client_id"), 0u);
    EXPECT_EQ(form.at("code_verifier"), kVerifier);
    EXPECT_EQ(sent.body.find(kSecret), std::string::npos);
}

TEST_F(ProxyUpstreamClient, WithoutPkceNoVerifierIsSent) {
    client([](UpstreamOptions& o) { o.pkce = false; });
    ASSERT_TRUE(client_->completeSignIn(kCode, "", kRedirect, kNonce).ok);
    EXPECT_EQ(decodeForm(server_.lastRequest("/token").body).count("code_verifier"), 0u);
}

TEST_F(ProxyUpstreamClient, Es256IdTokenAndSeveralAudiencesWithOurAzp) {
    auto claims = idClaims();
    Poco::JSON::Array::Ptr aud = new Poco::JSON::Array;
    aud->add(kClientId);
    aud->add("https://api.example.com");
    claims.set("aud", aud);
    claims.set("azp", kClientId);
    idTokenIs(idToken(claims, "ES256"));
    const auto r = signIn();
    EXPECT_TRUE(r.ok) << r.error.message;
}

TEST_F(ProxyUpstreamClient, UnverifiedEmailFromTheIdTokenIsDropped) {
    auto claims = idClaims();
    claims.set("email_verified", false);
    idTokenIs(idToken(claims));
    const auto r = signIn();
    ASSERT_TRUE(r.ok) << r.error.message;
    EXPECT_EQ(r.identity.subject, "user-42");
    EXPECT_EQ(r.identity.email, "");
}

// An email the upstream does not vouch for (no email_verified at all, or another flag the preset
// names, as Entra's xms_edov) never reaches the auth context; the sign-in itself still works.
TEST_F(ProxyUpstreamClient, AnEmailWithoutTheVerifiedFlagIsDropped) {
    auto claims = idClaims();
    claims.remove("email_verified");
    idTokenIs(idToken(claims));
    auto r = signIn();
    ASSERT_TRUE(r.ok) << r.error.message;
    EXPECT_EQ(r.identity.email, "");

    claims.set("email_verified", "true");  // the string form some providers send
    idTokenIs(idToken(claims));
    r = signIn();
    ASSERT_TRUE(r.ok) << r.error.message;
    EXPECT_EQ(r.identity.email, "ada@example.com");

    client([](UpstreamOptions& o) { o.claims.emailVerified = "xms_edov"; });  // Entra
    idTokenIs(idToken(claims));
    r = signIn();
    ASSERT_TRUE(r.ok) << r.error.message;
    EXPECT_EQ(r.identity.email, "");  // email_verified is not Entra's flag
    claims.set("xms_edov", true);
    idTokenIs(idToken(claims));
    r = signIn();
    ASSERT_TRUE(r.ok) << r.error.message;
    EXPECT_EQ(r.identity.email, "ada@example.com");
}

TEST_F(ProxyUpstreamClient, JwtAccessTokenSignIn) {
    auto claims = idClaims();
    claims.remove("nonce");
    claims.set("aud", "https://api.example.com/");
    claims.set("azp", kClientId);
    tokenReply(200, R"({"access_token":")" + idToken(claims) + R"(","token_type":"bearer"})");
    client([](UpstreamOptions& o) { o.audience = "https://api.example.com"; },
           UpstreamIdentityMethod::AccessToken);
    const auto r = signIn("");
    ASSERT_TRUE(r.ok) << r.error.message;
    EXPECT_EQ(r.identity.subject, "user-42");

    // The same token is refused when we expect it for our client id (the default audience).
    client({}, UpstreamIdentityMethod::AccessToken);
    EXPECT_FALSE(signIn("").ok);
}

TEST_F(ProxyUpstreamClient, JwtAccessTokenForAnotherClientIsRefused) {
    auto claims = idClaims();
    claims.set("azp", "someone-else");
    tokenReply(200, R"({"access_token":")" + idToken(claims) + R"(","token_type":"Bearer"})");
    client({}, UpstreamIdentityMethod::AccessToken);
    expectFailure(Kind::BadIdentity, "azp");
}

// ---- ID token attacks ----------------------------------------------------------------------

TEST_F(ProxyUpstreamClient, IdTokenRefusals) {
    struct Case {
        const char* what;
        const char* reason;  // what the message must say, so each case fails for its own cause
        std::function<std::string()> token;
    };
    const std::string attackerPem = keys().rsa.publicPem();
    const std::vector<Case> cases = {
        {"wrong aud", "(aud)",
         [&] {
             auto c = idClaims();
             c.set("aud", "another-client");
             return idToken(c);
         }},
        {"wrong iss", "issuer (iss)",
         [&] {
             auto c = idClaims();
             c.set("iss", issuer_ + "/");
             return idToken(c);
         }},
        {"bad signature", "signature is invalid",
         [&] { return idToken(idClaims(), "RS256", &keys().impostor); }},
        {"tampered payload", "signature is invalid",
         [&] {
             const std::string good = idToken(idClaims());
             auto c = idClaims();
             c.set("sub", "admin");
             const auto dot1 = good.find('.'), dot2 = good.rfind('.');
             return good.substr(0, dot1 + 1) + b64url(toJson(c)) + good.substr(dot2);
         }},
        {"expired", "expired",
         [&] {
             auto c = idClaims();
             c.set("exp", clock_.epoch() - 120);
             return idToken(c);
         }},
        {"no exp", "no expiry",
         [&] {
             auto c = idClaims();
             c.remove("exp");
             return idToken(c);
         }},
        {"not yet valid", "(nbf)",
         [&] {
             auto c = idClaims();
             c.set("nbf", clock_.epoch() + 600);
             return idToken(c);
         }},
        {"nonce mismatch", "nonce mismatch",
         [&] {
             auto c = idClaims();
             c.set("nonce", "nonce-of-another-login");
             return idToken(c);
         }},
        {"nonce missing", "nonce missing",
         [&] {
             auto c = idClaims();
             c.remove("nonce");
             return idToken(c);
         }},
        {"alg none", "empty segment",
         [&] {
             return b64url(R"({"alg":"none","kid":"up-rsa"})") + "." + b64url(toJson(idClaims())) +
                    ".";
         }},
        {"alg none with a signature", "algorithm not allowed",
         [&] {
             const std::string input =
                 b64url(R"({"alg":"none","kid":"up-rsa"})") + "." + b64url(toJson(idClaims()));
             return input + "." + b64url(signBytes("RS256", keys().rsa, input));
         }},
        {"HS256 keyed with the public key", "algorithm not allowed",
         [&] {
             return hs256Jwt(attackerPem, R"({"alg":"HS256","kid":"up-rsa"})", toJson(idClaims()));
         }},
        {"algorithm outside the allow-list", "algorithm not allowed",
         [&] { return idToken(idClaims(), "PS256"); }},
        {"unknown kid", "unknown key",
         [&] {
             const TestKey stranger{keys().impostor.pkey, "not-published", ""};
             return idToken(idClaims(), "RS256", &stranger);
         }},
        {"several audiences without azp", "several audiences",
         [&] {
             auto c = idClaims();
             Poco::JSON::Array::Ptr aud = new Poco::JSON::Array;
             aud->add(kClientId);
             aud->add("https://api.example.com");
             c.set("aud", aud);
             return idToken(c);
         }},
        {"azp of another client", "azp",
         [&] {
             auto c = idClaims();
             c.set("azp", "another-client");
             return idToken(c);
         }},
        {"no subject", "no usable subject",
         [&] {
             auto c = idClaims();
             c.remove("sub");
             return idToken(c);
         }},
        {"empty subject", "no usable subject",
         [&] {
             auto c = idClaims();
             c.set("sub", "");
             return idToken(c);
         }},
        {"not a JWT", "three segments", [&] { return std::string("opaque-id-token"); }},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        idTokenIs(c.token());
        client();
        expectFailure(Kind::BadIdentity, c.reason);
    }
}

TEST_F(ProxyUpstreamClient, MissingIdTokenIsRefused) {
    tokenReply(200, tokenJson(""));
    expectFailure(Kind::BadIdentity, "id_token");
}

TEST_F(ProxyUpstreamClient, NonceWeSentButCannotCompareFailsClosed) {
    const auto r = signIn("");
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(server_.hits("/token"), 0)
        << "the code must not be spent on a sign-in that will fail";
}

TEST_F(ProxyUpstreamClient, MissingPkceVerifierFailsClosed) {
    client();
    const auto r = client_->completeSignIn(kCode, "", kRedirect, kNonce);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(server_.hits("/token"), 0);
}

// ---- upstream failures ---------------------------------------------------------------------

TEST_F(ProxyUpstreamClient, InvalidGrantIsRejectedWithTheErrorCodeOnly) {
    tokenReply(400,
               R"({"error":"invalid_grant","error_description":"code )" + kCode + R"( was used"})");
    const std::string message = expectFailure(Kind::Rejected, "invalid_grant");
    EXPECT_EQ(message.find("was used"), std::string::npos) << message;
}

TEST_F(ProxyUpstreamClient, ServerErrorIsUnavailable) {
    tokenReply(500, R"({"error":"server_error"})");
    expectFailure(Kind::Unavailable, "HTTP 500");
    tokenReply(503, "<html>down</html>", "text/html");
    expectFailure(Kind::Unavailable, "HTTP 503");
    tokenReply(429, "{}");
    expectFailure(Kind::Unavailable, "HTTP 429");
}

TEST_F(ProxyUpstreamClient, RefusedConnectionIsUnavailable) {
    client();
    server_.stop();
    expectFailure(Kind::Unavailable);
}

TEST_F(ProxyUpstreamClient, ConnectionClosedWithoutAnswerIsUnavailable) {
    // A token endpoint that reads the request and hangs up without a response.
    Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
    std::thread upstream([&listener] {
        Poco::Net::StreamSocket conn = listener.acceptConnection();
        char buffer[4096];
        conn.receiveBytes(buffer, sizeof buffer);
        conn.close();
    });
    client([&listener](UpstreamOptions& o) {
        o.tokenEndpoint =
            "http://127.0.0.1:" + std::to_string(listener.address().port()) + "/token";
    });
    expectFailure(Kind::Unavailable);
    upstream.join();
}

TEST_F(ProxyUpstreamClient, GitHubStyleErrorWithStatus200IsRejected) {
    tokenReply(
        200,
        R"({"error":"bad_verification_code","error_description":"The code passed is incorrect or expired."})");
    expectFailure(Kind::Rejected, "bad_verification_code");
    tokenReply(200, "error=bad_verification_code&error_description=expired",
               "application/x-www-form-urlencoded; charset=utf-8");
    expectFailure(Kind::Rejected, "bad_verification_code");
}

TEST_F(ProxyUpstreamClient, UnusableTokenResponsesAreRejected) {
    tokenReply(200, R"({"token_type":"Bearer"})");
    expectFailure(Kind::Rejected, "access_token");
    tokenReply(200, R"({"access_token":"x","token_type":"mac"})");
    expectFailure(Kind::Rejected, "token_type");
    tokenReply(200, R"({"access_token":42})");
    expectFailure(Kind::Rejected, "access_token");
    tokenReply(200, "<html>hello</html>", "text/html");
    expectFailure(Kind::Rejected);
    tokenReply(200, "{not json");
    expectFailure(Kind::Rejected);
    tokenReply(302, "");
    expectFailure(Kind::Rejected, "HTTP 302");
}

TEST_F(ProxyUpstreamClient, ErrorCodesThatCouldEchoSecretsAreNotRepeated) {
    tokenReply(400, R"({"error":")" + kCode + R"("})");
    const std::string message = expectFailure(Kind::Rejected, "unrecognised error code");
    EXPECT_EQ(message.find("CODE"), std::string::npos) << message;
}

// ---- userinfo ------------------------------------------------------------------------------

TEST_F(ProxyUpstreamClient, UserInfoSignInSendsOurAccessTokenAndHonoursEmailVerified) {
    server_.serve("/userinfo", 200,
                  R"({"sub":"g-1001","email":"g@example.com","email_verified":true,"name":"Gee"})");
    tokenReply(200, tokenJson(""));
    client({}, UpstreamIdentityMethod::UserInfo);
    const auto r = signIn("");
    ASSERT_TRUE(r.ok) << r.error.message;
    EXPECT_EQ(r.identity.subject, "g-1001");
    EXPECT_EQ(r.identity.email, "g@example.com");
    EXPECT_EQ(r.identity.name, "Gee");
    const auto sent = server_.lastRequest("/userinfo");
    EXPECT_EQ(sent.method, "GET");
    EXPECT_EQ(sent.headers.at("Authorization"), "Bearer " + kAccessToken);
    EXPECT_EQ(sent.headers.at("Accept"), "application/json");

    server_.serve("/userinfo", 200,
                  R"({"sub":"g-1001","email":"g@example.com","email_verified":false})");
    const auto unverified = signIn("");
    ASSERT_TRUE(unverified.ok) << unverified.error.message;
    EXPECT_EQ(unverified.identity.email, "");
}

TEST_F(ProxyUpstreamClient, GitHubNumericIdFormTokenResponseAndPrimaryVerifiedEmail) {
    // GitHub without Accept: a form-encoded token response; /user with a numeric id and no
    // public email; /user/emails with decoys before the primary verified address.
    tokenReply(
        200, "access_token=" + kAccessToken + "&scope=read%3Auser%2Cuser%3Aemail&token_type=bearer",
        "application/x-www-form-urlencoded; charset=utf-8");
    server_.serve("/user", 200, R"({"login":"octocat","id":583231,"email":null,"name":null})");
    server_.serve("/user/emails", 200,
                  R"([{"email":"old@example.com","primary":false,"verified":true},
                      {"email":"fake@example.com","primary":true,"verified":false},
                      {"email":"octo@example.com","primary":true,"verified":true}])");
    client(
        [this](UpstreamOptions& o) {
            o.userInfoUrl = server_.url("/user");
            o.userEmailsUrl = server_.url("/user/emails");
            o.claims.userId = "id";
            o.claims.nameFallback = "login";
            o.claims.emailVerified.clear();  // as the github preset: only the emails list counts
        },
        UpstreamIdentityMethod::UserInfo);
    const auto r = signIn("");
    ASSERT_TRUE(r.ok) << r.error.message;
    EXPECT_EQ(r.identity.subject, "583231");
    EXPECT_EQ(r.identity.email, "octo@example.com");
    EXPECT_EQ(r.identity.name, "octocat");
    EXPECT_EQ(server_.lastRequest("/user/emails").headers.at("Authorization"),
              "Bearer " + kAccessToken);

    // No primary verified entry: no email rather than a wrong one.
    server_.serve("/user/emails", 200,
                  R"([{"email":"fake@example.com","primary":true,"verified":false},
                      {"email":"old@example.com","primary":false,"verified":true}])");
    const auto none = signIn("");
    ASSERT_TRUE(none.ok) << none.error.message;
    EXPECT_EQ(none.identity.email, "");

    // A public profile email is whatever the user typed there: not the one trusted.
    server_.serve("/user", 200, R"({"login":"octocat","id":583231,"email":"ceo@example.com","name":null})");
    server_.serve("/user/emails", 200, R"([{"email":"octo@example.com","primary":true,"verified":true}])");
    const auto publicEmail = signIn("");
    ASSERT_TRUE(publicEmail.ok) << publicEmail.error.message;
    EXPECT_EQ(publicEmail.identity.email, "octo@example.com");

    // Emails endpoint refused (no user:email scope): the sign-in goes on without an email.
    server_.serve("/user/emails", 403, R"({"message":"Resource not accessible"})");
    const auto refused = signIn("");
    ASSERT_TRUE(refused.ok) << refused.error.message;
    EXPECT_EQ(refused.identity.email, "");
}

TEST_F(ProxyUpstreamClient, UserInfoWithoutAUsableIdIsRefused) {
    tokenReply(200, tokenJson(""));
    client([](UpstreamOptions& o) { o.claims.userId = "id"; }, UpstreamIdentityMethod::UserInfo);
    for (const std::string body :
         {R"({"login":"octocat"})", R"({"id":null})", R"({"id":""})", R"({"id":true})",
          R"({"id":1.5})", R"({"id":{"n":1}})", R"({"id":"a\nb"})", R"([1,2])", "not json"}) {
        SCOPED_TRACE(body);
        server_.serve("/userinfo", 200, body);
        expectFailure(Kind::BadIdentity);
    }
}

TEST_F(ProxyUpstreamClient, UserInfoFailuresAreClassified) {
    tokenReply(200, tokenJson(""));
    client({}, UpstreamIdentityMethod::UserInfo);
    server_.serve("/userinfo", 401, R"({"error":"invalid_token"})");
    expectFailure(Kind::BadIdentity, "HTTP 401");
    server_.serve("/userinfo", 502, "bad gateway", "text/plain");
    expectFailure(Kind::Unavailable, "HTTP 502");
}

// ---- no secrets in messages ----------------------------------------------------------------

TEST_F(ProxyUpstreamClient, NoErrorMessageCarriesTheCodeATokenOrTheSecret) {
    const std::string goodIdToken = idToken(idClaims());
    auto badAud = idClaims();
    badAud.set("aud", "x");
    // Bodies that quote everything we sent, in every place a careless parser might copy from.
    const std::string echo = kCode + " " + kSecret + " " + kVerifier + " " + kAccessToken;
    const std::vector<std::pair<int, std::string>> replies = {
        {400, R"({"error":"invalid_grant","error_description":")" + echo + "\"}"},
        {401, R"({"error":"invalid_client","client_secret":")" + kSecret + "\"}"},
        {500, echo},
        {200, R"({"error":"access_denied","error_description":")" + echo + "\"}"},
        {200, R"({"access_token":")" + kAccessToken + R"(","token_type":")" + kSecret + "\"}"},
        {200, tokenJson(idToken(badAud))},
        {200, tokenJson(goodIdToken.substr(0, goodIdToken.size() - 4) + "AAAA")},
    };
    for (const auto& [status, body] : replies) {
        tokenReply(status, body);
        client();
        const auto r = signIn();
        ASSERT_FALSE(r.ok);
        messages_.push_back(r.error.message);
    }
    server_.serve("/userinfo", 403, echo);
    tokenReply(200, tokenJson(""));
    client({}, UpstreamIdentityMethod::UserInfo);
    messages_.push_back(signIn("").error.message);

    for (const auto& message : messages_) {
        SCOPED_TRACE(message);
        EXPECT_FALSE(message.empty());
        for (const std::string& secret : {kCode, kSecret, kSecretEncoded, kVerifier, kAccessToken,
                                          goodIdToken.substr(0, 30), std::string("was used")}) {
            EXPECT_EQ(message.find(secret), std::string::npos) << "leaks " << secret;
        }
    }
}
