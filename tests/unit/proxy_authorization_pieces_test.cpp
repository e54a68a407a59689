// The small pieces of the proxy authorization server's browser flow: form decoding with
// repeated-parameter detection, the browser binding and its CSRF tokens, redirects back to the
// client, and HTML escaping on the consent page.
#include <gtest/gtest.h>

#include "mcphost/auth/server/AuthorizationPages.h"
#include "mcphost/auth/server/BrowserBinding.h"
#include "mcphost/auth/server/ClientRedirect.h"
#include "mcphost/auth/server/FormUrlEncoded.h"

using namespace mcph::auth::server;

TEST(FormUrlEncoded, DecodesPlusAndEscapesAndReportsRepeats) {
    EndpointRequest r;
    ASSERT_TRUE(FormUrlEncoded::parseInto("a=1+2&b=%2Fx%3D&c=&a=3&&=skip&d", r));
    EXPECT_EQ(r.param("a"), "1 2");  // the first value is kept, and the repeat reported
    EXPECT_EQ(r.param("b"), "/x=");
    EXPECT_TRUE(r.has("c"));
    EXPECT_TRUE(r.has("d"));
    ASSERT_EQ(r.repeatedParams.size(), 1u);
    EXPECT_EQ(r.repeatedParams[0], "a");
    EXPECT_EQ(FormUrlEncoded::decode("%zz%4"), "%zz%4");  // malformed escapes stay literal
    EndpointRequest nul;
    EXPECT_FALSE(FormUrlEncoded::parseInto("a=%00", nul));
    EXPECT_EQ(FormUrlEncoded::encode("a b/c~"), "a%20b%2Fc~");
}

TEST(BrowserBinding, IssuesCookiesAndChecksCsrfTokensPerBrowserAndTicket) {
    BrowserBinding binding("server-key", true);
    EndpointRequest fresh;
    auto b = binding.identify(fresh);
    EXPECT_TRUE(b.isNew);
    EXPECT_EQ(b.id.size(), 43u);
    const std::string cookie = binding.setCookieHeader(b.id);
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
    EXPECT_NE(cookie.find("Secure"), std::string::npos);
    // https: the __Host- prefix, whose rules (Secure, Path=/, no Domain) the cookie keeps.
    EXPECT_EQ(cookie.rfind("__Host-mcph_browser=" + b.id + ";", 0), 0u) << cookie;
    EXPECT_NE(cookie.find("Path=/;"), std::string::npos);
    EXPECT_EQ(cookie.find("Domain"), std::string::npos);

    EndpointRequest back;
    back.cookies[BrowserBinding::kSecureCookieName] = b.id;
    EXPECT_EQ(binding.identify(back).id, b.id);
    EXPECT_FALSE(binding.identify(back).isNew);
    // A cookie without the prefix (which a sibling subdomain could set) is not the binding.
    EndpointRequest unprefixed;
    unprefixed.cookies[BrowserBinding::kCookieName] = b.id;
    EXPECT_FALSE(binding.existing(unprefixed).has_value());
    EndpointRequest junk;
    junk.cookies[BrowserBinding::kSecureCookieName] = "short";
    EXPECT_FALSE(binding.existing(junk).has_value());

    const std::string token = binding.csrfToken(b.id, "c.ticket");
    EXPECT_TRUE(binding.csrfValid(b.id, "c.ticket", token));
    EXPECT_FALSE(binding.csrfValid(b.id, "c.other", token));
    EXPECT_FALSE(binding.csrfValid(binding.identify(fresh).id, "c.ticket", token));
    EXPECT_FALSE(binding.csrfValid(b.id, "c.ticket", ""));
    EXPECT_FALSE(BrowserBinding("another-key", true).csrfValid(b.id, "c.ticket", token));
    // Plain http (a loopback test setup): no Secure, so no prefix either.
    EXPECT_EQ(BrowserBinding("k", false).setCookieHeader(b.id).find("Secure"), std::string::npos);
    EXPECT_EQ(BrowserBinding("k", false).setCookieHeader(b.id).rfind("mcph_browser=", 0), 0u);
}

TEST(ClientRedirect, AppendsParametersAfterAnExistingQuery) {
    EXPECT_EQ(ClientRedirect::appendQuery("https://a.example/cb", {{"code", "x y"}, {"state", "s&t"}}),
              "https://a.example/cb?code=x%20y&state=s%26t");
    EXPECT_EQ(ClientRedirect::appendQuery("https://a.example/cb?kb=1", {{"code", "c"}}), "https://a.example/cb?kb=1&code=c");
    EXPECT_EQ(ClientRedirect::appendQuery("cursor://anysphere.cursor-mcp/oauth/callback", {{"code", "c"}}),
              "cursor://anysphere.cursor-mcp/oauth/callback?code=c");
}

TEST(AuthorizationPages, EscapesEverythingTheClientAssertedAndForbidsFraming) {
    ConsentView v;
    v.serviceName = "mcp-host";
    v.clientName = "<script>alert(1)</script>";
    v.clientId = "id\"><img src=x>";
    v.redirectUri = "https://evil.example.com/cb?x=<b>";
    v.formAction = "/authorize";
    v.ticket = "c.t";
    v.csrfToken = "tok";
    auto page = AuthorizationPages::consent(v);
    EXPECT_EQ(page.body.find("<script>"), std::string::npos);
    EXPECT_EQ(page.body.find("<img"), std::string::npos);
    EXPECT_NE(page.body.find("&lt;script&gt;"), std::string::npos);
    EXPECT_NE(page.body.find("evil.example.com"), std::string::npos);
    EXPECT_EQ(page.header("X-Frame-Options"), "DENY");
    EXPECT_NE(page.header("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_EQ(page.body.find("type=\"password\""), std::string::npos);
    v.askCredentials = true;
    EXPECT_NE(AuthorizationPages::consent(v).body.find("type=\"password\""), std::string::npos);
    EXPECT_EQ(AuthorizationPages::destinationOf("cursor://anysphere.cursor-mcp/oauth/callback"), "cursor://anysphere.cursor-mcp");
    EXPECT_EQ(AuthorizationPages::destinationOf("https://claude.ai/api/mcp/auth_callback"), "claude.ai");
}
