// ClaimMapping and the shared claim checks: pure functions, no tokens needed.
#include <gtest/gtest.h>

#include "mcphost/auth/ClaimChecks.h"
#include "mcphost/auth/ClaimMapping.h"
#include "mcphost/auth/JsonFields.h"

using namespace mcph::auth;

namespace {

Poco::JSON::Object::Ptr obj(const std::string& json) {
    auto o = JsonFields::parseObject(json);
    if (!o) throw std::runtime_error("bad test JSON: " + json);
    return o;
}

}  // namespace

TEST(ClaimMappingTest, MapsTheDefaultClaims) {
    const auto r = ClaimMapping().map(
        *obj(
            R"({"sub":"u1","email":"a@b.c","name":"Ann","scope":"a b  a c","client_id":"cl","azp":"other"})"),
        "https://iss");
    ASSERT_TRUE(r.context) << r.error;
    EXPECT_TRUE(r.context->authenticated);
    EXPECT_EQ(r.context->userId, "u1");
    EXPECT_EQ(r.context->issuer, "https://iss");
    EXPECT_EQ(r.context->email, "a@b.c");
    EXPECT_EQ(r.context->name, "Ann");
    EXPECT_EQ(r.context->clientId, "cl");
    EXPECT_EQ(r.context->scopes, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(ClaimMappingTest, FallsBackToPreferredUsernameAzpAndScp) {
    const auto r = ClaimMapping().map(
        *obj(R"({"sub":"u1","preferred_username":"ann","azp":"cl","scp":["x","y"]})"), "i");
    ASSERT_TRUE(r.context);
    EXPECT_EQ(r.context->name, "ann");
    EXPECT_EQ(r.context->clientId, "cl");
    EXPECT_EQ(r.context->scopes, (std::vector<std::string>{"x", "y"}));
    const auto s = ClaimMapping().map(*obj(R"({"sub":"u1","scp":"x y"})"), "i");
    EXPECT_EQ(s.context->scopes, (std::vector<std::string>{"x", "y"}));
    const auto both = ClaimMapping().map(*obj(R"({"sub":"u1","scope":"s","scp":["x"]})"), "i");
    EXPECT_EQ(both.context->scopes, std::vector<std::string>{"s"});
}

TEST(ClaimMappingTest, ClaimNamesAreConfigurable) {
    ClaimNames names;
    names.userId = "oid";
    names.scopeArray = "roles";
    names.email = "upn";
    const auto r = ClaimMapping(names).map(
        *obj(R"({"sub":"ignored","oid":"o-1","roles":["admin"],"upn":"x@y"})"), "i");
    ASSERT_TRUE(r.context);
    EXPECT_EQ(r.context->userId, "o-1");
    EXPECT_EQ(r.context->email, "x@y");
    EXPECT_EQ(r.context->scopes, std::vector<std::string>{"admin"});
}

TEST(ClaimMappingTest, RequiresAUsableSubject) {
    EXPECT_FALSE(ClaimMapping().map(*obj(R"({"email":"a@b"})"), "i").context);
    EXPECT_FALSE(ClaimMapping().map(*obj(R"({"sub":""})"), "i").context);
    EXPECT_FALSE(ClaimMapping().map(*obj(R"({"sub":7})"), "i").context);
    EXPECT_FALSE(ClaimMapping().map(*obj("{\"sub\":\"a\\nb\"}"), "i").context);
    EXPECT_TRUE(ClaimMapping().map(*obj(R"({"sub":"u","scp":[1]})"), "i").context->scopes.empty());
}

TEST(ClaimChecksTest, TimesUseTheLeeway) {
    const TimePoint now = std::chrono::system_clock::from_time_t(1'000'000);
    const auto leeway = std::chrono::seconds(60);
    EXPECT_EQ(ClaimChecks::checkTimes(*obj(R"({"exp":1000100})"), now, leeway, true), "");
    EXPECT_EQ(ClaimChecks::checkTimes(*obj(R"({"exp":999950})"), now, leeway, true), "");
    EXPECT_EQ(ClaimChecks::checkTimes(*obj(R"({"exp":999940})"), now, leeway, true),
              "token expired");
    EXPECT_EQ(ClaimChecks::checkTimes(*obj(R"({"exp":1000100.5,"nbf":1000060,"iat":1000060})"), now,
                                      leeway, true),
              "");
    EXPECT_NE(ClaimChecks::checkTimes(*obj(R"({"exp":1000100,"nbf":1000061})"), now, leeway, true),
              "");
    EXPECT_NE(ClaimChecks::checkTimes(*obj(R"({"exp":1000100,"iat":"1"})"), now, leeway, true), "");
    EXPECT_EQ(ClaimChecks::checkTimes(*obj(R"({})"), now, leeway, false), "");
    EXPECT_NE(ClaimChecks::checkTimes(*obj(R"({})"), now, leeway, true), "");
}

TEST(ClaimChecksTest, ExpiryIsClampedToTheCap) {
    const TimePoint now = std::chrono::system_clock::from_time_t(1'000'000);
    EXPECT_EQ(ClaimChecks::expiry(*obj(R"({"exp":1000100})"), now, std::chrono::seconds(300)),
              now + std::chrono::seconds(100));
    EXPECT_EQ(ClaimChecks::expiry(*obj(R"({"exp":1e300})"), now, std::chrono::seconds(300)),
              now + std::chrono::seconds(300));
    EXPECT_EQ(ClaimChecks::expiry(*obj(R"({})"), now, std::chrono::seconds(300)),
              now + std::chrono::seconds(300));
}
