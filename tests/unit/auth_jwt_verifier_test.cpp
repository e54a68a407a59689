// JwtVerifier against real keys, real signatures and a real JWKS server: the happy paths and
// an adversarial token set (RFC 8725).
#include <stdexcept>

#include "auth_jwt_fixture.h"

using namespace authtest;
using mcph::auth::JwtVerifierOptions;

namespace {

class JwtVerifierTest : public JwtFixture {};

std::string flipChar(std::string s, std::size_t pos) {
    s[pos] = s[pos] == 'A' ? 'B' : 'A';
    return s;
}

}  // namespace

TEST_F(JwtVerifierTest, AcceptsRs256AndMapsClaims) {
    const auto r = verifier().verify(token("RS256"));
    ASSERT_TRUE(r.context) << r.error;
    EXPECT_TRUE(r.context->authenticated);
    EXPECT_EQ(r.context->userId, "user-1");
    EXPECT_EQ(r.context->issuer, issuer_);
    EXPECT_EQ(r.context->email, "u1@example.com");
    EXPECT_EQ(r.context->clientId, "client-9");
    EXPECT_EQ(r.context->scopes, (std::vector<std::string>{"mcp:read", "mcp:write"}));
}

TEST_F(JwtVerifierTest, AcceptsEs256) { expectAccepted(token("ES256")); }

TEST_F(JwtVerifierTest, EveryAllowedAlgorithmVerifies) {
    verifier([](JwtVerifierOptions& o) {
        o.allowedAlgorithms = {"RS256", "RS384", "RS512", "PS256",
                               "PS384", "PS512", "ES256", "ES384"};
    });
    for (const std::string alg : {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}) {
        SCOPED_TRACE(alg);
        expectAccepted(token(alg, keys().rsa1, claims()));
    }
    expectAccepted(token("ES256", keys().ec256, claims()));
    expectAccepted(token("ES384", keys().ec384, claims()));
}

TEST_F(JwtVerifierTest, RejectsAlgNoneInEveryCase) {
    for (const std::string alg : {"none", "None", "NONE", "nOnE"}) {
        SCOPED_TRACE(alg);
        const std::string unsignedJwt =
            b64url(header(alg, "rsa-1")) + "." + b64url(toJson(claims())) + ".";
        expectRejected(unsignedJwt, "");
        // The same with a real RS256 signature glued on: the header still says none.
        const std::string input = b64url(header(alg, "rsa-1")) + "." + b64url(toJson(claims()));
        expectRejected(input + "." + b64url(signBytes("RS256", keys().rsa1, input)),
                       "algorithm not allowed");
    }
}

TEST_F(JwtVerifierTest, RejectsHs256KeyedWithThePublicKey) {
    // The classic confusion: HMAC keyed with the RSA public key the verifier knows.
    const std::string pem = keys().rsa1.publicPem();
    expectRejected(hs256Jwt(pem, header("HS256", "rsa-1"), toJson(claims())),
                   "algorithm not allowed");
    expectRejected(hs256Jwt(keys().rsa1.jwk(), header("HS256", "rsa-1"), toJson(claims())),
                   "algorithm not allowed");
    // And no configuration can allow it.
    EXPECT_THROW(verifier([](JwtVerifierOptions& o) { o.allowedAlgorithms = {"HS256"}; }),
                 std::invalid_argument);
    EXPECT_THROW(verifier([](JwtVerifierOptions& o) { o.allowedAlgorithms = {"none"}; }),
                 std::invalid_argument);
}

TEST_F(JwtVerifierTest, RejectsAlgorithmOutsideTheAllowList) {
    expectRejected(token("RS384", keys().rsa1, claims()), "algorithm not allowed");
    expectRejected(token("PS256", keys().rsa1, claims()), "algorithm not allowed");
    // Case matters: "rs256" is not RS256.
    const std::string input = b64url(header("rs256", "rsa-1")) + "." + b64url(toJson(claims()));
    expectRejected(input + "." + b64url(signBytes("RS256", keys().rsa1, input)),
                   "algorithm not allowed");
}

