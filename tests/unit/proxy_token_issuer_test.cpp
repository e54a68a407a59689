// SigningKey and TokenIssuer, verified end to end by the library's own JwtVerifier reading the
// host's JWKS from a real local HTTP server (127.0.0.1, ephemeral port).
#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <Poco/JSON/Parser.h>

#include "auth_test_support.h"
#include "mcphost/auth/Base64Url.h"
#include "mcphost/auth/JwtVerifier.h"
#include "mcphost/auth/PocoHttpFetcher.h"
#include "mcphost/auth/server/LocalJwksFetcher.h"
#include "mcphost/auth/server/SigningKey.h"
#include "mcphost/auth/server/TokenIssuer.h"
#include "proxy_test_support.h"

using namespace mcph::auth;
using namespace mcph::auth::server;
using namespace std::chrono_literals;

namespace {

const std::string kIssuer = "https://mcp.example.com";
const std::string kAudience = "https://mcp.example.com/mcp";

Poco::JSON::Object::Ptr parse(const std::string& json) {
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

// The JWT payload, decoded independently of the issuer.
Poco::JSON::Object::Ptr payloadOf(const std::string& jwt) {
    const auto a = jwt.find('.'), b = jwt.rfind('.');
    return parse(*Base64Url::decode(jwt.substr(a + 1, b - a - 1)));
}
Poco::JSON::Object::Ptr headerOf(const std::string& jwt) { return parse(*Base64Url::decode(jwt.substr(0, jwt.find('.')))); }

class ProxyTokenIssuer : public ::testing::Test {
protected:
    void SetUp() override {
        key_ = std::make_shared<SigningKey>(SigningKey::generate());
        server_.serve("/.well-known/jwks.json", 200, key_->jwksJson());
    }
    TokenIssuer issuer(std::chrono::seconds lifetime = 3600s) {
        TokenIssuerOptions o;
        o.issuer = kIssuer;
        o.audience = kAudience;
        o.lifetime = lifetime;
        o.now = clock_.fn();
        return TokenIssuer(key_, o);
    }
    JwtVerifier& verifier(const std::string& audience = kAudience) {
        JwksOptions jo;
        jo.jwksUri = server_.url("/.well-known/jwks.json");
        jo.now = clock_.fn();
        JwtVerifierOptions vo;
        vo.issuer = kIssuer;
        vo.audience = audience;
        vo.allowedAlgorithms = {"ES256"};
        vo.cacheCapacity = 0;
        vo.now = clock_.fn();
        verifier_ = std::make_unique<JwtVerifier>(std::make_shared<JwksKeySet>(std::make_shared<PocoHttpFetcher>(), jo), vo);
        return *verifier_;
    }
    static AccessTokenClaims claims() { return {"user-1", "u1@example.com", "User One", "client-1", {"mcp:read", "mcp:write"}}; }

    authtest::TestHttpServer server_;
    authtest::ManualClock clock_;
    std::shared_ptr<SigningKey> key_;
    std::unique_ptr<JwtVerifier> verifier_;
};

}  // namespace

TEST_F(ProxyTokenIssuer, IssuedTokenVerifiesWithTheHostsOwnJwtVerifier) {
    const auto issued = issuer().issue(claims());
    const auto r = verifier().verify(issued.token);
    ASSERT_TRUE(r.context) << r.error;
    EXPECT_EQ(r.context->userId, "user-1");
    EXPECT_EQ(r.context->issuer, kIssuer);
    EXPECT_EQ(r.context->email, "u1@example.com");
    EXPECT_EQ(r.context->name, "User One");
    EXPECT_EQ(r.context->clientId, "client-1");
    EXPECT_EQ(r.context->scopes, (std::vector<std::string>{"mcp:read", "mcp:write"}));
    EXPECT_EQ(server_.hits("/.well-known/jwks.json"), 1);
}

TEST_F(ProxyTokenIssuer, ClaimsAndHeaderAreRfc9068) {
    const auto issued = issuer(900s).issue(claims());
    const auto h = headerOf(issued.token);
    EXPECT_EQ(h->getValue<std::string>("alg"), "ES256");
    EXPECT_EQ(h->getValue<std::string>("typ"), "at+jwt");
    EXPECT_EQ(h->getValue<std::string>("kid"), key_->kid());
    const auto p = payloadOf(issued.token);
    EXPECT_EQ(p->getValue<std::string>("iss"), kIssuer);
    EXPECT_EQ(p->getValue<std::string>("aud"), kAudience);
    EXPECT_EQ(p->getValue<std::string>("scope"), "mcp:read mcp:write");
    EXPECT_EQ(p->getValue<std::string>("jti"), issued.jti);
    EXPECT_EQ(p->getValue<long long>("iat"), clock_.epoch());
    EXPECT_EQ(p->getValue<long long>("exp"), clock_.epoch() + 900);
    EXPECT_EQ(issued.expiresIn, 900);
    EXPECT_NE(issuer().issue(claims()).jti, issued.jti);
}

TEST_F(ProxyTokenIssuer, EmptyEmailAndNameAreOmittedNotEmpty) {
    auto c = claims();
    c.email.clear();
    c.name.clear();
    c.scopes.clear();
    const auto p = payloadOf(issuer().issue(c).token);
    EXPECT_FALSE(p->has("email"));
    EXPECT_FALSE(p->has("name"));
    EXPECT_EQ(p->getValue<std::string>("scope"), "");
    EXPECT_TRUE(verifier().verify(issuer().issue(c).token).context);
}

TEST_F(ProxyTokenIssuer, ExpiredWrongAudienceAndForeignKeyAreRejected) {
    const auto token = issuer(600s).issue(claims()).token;
    EXPECT_FALSE(verifier("https://other.example.com/mcp").verify(token).context);
    clock_.advance(600s + 61s);  // past exp and the verifier's 60 s leeway
    EXPECT_FALSE(verifier().verify(token).context);
    // A token signed by another key of ours that is not in the published JWKS.
    TokenIssuerOptions o;
    o.issuer = kIssuer;
    o.audience = kAudience;
    o.now = clock_.fn();
    const auto foreign = TokenIssuer(std::make_shared<SigningKey>(SigningKey::generate()), o).issue(claims()).token;
    EXPECT_FALSE(verifier().verify(foreign).context);
    // A flipped signature byte.
    auto good = issuer().issue(claims()).token;
    EXPECT_TRUE(verifier().verify(good).context);
    good[good.size() - 5] = good[good.size() - 5] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(verifier().verify(good).context);
}

TEST_F(ProxyTokenIssuer, RefusesTokensNobodyOwnsAndBadOptions) {
    auto c = claims();
    c.subject.clear();
    EXPECT_THROW(issuer().issue(c), std::invalid_argument);
    c = claims();
    c.clientId.clear();
    EXPECT_THROW(issuer().issue(c), std::invalid_argument);
    TokenIssuerOptions o;
    o.issuer = kIssuer;
    EXPECT_THROW(TokenIssuer(key_, o), std::invalid_argument);
    o.audience = kAudience;
    EXPECT_THROW(TokenIssuer(nullptr, o), std::invalid_argument);
}

TEST_F(ProxyTokenIssuer, VerifiesInProcessThroughTheLocalJwksFetcher) {
    const std::string jwksUrl = kIssuer + "/.well-known/jwks.json";
    JwksOptions jo;
    jo.jwksUri = jwksUrl;
    jo.now = clock_.fn();
    JwtVerifierOptions vo;
    vo.issuer = kIssuer;
    vo.audience = kAudience;
    vo.allowedAlgorithms = {"ES256"};
    vo.now = clock_.fn();
    auto fetcher = std::make_shared<LocalJwksFetcher>(jwksUrl, key_->jwksJson());
    JwtVerifier local(std::make_shared<JwksKeySet>(fetcher, jo), vo);
    const auto r = local.verify(issuer().issue(claims()).token);
    ASSERT_TRUE(r.context) << r.error;
    EXPECT_EQ(r.context->userId, "user-1");
    EXPECT_EQ(server_.hits("/.well-known/jwks.json"), 0);  // no HTTP at all
    EXPECT_FALSE(fetcher->get(kIssuer + "/other").ok());
    EXPECT_FALSE(fetcher->postForm(jwksUrl, "a=b").ok());
}

TEST(ProxySigningKey, KidIsTheRfc7638Thumbprint) {
    const auto key = SigningKey::generate();
    const auto jwk = key.publicJwk();
    EXPECT_EQ(jwk->getValue<std::string>("kty"), "EC");
    EXPECT_EQ(jwk->getValue<std::string>("crv"), "P-256");
    EXPECT_EQ(jwk->getValue<std::string>("alg"), "ES256");
    EXPECT_EQ(jwk->getValue<std::string>("use"), "sig");
    EXPECT_FALSE(jwk->has("d"));
    const std::string x = jwk->getValue<std::string>("x"), y = jwk->getValue<std::string>("y");
    EXPECT_EQ(Base64Url::decode(x)->size(), 32u);
    EXPECT_EQ(Base64Url::decode(y)->size(), 32u);
    // Computed here from the published members with OpenSSL directly.
    const std::string canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}";
    unsigned char md[32];
    unsigned int len = 0;
    EVP_Digest(canonical.data(), canonical.size(), md, &len, EVP_sha256(), nullptr);
    EXPECT_EQ(key.kid(), authtest::b64url(std::string(reinterpret_cast<char*>(md), len)));
    EXPECT_EQ(jwk->getValue<std::string>("kid"), key.kid());
    // The JWKS parses with the library's own parser and yields that one key.
    std::size_t skipped = 0;
    std::string error;
    const auto keys = JwksKeySet::parse(key.jwksJson(), &skipped, error);
    ASSERT_TRUE(keys) << error;
    EXPECT_EQ(keys->size(), 1u);
    EXPECT_EQ(keys->count(key.kid()), 1u);
    EXPECT_EQ(skipped, 0u);
}

