// JwksKeySet: lazy loading, refetch on unknown kid limited by the cooldown, rotation, outages,
// and which JWKs are usable at all. Requests are counted at a real local server.
#include <atomic>
#include <thread>

#include "auth_jwt_fixture.h"
#include "mcphost/auth/JsonFields.h"
#include "mcphost/auth/PublicKey.h"

using namespace authtest;
using mcph::auth::JwksKeySet;
using mcph::auth::PublicKey;

namespace {

class JwksKeySetTest : public JwtFixture {};

std::size_t usableKeys(const std::string& jwksJson, std::size_t* skipped = nullptr) {
    std::string error;
    const auto parsed = JwksKeySet::parse(jwksJson, skipped, error);
    return parsed ? parsed->size() : 0;
}

}  // namespace

TEST_F(JwksKeySetTest, LoadsLazilyOnFirstUse) {
    verifier();
    EXPECT_EQ(jwksHits(), 0);
    expectAccepted(token());
    expectAccepted(token("ES256"));
    EXPECT_EQ(jwksHits(), 1);
}

TEST_F(JwksKeySetTest, UnknownKidRefetchesAtMostOncePerCooldown) {
    expectAccepted(token());
    ASSERT_EQ(jwksHits(), 1);
    // Within the cooldown of the initial fetch: no refetch at all.
    expectRejected(token("RS256", keys().attacker, claims()), "unknown key");
    EXPECT_EQ(jwksHits(), 1);
    clock_.advance(std::chrono::seconds(31));
    expectRejected(token("RS256", keys().attacker, claims()), "unknown key");
    EXPECT_EQ(jwksHits(), 2);
    expectRejected(token("RS256", keys().attacker, claims()), "unknown key");
    expectRejected(token("RS256", keys().rsa2, claims()), "unknown key");
    EXPECT_EQ(jwksHits(), 2) << "a second unknown kid within the cooldown must not refetch";
    clock_.advance(std::chrono::seconds(31));
    expectRejected(token("RS256", keys().attacker, claims()), "unknown key");
    EXPECT_EQ(jwksHits(), 3);
}

TEST_F(JwksKeySetTest, RotationIsPickedUpByTheRefetch) {
    expectAccepted(token());
    const std::string rotated = token("RS256", keys().rsa2, claims());
    clock_.advance(std::chrono::seconds(31));
    publish({keys().rsa2.jwk(), keys().ec256.jwk()});  // rsa-1 withdrawn, rsa-2 new
    expectAccepted(rotated);
    EXPECT_EQ(jwksHits(), 2);
    expectRejected(token(), "unknown key");  // rsa-1 is gone with the new set
}

TEST_F(JwksKeySetTest, CachedKeysSurviveAJwksOutage) {
    expectAccepted(token());
    server_.stop();
    clock_.advance(std::chrono::seconds(31));
    expectAccepted(token());  // a new token, same cached key
    expectRejected(token("RS256", keys().rsa2, claims()), "unknown key");  // refetch fails...
    expectAccepted(token());                                               // ...and keeps the keys
    clock_.advance(std::chrono::hours(2));  // past maxAge: refresh fails, keys still used
    expectAccepted(token());
    expectAccepted(token("ES256"));
}

TEST_F(JwksKeySetTest, FailsClosedWhenKeysNeverLoadedAndRetriesAfterCooldown) {
    server_.serve("/jwks", 503, "{}");
    auto r = verifier().verify(token());
    EXPECT_FALSE(r.context);
    EXPECT_TRUE(r.unavailable);
    EXPECT_NE(r.error.find("unavailable"), std::string::npos) << r.error;
    EXPECT_NE(keySet_->lastError().find("HTTP 503"), std::string::npos) << keySet_->lastError();
    EXPECT_EQ(r.error.find("127.0.0.1"), std::string::npos) << "clients are not told internal URLs";
    r = verifier().verify(token());
    EXPECT_FALSE(r.context);
    EXPECT_EQ(jwksHits(), 1) << "retry only after the cooldown";
    publish({keys().rsa1.jwk()});
    clock_.advance(std::chrono::seconds(31));
    expectAccepted(token());
    EXPECT_EQ(jwksHits(), 2);
}

TEST_F(JwksKeySetTest, AnEmptyOrBrokenSetDoesNotReplaceGoodKeys) {
    expectAccepted(token());
    server_.serve("/jwks", 200, "{\"keys\":[]}");
    clock_.advance(std::chrono::seconds(31));
    expectRejected(token("RS256", keys().rsa2, claims()), "unknown key");
    EXPECT_EQ(jwksHits(), 2);
    expectAccepted(token());
    server_.serve("/jwks", 200, "<html>");
    clock_.advance(std::chrono::seconds(31));
    expectRejected(token("RS256", keys().rsa2, claims()), "unknown key");
    expectAccepted(token());
}