TEST_F(JwtVerifierTest, RejectsKeyTypeConfusion) {
    // RS256 naming the EC key's kid (signed with an RSA key the attacker holds).
    const std::string input = b64url(header("RS256", "ec-256")) + "." + b64url(toJson(claims()));
    expectRejected(input + "." + b64url(signBytes("RS256", keys().attacker, input)),
                   "does not match its signing key");
    // ES256 naming an RSA kid, and ES256 naming the P-384 key.
    const std::string es = b64url(header("ES256", "rsa-1")) + "." + b64url(toJson(claims()));
    expectRejected(es + "." + b64url(signBytes("ES256", keys().ec256, es)),
                   "does not match its signing key");
    verifier([](JwtVerifierOptions& o) { o.allowedAlgorithms = {"ES256", "ES384"}; });
    const std::string curve = b64url(header("ES256", "ec-384")) + "." + b64url(toJson(claims()));
    expectRejected(curve + "." + b64url(signBytes("ES256", keys().ec256, curve)),
                   "does not match its signing key");
}

TEST_F(JwtVerifierTest, JwkAlgPinsTheKeyToOneAlgorithm) {
    publish({keys().rsa1.jwk({{"alg", "RS256"}})});
    verifier([](JwtVerifierOptions& o) { o.allowedAlgorithms = {"RS256", "PS256"}; });
    expectAccepted(token("RS256", keys().rsa1, claims()));
    expectRejected(token("PS256", keys().rsa1, claims()), "does not match its signing key");
}

TEST_F(JwtVerifierTest, RejectsExpiredTokens) {
    auto c = claims();
    c.set("exp", clock_.epoch() - 61);  // beyond the 60 s leeway
    expectRejected(token("RS256", keys().rsa1, c), "token expired");
    c.set("exp", clock_.epoch() - 30);  // within it
    expectAccepted(token("RS256", keys().rsa1, c));
}

TEST_F(JwtVerifierTest, RejectsNbfAndIatInTheFuture) {
    auto c = claims();
    c.set("nbf", clock_.epoch() + 120);
    expectRejected(token("RS256", keys().rsa1, c), "not yet valid");
    c = claims();
    c.set("iat", clock_.epoch() + 120);
    expectRejected(token("RS256", keys().rsa1, c), "issued in the future");
    c = claims();
    c.set("nbf", clock_.epoch() + 30);  // clock skew within leeway
    c.set("iat", clock_.epoch() + 30);
    expectAccepted(token("RS256", keys().rsa1, c));
}

TEST_F(JwtVerifierTest, RequiresANumericExp) {
    auto c = claims();
    c.remove("exp");
    expectRejected(token("RS256", keys().rsa1, c), "no expiry");
    c.set("exp", std::to_string(clock_.epoch() + 600));
    expectRejected(token("RS256", keys().rsa1, c), "malformed");
    c.set("exp", true);
    expectRejected(token("RS256", keys().rsa1, c), "malformed");
}

TEST_F(JwtVerifierTest, RequiresANonEmptyStringSub) {
    auto c = claims();
    c.remove("sub");
    expectRejected(token("RS256", keys().rsa1, c), "no subject");
    c.set("sub", "");
    expectRejected(token("RS256", keys().rsa1, c), "no subject");
    c.set("sub", 42);
    expectRejected(token("RS256", keys().rsa1, c), "no subject");
}

TEST_F(JwtVerifierTest, RequiresTheExactIssuer) {
    auto c = claims();
    c.set("iss", issuer_ + "/");
    expectRejected(token("RS256", keys().rsa1, c), "issuer");
    c.set("iss", "https://evil.example.com/realms/test");
    expectRejected(token("RS256", keys().rsa1, c), "issuer");
    c.remove("iss");
    expectRejected(token("RS256", keys().rsa1, c), "issuer");
}

TEST_F(JwtVerifierTest, ChecksTheAudience) {
    auto c = claims();
    c.set("aud", "https://other.example.com/mcp");
    expectRejected(token("RS256", keys().rsa1, c), "not issued for this resource");
    c.remove("aud");
    expectRejected(token("RS256", keys().rsa1, c), "no audience");
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    list->add("account");
    list->add(std::string(kAudience));
    c.set("aud", list);
    expectAccepted(token("RS256", keys().rsa1, c));
    Poco::JSON::Array::Ptr others = new Poco::JSON::Array;
    others->add("account");
    others->add("https://mcp.example.com/mcp2");
    c.set("aud", others);
    expectRejected(token("RS256", keys().rsa1, c), "not issued for this resource");
}

