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
#include <initializer_list>
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

// ---- policy facts (UserFacts) --------------------------------------------------------------

namespace {

using Strings = std::vector<std::string>;

Poco::JSON::Array::Ptr array(std::initializer_list<Poco::Dynamic::Var> items) {
    Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
    for (const auto& item : items) out->add(item);
    return out;
}

}  // namespace

TEST_F(ProxyUpstreamClient, FactsCarryTheSubjectAndOnlyAVouchedEmailLowercased) {
    auto claims = idClaims();
    claims.set("email", "Ada@Example.COM");
    idTokenIs(idToken(claims));
    auto r = signIn();
    ASSERT_TRUE(r.ok) << r.error.message;
    EXPECT_EQ(r.identity.email, "Ada@Example.COM");  // the identity keeps it as given
    EXPECT_EQ(r.identity.facts.subject, "user-42");
    EXPECT_EQ(r.identity.facts.email, "ada@example.com");

    claims.set("email_verified", false);
    idTokenIs(idToken(claims));
    r = signIn();
    ASSERT_TRUE(r.ok) << r.error.message;
    EXPECT_EQ(r.identity.facts.email, "");
}

TEST_F(ProxyUpstreamClient, GoogleHostedDomainComesFromTheVerifiedIdTokenOnly) {
    auto claims = idClaims();
    claims.set("hd", "Example.com");
    idTokenIs(idToken(claims));
    auto r = signIn();
    ASSERT_TRUE(r.ok) << r.error.message;
    EXPECT_EQ(r.identity.facts.hostedDomain, "example.com");

    // Not a string: no hosted domain (a consumer account has none at all).
    claims.set("hd", array({"example.com"}));
    idTokenIs(idToken(claims));
    r = signIn();
    ASSERT_TRUE(r.ok) << r.error.message;
    EXPECT_EQ(r.identity.facts.hostedDomain, "");
    claims.remove("hd");
    idTokenIs(idToken(claims));
    EXPECT_EQ(signIn().identity.facts.hostedDomain, "");

    // An `hd` in a token that fails verification never becomes a fact: the sign-in fails.
    claims.set("hd", "example.com");
    idTokenIs(idToken(claims, "RS256", &keys().impostor));
    expectFailure(Kind::BadIdentity, "signature");

    // Google documents `hd` in the ID token; a userinfo answer's is not taken.
    server_.serve(
        "/userinfo", 200,
        R"({"sub":"g-1","email":"g@example.com","email_verified":true,"hd":"example.com"})");
    tokenReply(200, tokenJson(""));
    client({}, UpstreamIdentityMethod::UserInfo);
    r = signIn("");
    ASSERT_TRUE(r.ok) << r.error.message;
    EXPECT_EQ(r.identity.facts.hostedDomain, "");
}

TEST_F(ProxyUpstreamClient, EntraTenantAndGroupsComeFromTheVerifiedToken) {
    const std::string tid = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    auto claims = idClaims();
    claims.set("tid", tid);
    claims.set("groups", array({"a1b2c3d4-0000-4000-8000-000000000001", 42,
                                "A1B2C3D4-0000-4000-8000-000000000002"}));
    idTokenIs(idToken(claims));
    client([](UpstreamOptions& o) { o.claims.emailVerified = "xms_edov"; });
    auto r = signIn();
    ASSERT_TRUE(r.ok) << r.error.message;
    EXPECT_EQ(r.identity.facts.tenant, tid);
    // Object ids as given (not lowercased); the number is not a group.
    EXPECT_EQ(r.identity.facts.groups, (Strings{"a1b2c3d4-0000-4000-8000-000000000001",
                                                "A1B2C3D4-0000-4000-8000-000000000002"}));

    // A JWT access token carries them too.
    auto access = claims;
    access.remove("nonce");
    access.set("aud", "api://mcp");
    tokenReply(200, R"({"access_token":")" + idToken(access) + R"(","token_type":"Bearer"})");
    client([](UpstreamOptions& o) { o.audience = "api://mcp"; },
           UpstreamIdentityMethod::AccessToken);
    r = signIn("");
    ASSERT_TRUE(r.ok) << r.error.message;
    EXPECT_EQ(r.identity.facts.tenant, tid);
    EXPECT_EQ(r.identity.facts.groups.size(), 2u);
}