TEST(ProxySigningKey, PemRoundTripKeepsTheKey) {
    const auto key = SigningKey::generate();
    const auto pem = key.privatePem();
    EXPECT_NE(pem.find("BEGIN PRIVATE KEY"), std::string::npos);
    std::string error;
    const auto again = SigningKey::fromPem(pem, error);
    ASSERT_TRUE(again) << error;
    EXPECT_EQ(again->kid(), key.kid());
    EXPECT_NE(SigningKey::generate().kid(), key.kid());
}

TEST(ProxySigningKey, RefusesAnythingButAP256PrivateKey) {
    std::string error;
    EXPECT_FALSE(SigningKey::fromPem("", error));
    EXPECT_FALSE(SigningKey::fromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", error));
    const auto rsa = authtest::TestKey::rsa("r");
    const auto p384 = authtest::TestKey::ec("e", "P-384");
    for (const auto* k : {&rsa, &p384}) {
        BIO* bio = BIO_new(BIO_s_mem());
        PEM_write_bio_PrivateKey(bio, k->pkey.get(), nullptr, nullptr, 0, nullptr, nullptr);
        char* data = nullptr;
        const long len = BIO_get_mem_data(bio, &data);
        const std::string pem(data, static_cast<std::size_t>(len));
        BIO_free(bio);
        error.clear();
        EXPECT_FALSE(SigningKey::fromPem(pem, error));
        EXPECT_NE(error.find("P-256"), std::string::npos) << error;
    }
    // A public key is not a signing key.
    EXPECT_FALSE(SigningKey::fromPem(authtest::TestKey::ec("p", "P-256").publicPem(), error));
}

TEST(ProxySigningKey, LoadOrCreatePersistsOneKeyAcrossRestarts) {
    proxytest::TempDir dir;
    const auto path = dir.file("proxy.db");
    std::string kid;
    {
        auto store = proxytest::openStore(path);
        kid = SigningKey::loadOrCreate(*store).kid();
        EXPECT_EQ(SigningKey::loadOrCreate(*store).kid(), kid);
    }
    auto store = proxytest::openStore(path);
    EXPECT_EQ(SigningKey::loadOrCreate(*store).kid(), kid);
}

TEST(ProxySigningKey, LoadOrCreateRefusesToReplaceAnUnusableStoredKey) {
    proxytest::TempDir dir;
    auto store = proxytest::openStore(dir.file("proxy.db"));
    store->storeSigningKeyIfAbsent("garbage");
    EXPECT_THROW(SigningKey::loadOrCreate(*store), std::runtime_error);
    EXPECT_EQ(store->loadSigningKey(), std::optional<std::string>("garbage"));
}