TEST_F(JwtVerifierTest, AudienceIsComparedAfterNormalisation) {
    for (const std::string aud :
         {"https://MCP.Example.COM/mcp", "HTTPS://mcp.example.com/mcp",
          "https://mcp.example.com:443/mcp", "https://mcp.example.com/mcp/",
          "https://mcp.example.com/mcp?kb_name=x", "https://mcp.example.com/mcp#frag"}) {
        SCOPED_TRACE(aud);
        auto c = claims();
        c.set("aud", aud);
        expectAccepted(token("RS256", keys().rsa1, c));
    }
    for (const std::string aud :
         {"https://mcp.example.com/MCP", "http://mcp.example.com/mcp",
          "https://mcp.example.com:8443/mcp", "https://mcp.example.com", "mcp.example.com/mcp"}) {
        SCOPED_TRACE(aud);
        auto c = claims();
        c.set("aud", aud);
        expectRejected(token("RS256", keys().rsa1, c), "not issued for this resource");
    }
}

TEST_F(JwtVerifierTest, RefusesOversizedTokensBeforeDecoding) {
    auto c = claims();
    c.set("pad", std::string(17 * 1024, 'x'));
    const std::string big = token("RS256", keys().rsa1, c);
    expectRejected(big, "too large");
    EXPECT_EQ(jwksHits(), 0) << "an oversized token must not even reach the key set";
    expectRejected(std::string(16 * 1024 + 1, 'a'), "too large");
}

TEST_F(JwtVerifierTest, RequiresExactlyThreeSegments) {
    const std::string good = token();
    const auto dot2 = good.rfind('.');
    expectRejected(good.substr(0, dot2), "three segments");
    expectRejected(good + ".", "three segments");
    expectRejected(good + "." + good.substr(dot2 + 1), "three segments");
    expectRejected(good + ".a.b", "three segments");  // JWE-shaped
    expectRejected("..", "empty segment");
    expectRejected(good.substr(0, dot2 + 1), "empty segment");
}

TEST_F(JwtVerifierTest, RefusesBadBase64AndTrailingGarbage) {
    const std::string good = token();
    const auto dot1 = good.find('.');
    expectRejected(good.substr(0, dot1) + "=" + good.substr(dot1), "base64url");  // padding
    expectRejected(good.substr(0, dot1) + " " + good.substr(dot1), "base64url");  // whitespace
    expectRejected("+" + good.substr(1), "base64url");  // base64, not base64url
    expectRejected(good.substr(0, dot1) + "\n" + good.substr(dot1), "base64url");
    expectRejected(good + " ", "base64url");
    expectRejected(good + "A", "");  // longer signature: a bad length or a bad signature
    expectRejected(good + "AAAA", "signature is invalid");
    EXPECT_TRUE(verifier().verify(good).context) << "the untouched token still verifies";
}

TEST_F(JwtVerifierTest, RejectsTamperedPayloadAndSignature) {
    const std::string good = token();
    const auto dot1 = good.find('.');
    const auto dot2 = good.rfind('.');
    auto c = claims();
    c.set("sub", "admin");
    const std::string forged = good.substr(0, dot1) + "." + b64url(toJson(c)) + good.substr(dot2);
    expectRejected(forged, "signature is invalid");
    expectRejected(flipChar(good, dot2 + 10), "signature is invalid");
    expectRejected(flipChar(good, dot1 + 10), "");  // payload bit flip: bad JSON or bad signature
    const std::string es = token("ES256");
    expectRejected(flipChar(es, es.rfind('.') + 5), "signature is invalid");
}

TEST_F(JwtVerifierTest, RefusesCriticalHeaderParameters) {
    expectRejected(token("RS256", keys().rsa1, claims(), "\"crit\":[\"exp\"],\"exp\":1"),
                   "critical");
    expectRejected(token("RS256", keys().rsa1, claims(), "\"crit\":[\"b64\"],\"b64\":false"),
                   "critical");
}

TEST_F(JwtVerifierTest, IgnoresKeysOfferedByTheTokenItself) {
    server_.serve("/attacker-jwks", 200, jwks({keys().attacker.jwk()}));
    const std::string attackerJwk = keys().attacker.jwk();
    const std::string jku = "\"jku\":\"" + server_.url("/attacker-jwks") + "\"";
    const std::string x5u = "\"x5u\":\"" + server_.url("/attacker-jwks") + "\"";
    // Signed by the attacker, naming the attacker's kid and pointing at the attacker's key.
    expectRejected(token("RS256", keys().attacker, claims(), jku), "unknown key");
    expectRejected(token("RS256", keys().attacker, claims(), "\"jwk\":" + attackerJwk),
                   "unknown key");
    expectRejected(token("RS256", keys().attacker, claims(), x5u), "unknown key");
    expectRejected(token("RS256", keys().attacker, claims(), "\"x5c\":[\"MIIB\"]"), "unknown key");
    // Signed by the attacker but naming our kid: the embedded key is not used either.
    const std::string ours =
        b64url(header("RS256", "rsa-1", "\"jwk\":" + attackerJwk + "," + jku)) + "." +
        b64url(toJson(claims()));
    expectRejected(ours + "." + b64url(signBytes("RS256", keys().attacker, ours)),
                   "signature is invalid");
    EXPECT_EQ(server_.hits("/attacker-jwks"), 0);
}