TEST_F(ProxyUpstreamClient, EntraGroupOverageGivesNoGroups) {
    // Over 200 groups Entra lists none and points at Graph instead: the list the token would
    // give is not the user's, so there is none (a policy on groups then refuses).
    auto overage = idClaims();
    overage.set("tid", "72f988bf-86f1-41af-91ab-2d7cd011db47");
    overage.set("groups", array({"stale-or-partial"}));
    Poco::JSON::Object::Ptr names = new Poco::JSON::Object;
    names->set("groups", "src1");
    overage.set("_claim_names", names);
    Poco::JSON::Object::Ptr source = new Poco::JSON::Object;
    source->set("endpoint", "https://graph.microsoft.com/v1.0/users/x/getMemberObjects");
    Poco::JSON::Object::Ptr sources = new Poco::JSON::Object;
    sources->set("src1", source);
    overage.set("_claim_sources", sources);
    idTokenIs(idToken(overage));
    auto r = signIn();
    ASSERT_TRUE(r.ok) << "overage is not a failed sign-in: " << r.error.message;
    EXPECT_TRUE(r.identity.facts.groups.empty());
    EXPECT_EQ(r.identity.facts.tenant, "72f988bf-86f1-41af-91ab-2d7cd011db47");

    auto implicit = idClaims();  // the implicit flow's form of the same
    implicit.set("hasgroups", true);
    implicit.set("groups", array({"stale-or-partial"}));
    idTokenIs(idToken(implicit));
    r = signIn();
    ASSERT_TRUE(r.ok) << r.error.message;
    EXPECT_TRUE(r.identity.facts.groups.empty());
}

TEST_F(ProxyUpstreamClient, FactClaimsTakeStringsAndStringArraysOnly) {
    auto claims = idClaims();
    claims.set("roles", array({"Admin", 7, "reader", true}));
    claims.set("department", "Engineering");
    claims.set("level", 5);
    claims.set("contractor", false);
    Poco::JSON::Object::Ptr nested = new Poco::JSON::Object;
    nested->set("x", "y");
    claims.set("org", nested);
    claims.set("empty", array({}));
    claims.set("forged", "line\nbreak");
    claims.set("unasked", "not copied");
    idTokenIs(idToken(claims));
    client([](UpstreamOptions& o) {
        o.factClaims = {"roles", "department", "level",  "contractor",
                        "org",   "empty",      "forged", "missing"};
    });
    const auto r = signIn();
    ASSERT_TRUE(r.ok) << r.error.message;
    const std::map<std::string, Strings> expected = {{"roles", {"Admin", "reader"}},
                                                     {"department", {"Engineering"}}};
    EXPECT_EQ(r.identity.facts.claims, expected);
    EXPECT_TRUE(r.identity.facts.hostedDomain.empty());
    EXPECT_TRUE(r.identity.facts.groups.empty());

    // The same from the userinfo answer to our own access token.
    server_.serve("/userinfo", 200,
                  R"({"sub":"u-1","roles":["Admin","reader",null],"department":"Engineering",
                      "level":5})");
    tokenReply(200, tokenJson(""));
    client(
        [](UpstreamOptions& o) {
            o.factClaims = {"roles", "department", "level"};
        },
        UpstreamIdentityMethod::UserInfo);
    const auto info = signIn("");
    ASSERT_TRUE(info.ok) << info.error.message;
    EXPECT_EQ(info.identity.facts.claims, expected);
    EXPECT_EQ(info.identity.facts.subject, "u-1");

    EXPECT_THROW(client([](UpstreamOptions& o) { o.factClaims = {""}; }), std::invalid_argument);
}

// ---- GitHub organisations and teams --------------------------------------------------------

