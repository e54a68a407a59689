// Strict base64url and the audience URL normalisation.
#include <gtest/gtest.h>

#include "auth_test_support.h"
#include "mcphost/auth/Base64Url.h"
#include "mcphost/auth/ResourceUrl.h"

using mcph::auth::Base64Url;
using mcph::auth::ResourceUrl;

TEST(AuthBase64UrlTest, RoundTripsAgainstAnIndependentEncoder) {
    std::string bytes;
    for (int i = 0; i < 300; ++i) {
        bytes.push_back(static_cast<char>(i * 37));
        const std::string encoded = authtest::b64url(bytes);
        ASSERT_EQ(Base64Url::encode(bytes), encoded);
        ASSERT_EQ(Base64Url::decode(encoded), std::optional<std::string>(bytes));
    }
}

TEST(AuthBase64UrlTest, RefusesEverythingButCanonicalUnpaddedBase64Url) {
    EXPECT_EQ(Base64Url::decode(""), std::optional<std::string>(""));
    EXPECT_EQ(Base64Url::decode("_-8"), std::optional<std::string>("\xff\xef"));
    for (const std::string bad :
         {"QQ==", "QQ=", "Q", "QUJD\n", " QUJD", "QU JD", "/+8", "QR", "QUJ", "QUJ!"}) {
        SCOPED_TRACE(bad);
        EXPECT_FALSE(Base64Url::decode(bad));
    }
    EXPECT_TRUE(Base64Url::decode("QQ"));  // "A"; "QR" has non-zero trailing bits
}

TEST(AuthResourceUrlTest, NormalisesForAudienceComparison) {
    EXPECT_EQ(ResourceUrl::normalizeForAudience("HTTPS://MCP.Example.com:443/mcp/?a=1#f"),
              "https://mcp.example.com/mcp");
    EXPECT_EQ(ResourceUrl::normalizeForAudience("http://Localhost:80/"), "http://localhost");
    EXPECT_EQ(ResourceUrl::normalizeForAudience("http://127.0.0.1:8080/MCP"),
              "http://127.0.0.1:8080/MCP");
    EXPECT_EQ(ResourceUrl::normalizeForAudience("https://[::1]:443/mcp"), "https://[::1]/mcp");
    EXPECT_EQ(ResourceUrl::normalizeForAudience("https://[::1]:8443/mcp"),
              "https://[::1]:8443/mcp");
    EXPECT_EQ(ResourceUrl::normalizeForAudience("my-client-id"), "my-client-id");
    EXPECT_FALSE(ResourceUrl::audienceMatches("https://mcp.example.com:8443/mcp",
                                              "https://mcp.example.com/mcp"));
    EXPECT_FALSE(ResourceUrl::audienceMatches("https://mcp.example.com/mcp/x",
                                              "https://mcp.example.com/mcp"));
    EXPECT_FALSE(ResourceUrl::audienceMatches("My-Client-Id", "my-client-id"));
}

TEST(AuthResourceUrlTest, SplitKeepsPartsAsWritten) {
    const auto p = ResourceUrl::split("https://User@Host:1/A/b?q=1#frag");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->scheme, "https");
    EXPECT_EQ(p->authority, "User@Host:1");
    EXPECT_EQ(p->path, "/A/b");
    EXPECT_EQ(p->query, "q=1");
    EXPECT_EQ(p->fragment, "frag");
    EXPECT_FALSE(ResourceUrl::split("no-scheme"));
    EXPECT_FALSE(ResourceUrl::split("https:///path"));
    EXPECT_FALSE(ResourceUrl::split("1http://h"));
}