TEST_F(JwtVerifierTest, RejectsDerEncodedEcdsaSignatures) {
    const std::string der =
        signJwt("ES256", keys().ec256, header("ES256", "ec-256"), toJson(claims()), EcFormat::Der);
    expectRejected(der, "signature is invalid");
}

TEST_F(JwtVerifierTest, ChecksTyp) {
    for (const std::string typ : {"at+jwt", "application/at+jwt", "JWT", "AT+JWT"}) {
        SCOPED_TRACE(typ);
        expectAccepted(signJwt("RS256", keys().rsa1,
                               "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"typ\":\"" + typ + "\"}",
                               toJson(claims())));
    }
    expectAccepted(
        signJwt("RS256", keys().rsa1, "{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", toJson(claims())));
    const std::string idToken = "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"typ\":\"dpop+jwt\"}";
    expectRejected(signJwt("RS256", keys().rsa1, idToken, toJson(claims())), "typ");
    verifier([](JwtVerifierOptions& o) { o.checkTyp = false; });
    expectAccepted(signJwt("RS256", keys().rsa1, idToken, toJson(claims())));
}

TEST_F(JwtVerifierTest, RequiresAKid) {
    expectRejected(signJwt("RS256", keys().rsa1, "{\"alg\":\"RS256\"}", toJson(claims())),
                   "no key id");
}

TEST_F(JwtVerifierTest, CacheHitSkipsTheSignatureCheck) {
    auto& v = verifier();
    const std::string jwt = token();
    ASSERT_TRUE(v.verify(jwt).context);
    ASSERT_TRUE(v.verify(jwt).context);
    ASSERT_TRUE(v.verify(jwt).context);
    EXPECT_EQ(v.signatureChecks(), 1u);
    ASSERT_TRUE(v.verify(token()).context);  // another token is checked
    EXPECT_EQ(v.signatureChecks(), 2u);
}

TEST_F(JwtVerifierTest, CachedTokenIsRejectedAfterItsExpiry) {
    auto& v = verifier();
    auto c = claims();
    c.set("exp", clock_.epoch() + 120);
    const std::string jwt = token("RS256", keys().rsa1, c);
    ASSERT_TRUE(v.verify(jwt).context);
    clock_.advance(std::chrono::seconds(100));
    ASSERT_TRUE(v.verify(jwt).context);
    EXPECT_EQ(v.signatureChecks(), 1u);
    clock_.advance(std::chrono::seconds(100));  // exp + 80 s: past the 60 s leeway
    const auto r = v.verify(jwt);
    EXPECT_FALSE(r.context);
    EXPECT_NE(r.error.find("expired"), std::string::npos) << r.error;
}

TEST_F(JwtVerifierTest, CacheIsBounded) {
    auto& v = verifier([](JwtVerifierOptions& o) { o.cacheCapacity = 2; });
    const std::string a = token(), b = token(), c = token();
    ASSERT_TRUE(v.verify(a).context);
    ASSERT_TRUE(v.verify(b).context);
    ASSERT_TRUE(v.verify(c).context);  // evicts a
    ASSERT_TRUE(v.verify(c).context);
    EXPECT_EQ(v.signatureChecks(), 3u);
    ASSERT_TRUE(v.verify(a).context);
    EXPECT_EQ(v.signatureChecks(), 4u);
}

TEST_F(JwtVerifierTest, RefusesIncompleteConfiguration) {
    EXPECT_THROW(verifier([](JwtVerifierOptions& o) { o.issuer.clear(); }), std::invalid_argument);
    EXPECT_THROW(verifier([](JwtVerifierOptions& o) { o.audience.clear(); }),
                 std::invalid_argument);
    EXPECT_THROW(verifier([](JwtVerifierOptions& o) { o.allowedAlgorithms.clear(); }),
                 std::invalid_argument);
}