namespace {

std::string teamsJson(const std::vector<std::pair<std::string, std::string>>& teams) {
    std::string out = "[";
    for (const auto& [org, slug] : teams) {
        if (out.size() > 1) out += ",";
        out += R"({"name":"x","slug":")" + slug + R"(","parent":null,"organization":{"login":")" +
               org + R"(","id":1}})";
    }
    return out + "]";
}

}  // namespace

class ProxyGitHubMemberships : public ProxyUpstreamClient {
protected:
    void SetUp() override {
        ProxyUpstreamClient::SetUp();
        tokenReply(200, tokenJson(""));
        server_.serve("/user", 200, R"({"login":"octocat","id":583231,"name":null})");
        server_.serve("/user/orgs", 200, R"([{"login":"Acme-Corp","id":1},{"login":"octo-org"}])");
        server_.serve("/user/teams", 200,
                      teamsJson({{"Acme-Corp", "Platform"}, {"octo-org", "sec_ops"}}));
    }
    UpstreamClient& gitHub(bool orgs, bool teams) {
        return client(
            [&](UpstreamOptions& o) {
                o.scopes = {"read:user", "read:org"};
                o.userInfoUrl = server_.url("/user");
                o.userOrgsUrl = server_.url("/user/orgs");
                o.userTeamsUrl = server_.url("/user/teams");
                o.readOrganizations = orgs;
                o.readTeams = teams;
                o.claims.userId = "id";
                o.claims.emailVerified.clear();
            },
            UpstreamIdentityMethod::UserInfo);
    }
};

TEST_F(ProxyGitHubMemberships, OrganisationsAndTeamsAreReadWithTheHostsTokenAndLowercased) {
    gitHub(true, true);
    const auto r = signIn("");
    ASSERT_TRUE(r.ok) << r.error.message;
    EXPECT_EQ(r.identity.facts.subject, "583231");
    EXPECT_EQ(r.identity.facts.organizations, (Strings{"acme-corp", "octo-org"}));
    EXPECT_EQ(r.identity.facts.teams, (Strings{"acme-corp/platform", "octo-org/sec_ops"}));
    for (const std::string path : {"/user/orgs", "/user/teams"}) {
        SCOPED_TRACE(path);
        const auto sent = server_.lastRequest(path);
        EXPECT_EQ(sent.method, "GET");
        EXPECT_EQ(sent.uri, path + "?per_page=100");
        EXPECT_EQ(sent.headers.at("Authorization"), "Bearer " + kAccessToken);
        EXPECT_EQ(sent.headers.at("Accept"), "application/vnd.github+json");
        EXPECT_FALSE(sent.headers.at("User-Agent").empty());  // GitHub refuses requests without
    }
}

TEST_F(ProxyGitHubMemberships, NothingIsReadUnlessAskedFor) {
    server_.serve("/user/orgs", 500, "down");
    server_.serve("/user/teams", 403, R"({"message":"no"})");
    gitHub(false, false);
    const auto r = signIn("");
    ASSERT_TRUE(r.ok) << r.error.message;
    EXPECT_TRUE(r.identity.facts.organizations.empty());
    EXPECT_TRUE(r.identity.facts.teams.empty());
    EXPECT_EQ(server_.hits("/user/orgs"), 0);
    EXPECT_EQ(server_.hits("/user/teams"), 0);

    server_.serve("/user/orgs", 200, R"([{"login":"acme"}])");
    gitHub(true, false);  // orgs only: the refusing teams endpoint is never asked
    const auto orgsOnly = signIn("");
    ASSERT_TRUE(orgsOnly.ok) << orgsOnly.error.message;
    EXPECT_EQ(orgsOnly.identity.facts.organizations, Strings{"acme"});
    EXPECT_EQ(server_.hits("/user/teams"), 0);
}

