#include <gtest/gtest.h>

#include "http/OriginPolicy.h"

using namespace mcph::http;

TEST(OriginPolicy, NormalizesOrigins) {
    EXPECT_EQ(normalizeOrigin("HTTPS://Example.COM:443"), "https://example.com");
    EXPECT_EQ(normalizeOrigin("http://localhost:6274"), "http://localhost:6274");
    EXPECT_EQ(normalizeOrigin("http://[::1]:80"), "http://[::1]");
    EXPECT_EQ(normalizeOrigin("null"), "");
    EXPECT_EQ(normalizeOrigin("file:///etc/passwd"), "");
    EXPECT_EQ(normalizeOrigin("https://a.example/path"), "");
    EXPECT_EQ(normalizeOrigin("https://user@a.example"), "");
}

TEST(OriginPolicy, OnlyListedOrOwnOriginsPass) {
    OriginPolicy policy({"http://localhost:6274"}, "http://127.0.0.1:8080", true);
    EXPECT_TRUE(policy.originAllowed(""));  // not a browser
    EXPECT_TRUE(policy.originAllowed("http://localhost:6274"));
    EXPECT_TRUE(policy.originAllowed("http://127.0.0.1:8080"));  // the host's own pages
    EXPECT_FALSE(policy.originAllowed("http://evil.example"));
    EXPECT_FALSE(policy.originAllowed("http://localhost:6275"));
    EXPECT_FALSE(policy.originAllowed("null"));
}

TEST(OriginPolicy, LoopbackBindRequiresLoopbackHostHeader) {
    OriginPolicy policy({}, "http://127.0.0.1:8080", true);
    EXPECT_TRUE(policy.hostAllowed("127.0.0.1:8080"));
    EXPECT_TRUE(policy.hostAllowed("localhost:1234"));
    EXPECT_TRUE(policy.hostAllowed("[::1]:8080"));
    EXPECT_TRUE(policy.hostAllowed("127.3.4.5"));
    EXPECT_FALSE(policy.hostAllowed("attacker.example:8080"));  // DNS rebinding
    EXPECT_FALSE(policy.hostAllowed(""));

    OriginPolicy published({}, "https://mcp.example.com", true);
    EXPECT_TRUE(published.hostAllowed("mcp.example.com"));

    OriginPolicy remote({}, "https://mcp.example.com", false);
    EXPECT_TRUE(remote.hostAllowed("anything.example"));
}
