// BearerAuthenticator: Authorization header parsing and the exact challenges clients act on.
#include <gtest/gtest.h>

#include <stdexcept>

#include "mcphost/auth/BearerAuthenticator.h"

using mcph::auth::AuthContext;
using mcph::auth::BearerAuthenticator;
using mcph::auth::TokenVerifier;
using mcph::auth::VerifyResult;

namespace {

constexpr const char* kPrm = "https://mcp.example.com/.well-known/oauth-protected-resource/mcp";

// A verifier that records what it was given: the parsing is what is under test here.
class RecordingVerifier : public TokenVerifier {
  public:
    VerifyResult verify(const std::string& token) override {
        seen.push_back(token);
        if (token == "throws") throw std::runtime_error("boom");
        if (token == "down") return VerifyResult::fail("keys unavailable", true);
        if (token == "quoted") return VerifyResult::fail("bad \"quote\" \\ and\r\nnewline é");
        if (token.rfind("good", 0) != 0) return VerifyResult::fail("token expired");
        AuthContext ctx;
        ctx.authenticated = true;
        ctx.userId = "u1";
        return VerifyResult::ok(ctx);
    }
    std::vector<std::string> seen;
};

class BearerAuthenticatorTest : public ::testing::Test {
  protected:
    std::shared_ptr<RecordingVerifier> verifier_ = std::make_shared<RecordingVerifier>();
    BearerAuthenticator auth_{verifier_, kPrm, {"mcp:read", "mcp:write"}};
};

}  // namespace

TEST_F(BearerAuthenticatorTest, MissingHeaderGetsAPlainChallenge) {
    const auto d = auth_.authenticate("");
    EXPECT_FALSE(d.context);
    EXPECT_EQ(d.httpStatus, 401);
    EXPECT_EQ(
        d.wwwAuthenticate,
        "Bearer "
        "resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/mcp\", "
        "scope=\"mcp:read mcp:write\"");
}

TEST_F(BearerAuthenticatorTest, ScopeIsOmittedWithoutDefaultScopes) {
    BearerAuthenticator bare(verifier_, kPrm, {});
    EXPECT_EQ(
        bare.authenticate("").wwwAuthenticate,
        "Bearer "
        "resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/mcp\"");
}

TEST_F(BearerAuthenticatorTest, OtherSchemesGetAChallengeWithoutAnError) {
    for (const std::string h : {"Basic dXNlcjpwdw==", "Bearerx abc", "DPoP abc", "Token abc"}) {
        SCOPED_TRACE(h);
        const auto d = auth_.authenticate(h);
        EXPECT_EQ(d.httpStatus, 401);
        EXPECT_EQ(d.wwwAuthenticate.find("error="), std::string::npos);
    }
    EXPECT_TRUE(verifier_->seen.empty());
}

TEST_F(BearerAuthenticatorTest, AcceptsTheSchemeInAnyCase) {
    for (const std::string h :
         {"Bearer good1", "bearer good2", "BEARER good3", "BeArEr good-._~+/4=="}) {
        SCOPED_TRACE(h);
        const auto d = auth_.authenticate(h);
        ASSERT_TRUE(d.context);
        EXPECT_EQ(d.httpStatus, 200);
        EXPECT_EQ(d.context->userId, "u1");
    }
    EXPECT_EQ(verifier_->seen,
              (std::vector<std::string>{"good1", "good2", "good3", "good-._~+/4=="}));
}