TEST_F(ProxyGitHubMemberships, AnUnreadableListFailsTheSignIn) {
    struct Case {
        const char* what;
        int status;
        std::string body;
        Kind kind;
        const char* mention;
    };
    const std::vector<Case> cases = {
        {"403 without read:org", 403, R"({"message":"Resource not accessible"})", Kind::BadIdentity,
         "/user/orgs failed: HTTP 403"},
        {"401", 401, R"({"message":"Bad credentials"})", Kind::BadIdentity, "HTTP 401"},
        {"500", 500, "oops", Kind::Unavailable, "/user/orgs failed: HTTP 500"},
        {"502", 502, "<html>", Kind::Unavailable, "HTTP 502"},
        {"garbage", 200, "<html>not json</html>", Kind::BadIdentity, "/user/orgs answer"},
        {"an object", 200, R"({"login":"acme"})", Kind::BadIdentity, "/user/orgs answer"},
        {"too deep", 200, std::string(40, '[') + std::string(40, ']'), Kind::BadIdentity,
         "/user/orgs answer"},
        {"entry without login", 200, R"([{"login":"acme"},{"id":2}])", Kind::BadIdentity,
         "/user/orgs entry 1"},
        {"login not a string", 200, R"([{"login":7}])", Kind::BadIdentity, "entry 0"},
        {"login with a slash", 200, R"([{"login":"a/b"}])", Kind::BadIdentity, "entry 0"},
        {"entry not an object", 200, R"(["acme"])", Kind::BadIdentity, "entry 0"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        server_.serve("/user/orgs", c.status, c.body);
        gitHub(true, false);
        const std::string message = expectFailure(c.kind, c.mention);
        EXPECT_EQ(message.find(kAccessToken), std::string::npos) << message;
    }
    // A transport failure is Unavailable too.
    gitHub(true, false);
    server_.stop();
    expectFailure(Kind::Unavailable);
}

TEST_F(ProxyGitHubMemberships, ATeamWithoutItsOrganisationFailsTheSignIn) {
    server_.serve("/user/teams", 200, R"([{"slug":"platform"}])");
    gitHub(false, true);
    expectFailure(Kind::BadIdentity, "/user/teams entry 0");
    server_.serve("/user/teams", 503, "");
    expectFailure(Kind::Unavailable, "/user/teams failed: HTTP 503");
}

TEST_F(ProxyGitHubMemberships, TeamsFollowPagesUpToTheCap) {
    // GitHub gives at most 100 a page; a full page means there may be another.
    std::vector<std::pair<std::string, std::string>> page1, page2;
    for (int i = 0; i < 100; ++i) page1.emplace_back("acme", "team-" + std::to_string(i));
    page2.emplace_back("acme", "last");
    server_.route("/user/teams", [=](const TestHttpServer::Request& request) {
        const bool second = request.uri.find("page=2") != std::string::npos;
        return TestHttpServer::Reply{200, teamsJson(second ? page2 : page1)};
    });
    gitHub(false, true);
    auto r = signIn("");
    ASSERT_TRUE(r.ok) << r.error.message;
    ASSERT_EQ(r.identity.facts.teams.size(), 101u);
    EXPECT_EQ(r.identity.facts.teams.back(), "acme/last");
    EXPECT_EQ(server_.hits("/user/teams"), 2);
    EXPECT_EQ(server_.lastRequest("/user/teams").uri, "/user/teams?per_page=100&page=2");

    // Every page full: three pages (300 teams) are read, and no more.
    server_.route("/user/teams", [=](const TestHttpServer::Request&) {
        return TestHttpServer::Reply{200, teamsJson(page1)};
    });
    r = signIn("");
    ASSERT_TRUE(r.ok) << r.error.message;
    EXPECT_EQ(r.identity.facts.teams.size(), 100u);  // the same 100, once each
    EXPECT_EQ(server_.hits("/user/teams"), 2 + 3);
}

TEST_F(ProxyGitHubMemberships, AskingWithoutAUrlOrWithAJwtMethodIsRefused) {
    EXPECT_THROW(client(
                     [](UpstreamOptions& o) {
                         o.readOrganizations = true;
                         o.userOrgsUrl.clear();
                     },
                     UpstreamIdentityMethod::UserInfo),
                 std::invalid_argument);
    EXPECT_THROW(client(
                     [this](UpstreamOptions& o) {
                         o.readTeams = true;
                         o.userTeamsUrl = server_.url("/user/teams");
                     },
                     UpstreamIdentityMethod::IdToken),
                 std::invalid_argument);
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