TEST_F(JwksKeySetTest, StaleKeysAreRefreshedAfterMaxAge) {
    expectAccepted(token());
    publish({keys().rsa2.jwk()});  // the issuer withdrew rsa-1
    clock_.advance(std::chrono::seconds(3601));
    expectRejected(token(), "unknown key");
    EXPECT_EQ(jwksHits(), 2);
}

TEST_F(JwksKeySetTest, ConcurrentColdLookupsShareOneFetch) {
    auto gate = std::make_shared<Gate>();
    const std::string body = jwks({keys().rsa1.jwk()});
    server_.route("/jwks", [gate, body](const TestHttpServer::Request&) {
        gate->wait();
        return TestHttpServer::Reply{200, body, "application/json", {}, false};
    });
    auto& v = verifier();
    std::vector<std::string> tokens;
    for (int i = 0; i < 8; ++i) tokens.push_back(token());
    std::atomic<int> accepted{0};
    std::vector<std::thread> threads;
    for (const auto& t : tokens) {
        threads.emplace_back([&v, &accepted, t] {
            if (v.verify(t).context) ++accepted;
        });
    }
    gate->open();
    for (auto& t : threads) t.join();
    EXPECT_EQ(accepted.load(), 8);
    EXPECT_EQ(jwksHits(), 1);
    EXPECT_EQ(keySet_->fetchAttempts(), 1u);
}

TEST_F(JwksKeySetTest, ParseKeepsOnlyUsableSignatureKeys) {
    const auto& k = keys();
    std::size_t skipped = 0;
    EXPECT_EQ(
        usableKeys(jwks({k.rsa1.jwk(), k.ec256.jwk(), k.ec384.jwk(), k.rsa2.jwk({{"use", "sig"}})}),
                   &skipped),
        4u);
    EXPECT_EQ(skipped, 0u);
    EXPECT_EQ(usableKeys(jwks({k.rsa1.jwk({{"use", "enc"}})})), 0u);
    EXPECT_EQ(usableKeys(jwks({"{\"kty\":\"oct\",\"kid\":\"s\",\"k\":\"c2VjcmV0\"}"})), 0u);
    EXPECT_EQ(
        usableKeys(jwks({"{\"kty\":\"OKP\",\"kid\":\"e\",\"crv\":\"Ed25519\",\"x\":\"AAAA\"}"})),
        0u);
    EXPECT_EQ(usableKeys(jwks({k.rsa1.jwk({{"kid", ""}})})), 0u);
    EXPECT_EQ(usableKeys(jwks({k.ec256.jwk({{"crv", "P-521"}})})), 0u);
    EXPECT_EQ(usableKeys(jwks({k.ec256.jwk({{"crv", "P-384"}})})), 0u)
        << "P-256 coordinates under a P-384 name";
    EXPECT_EQ(usableKeys(jwks({TestKey::rsa("small", 1024).jwk()})), 0u) << "RSA under 2048 bits";
    // A point that is not on the curve.
    auto offCurve = k.ec256.jwkObject();
    offCurve.set("y", offCurve.getValue<std::string>("x"));
    EXPECT_EQ(usableKeys(jwks({toJson(offCurve)})), 0u);
    // key_ops must allow verification.
    auto ops = k.rsa1.jwkObject();
    Poco::JSON::Array::Ptr encrypt = new Poco::JSON::Array;
    encrypt->add("encrypt");
    ops.set("key_ops", encrypt);
    EXPECT_EQ(usableKeys(jwks({toJson(ops)})), 0u);
    std::string error;
    EXPECT_FALSE(JwksKeySet::parse("{\"keys\":{}}", nullptr, error));
    EXPECT_FALSE(JwksKeySet::parse("[]", nullptr, error));
}

TEST_F(JwksKeySetTest, FirstKeyWinsOnADuplicateKid) {
    auto dup = keys().attacker.jwkObject();
    dup.set("kid", "rsa-1");
    publish({keys().rsa1.jwk(), toJson(dup)});
    expectAccepted(token());
    expectRejected(signJwt("RS256", keys().attacker, header("RS256", "rsa-1"), toJson(claims())),
                   "signature is invalid");
}

TEST_F(JwksKeySetTest, ManyThreadsVerifyAndRefetchSafely) {
    auto& v = verifier();
    std::vector<std::string> good;
    for (int i = 0; i < 20; ++i) good.push_back(token(i % 2 ? "ES256" : "RS256"));
    const std::string unknown = token("RS256", keys().attacker, claims());
    std::atomic<int> accepted{0}, rejected{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 40; ++i) {
                if ((i + t) % 7 == 0) {
                    if (!v.verify(unknown).context) ++rejected;
                    if (t == 0) clock_.advance(std::chrono::seconds(11));  // let refetches happen
                } else if (v.verify(good[(i * 7 + t) % good.size()]).context) {
                    ++accepted;
                }
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(accepted.load() + rejected.load(), 240);
    EXPECT_GT(rejected.load(), 0);
    // One initial fetch plus at most one per 30 s cooldown of simulated time.
    EXPECT_LE(jwksHits(), 1 + (6 * 11) / 30 + 1);
}
