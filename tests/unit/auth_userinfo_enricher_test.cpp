// Identity enrichment: a verified identity without email or name is completed from the issuer's
// userinfo endpoint, once per subject (cached), never at another origin, and a failure leaves
// the fields empty without failing anything.
#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "mcphost/auth/UserInfoEnricher.h"

using namespace mcph::auth;

namespace {

const std::string kIssuer = "https://idp.example.com";

// Answers by URL and counts what it was asked.
class FakeFetcher final : public HttpFetcher {
  public:
    std::map<std::string, HttpResponse> answers;
    std::map<std::string, int> calls;
    std::string lastAuthorization;

    FetchResult get(const std::string& url, const HttpHeaders& headers) override {
        std::lock_guard<std::mutex> lock(mutex_);
        ++calls[url];
        for (const auto& [k, v] : headers) {
            if (k == "Authorization") lastAuthorization = v;
        }
        FetchResult r;
        auto it = answers.find(url);
        if (it == answers.end()) {
            r.error = "connection refused";
        } else {
            r.response = it->second;
        }
        return r;
    }
    FetchResult postForm(const std::string&, const std::string&, const HttpHeaders&) override {
        return {};
    }

  private:
    std::mutex mutex_;
};

HttpResponse json(int status, const std::string& body) {
    return HttpResponse{status, "application/json", body};
}

AuthContext onlySub(const std::string& sub) {
    AuthContext ctx;
    ctx.authenticated = true;
    ctx.userId = sub;
    ctx.issuer = kIssuer;
    return ctx;
}

struct Fixture {
    std::shared_ptr<FakeFetcher> fetcher = std::make_shared<FakeFetcher>();
    TimePoint now = TimePoint(std::chrono::seconds(1'000'000));
    UserInfoEnricher enricher{fetcher, kIssuer, {}, [this] { return now; }};

    Fixture() {
        fetcher->answers[kIssuer + "/.well-known/openid-configuration"] =
            json(200, R"({"issuer":")" + kIssuer + R"(","userinfo_endpoint":")" + kIssuer +
                          R"(/userinfo"})");
    }
    int userinfoCalls() { return fetcher->calls[kIssuer + "/userinfo"]; }
};

}  // namespace

TEST(UserInfoEnricher, FillsWhatTheTokenLacksOncePerSubject) {
    Fixture f;
    f.fetcher->answers[kIssuer + "/userinfo"] = json(
        200,
        R"({"sub":"u1","email":"ada@example.com","name":"Ada","picture":"https://p/ada.png"})");
    auto ctx = onlySub("u1");
    f.enricher.enrich(ctx, "tok-1");
    EXPECT_EQ(ctx.email, "ada@example.com");
    EXPECT_EQ(ctx.name, "Ada");
    EXPECT_EQ(ctx.picture, "https://p/ada.png");
    EXPECT_EQ(f.fetcher->lastAuthorization, "Bearer tok-1");

    auto again = onlySub("u1");
    f.enricher.enrich(again, "tok-2");
    EXPECT_EQ(again.email, "ada@example.com");
    EXPECT_EQ(f.userinfoCalls(), 1);  // cached

    f.now += std::chrono::seconds(601);  // past the TTL: asked again
    auto later = onlySub("u1");
    f.enricher.enrich(later, "tok-3");
    EXPECT_EQ(f.userinfoCalls(), 2);

    // What the token already says is kept; a complete token causes no request.
    auto complete = onlySub("u2");
    complete.email = "x@example.com";
    complete.name = "X";
    f.enricher.enrich(complete, "tok-4");
    EXPECT_EQ(f.userinfoCalls(), 2);
}

TEST(UserInfoEnricher, AFailureLeavesTheFieldsEmptyAndIsRetriedOnlyAfterTheNegativeTtl) {
    Fixture f;
    f.fetcher->answers[kIssuer + "/userinfo"] = json(401, R"({"error":"invalid_token"})");
    auto ctx = onlySub("u1");
    f.enricher.enrich(ctx, "tok");
    EXPECT_EQ(ctx.email, "");
    EXPECT_EQ(ctx.name, "");
    f.enricher.enrich(ctx, "tok");
    EXPECT_EQ(f.userinfoCalls(), 1);
    f.now += std::chrono::seconds(61);
    f.enricher.enrich(ctx, "tok");
    EXPECT_EQ(f.userinfoCalls(), 2);
}

TEST(UserInfoEnricher, AnAnswerForAnotherSubjectOrAnUnverifiedEmailIsNotTaken) {
    Fixture f;
    f.fetcher->answers[kIssuer + "/userinfo"] =
        json(200, R"({"sub":"someone-else","email":"e@x","name":"E"})");
    auto ctx = onlySub("u1");
    f.enricher.enrich(ctx, "tok");
    EXPECT_EQ(ctx.email, "");
    EXPECT_EQ(ctx.name, "");

    f.fetcher->answers[kIssuer + "/userinfo"] =
        json(200, R"({"sub":"u2","email":"e@x","email_verified":false,"name":"E"})");
    auto other = onlySub("u2");
    f.enricher.enrich(other, "tok");
    EXPECT_EQ(other.email, "");
    EXPECT_EQ(other.name, "E");
}

TEST(UserInfoEnricher, TheTokenGoesOnlyToTheIssuersOwnOrigin) {
    EXPECT_TRUE(UserInfoEnricher::trustedEndpoint(kIssuer + "/userinfo", kIssuer));
    EXPECT_TRUE(
        UserInfoEnricher::trustedEndpoint("http://127.0.0.1:8080/me", "http://127.0.0.1:8080"));
    EXPECT_FALSE(UserInfoEnricher::trustedEndpoint("https://evil.example.com/userinfo", kIssuer));
    EXPECT_FALSE(
        UserInfoEnricher::trustedEndpoint("https://idp.example.com:8443/userinfo", kIssuer));
    EXPECT_FALSE(UserInfoEnricher::trustedEndpoint("http://idp.example.com/userinfo",
                                                   "http://idp.example.com"));
    EXPECT_FALSE(
        UserInfoEnricher::trustedEndpoint("https://user@idp.example.com/userinfo", kIssuer));

    Fixture f;
    f.fetcher->answers[kIssuer + "/.well-known/openid-configuration"] =
        json(200, R"({"issuer":")" + kIssuer +
                      R"(","userinfo_endpoint":"https://evil.example.com/userinfo"})");
    auto ctx = onlySub("u1");
    f.enricher.enrich(ctx, "secret-token");
    EXPECT_EQ(f.fetcher->calls["https://evil.example.com/userinfo"], 0);
    EXPECT_EQ(f.fetcher->lastAuthorization, "");
}