TEST_F(BearerAuthenticatorTest, MalformedBearerCredentialsNeverReachTheVerifier) {
    for (const std::string h :
         {"Bearer", "Bearer ", "Bearer  good", "Bearer good extra", "Bearer good,Bearer good2",
          "Bearer go=od", "Bearer good\r\nX-Injected: 1", "Bearer\tgood", "Bearer good\"",
          "Bearer =abc", "Bearer g\xC3\xA9od"}) {
        SCOPED_TRACE(h);
        const auto d = auth_.authenticate(h);
        EXPECT_FALSE(d.context);
        EXPECT_EQ(d.httpStatus, 401);
        EXPECT_EQ(d.wwwAuthenticate,
                  "Bearer "
                  "resource_metadata=\"https://mcp.example.com/.well-known/"
                  "oauth-protected-resource/mcp\", "
                  "scope=\"mcp:read mcp:write\", error=\"invalid_token\", "
                  "error_description=\"malformed Bearer credentials\"");
    }
    EXPECT_TRUE(verifier_->seen.empty());
}

TEST_F(BearerAuthenticatorTest, BadTokenGetsInvalidToken) {
    const auto d = auth_.authenticate("Bearer bad.token.here");
    EXPECT_FALSE(d.context);
    EXPECT_EQ(d.httpStatus, 401);
    EXPECT_EQ(
        d.wwwAuthenticate,
        "Bearer "
        "resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/mcp\", "
        "scope=\"mcp:read mcp:write\", error=\"invalid_token\", error_description=\"token "
        "expired\"");
    EXPECT_EQ(d.errorDescription, "Unauthorized: token expired");
    EXPECT_EQ(d.wwwAuthenticate.find("bad.token.here"), std::string::npos);
}

TEST_F(BearerAuthenticatorTest, DescriptionsCannotBreakOutOfTheHeader) {
    const auto d = auth_.authenticate("Bearer quoted");
    EXPECT_EQ(d.wwwAuthenticate.find('\r'), std::string::npos);
    EXPECT_EQ(d.wwwAuthenticate.find('\n'), std::string::npos);
    EXPECT_NE(d.wwwAuthenticate.find("error_description=\"bad 'quote' / and??newline ??\""),
              std::string::npos)
        << d.wwwAuthenticate;
}

TEST_F(BearerAuthenticatorTest, VerifierOutageIs503WithoutAChallenge) {
    for (const std::string h : {"Bearer down", "Bearer throws"}) {
        SCOPED_TRACE(h);
        const auto d = auth_.authenticate(h);
        EXPECT_FALSE(d.context);
        EXPECT_EQ(d.httpStatus, 503);
        EXPECT_TRUE(d.wwwAuthenticate.empty());
        EXPECT_EQ(d.errorDescription.find("boom"), std::string::npos);
    }
}

TEST_F(BearerAuthenticatorTest, InsufficientScopeNamesEveryRequiredScope) {
    const auto d = auth_.insufficientScope({"files:read", "files:write", "files:read"});
    EXPECT_FALSE(d.context);
    EXPECT_EQ(d.httpStatus, 403);
    EXPECT_EQ(
        d.wwwAuthenticate,
        "Bearer error=\"insufficient_scope\", scope=\"files:read files:write\", "
        "resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/mcp\", "
        "error_description=\"this operation requires the scopes: files:read files:write\"");
    EXPECT_EQ(d.errorDescription,
              "Forbidden: this operation requires the scopes: files:read files:write");
}

TEST_F(BearerAuthenticatorTest, QuoteEscapesQuotesAndBackslashes) {
    EXPECT_EQ(BearerAuthenticator::quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(BearerAuthenticator::quote("x\r\ny"), "\"xy\"");
    EXPECT_EQ(BearerAuthenticator::quote(""), "\"\"");
}

TEST_F(BearerAuthenticatorTest, ParseBearerTellsSchemesApart) {
    bool isBearer = false;
    EXPECT_EQ(BearerAuthenticator::parseBearer("Bearer abc", isBearer),
              std::optional<std::string>("abc"));
    EXPECT_TRUE(isBearer);
    EXPECT_FALSE(BearerAuthenticator::parseBearer("Bearer", isBearer));
    EXPECT_TRUE(isBearer);
    EXPECT_FALSE(BearerAuthenticator::parseBearer("Basic abc", isBearer));
    EXPECT_FALSE(isBearer);
}
