// Authorization server metadata discovery (RFC 8414 with OIDC fallbacks) against a local server.
#include <gtest/gtest.h>

#include "auth_test_support.h"
#include "mcphost/auth/AuthServerMetadata.h"
#include "mcphost/auth/PocoHttpFetcher.h"

using namespace authtest;
using mcph::auth::AuthServerMetadata;

namespace {

std::string metadata(const std::string& issuer) {
    return "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer +
           "/certs\",\"introspection_endpoint\":\"" + issuer +
           "/introspect\",\"token_endpoint\":\"" + issuer +
           "/token\",\"scopes_supported\":[\"openid\",\"mcp:read\"]," +
           "\"code_challenge_methods_supported\":[\"S256\"]}";
}

class DiscoveryTest : public ::testing::Test {
  protected:
    TestHttpServer server_;
    mcph::auth::PocoHttpFetcher fetcher_;
    std::string issuer_ = server_.url("/realms/test");
};

}  // namespace

TEST(DiscoveryUrlsTest, PathInsertionThenOidcFallbacks) {
    EXPECT_EQ(AuthServerMetadata::candidateUrls("https://h/realms/x"),
              (std::vector<std::string>{"https://h/.well-known/oauth-authorization-server/realms/x",
                                        "https://h/.well-known/openid-configuration/realms/x",
                                        "https://h/realms/x/.well-known/openid-configuration"}));
    EXPECT_EQ(AuthServerMetadata::candidateUrls("https://h/realms/x/"),
              AuthServerMetadata::candidateUrls("https://h/realms/x"));
    EXPECT_EQ(AuthServerMetadata::candidateUrls("https://h"),
              (std::vector<std::string>{"https://h/.well-known/oauth-authorization-server",
                                        "https://h/.well-known/openid-configuration"}));
    EXPECT_TRUE(AuthServerMetadata::candidateUrls("not a url").empty());
}

TEST_F(DiscoveryTest, FindsRfc8414MetadataByPathInsertion) {
    server_.serve("/.well-known/oauth-authorization-server/realms/test", 200, metadata(issuer_));
    server_.serve("/realms/test/.well-known/openid-configuration", 200, metadata(issuer_));
    const auto d = AuthServerMetadata::discover(fetcher_, issuer_);
    ASSERT_TRUE(d.metadata) << d.error;
    EXPECT_EQ(d.metadata->issuer, issuer_);
    EXPECT_EQ(d.metadata->jwksUri, issuer_ + "/certs");
    EXPECT_EQ(d.metadata->introspectionEndpoint, issuer_ + "/introspect");
    EXPECT_EQ(d.metadata->scopesSupported, (std::vector<std::string>{"openid", "mcp:read"}));
    EXPECT_EQ(d.metadata->sourceUrl,
              server_.url("/.well-known/oauth-authorization-server/realms/test"));
    EXPECT_EQ(server_.hits("/realms/test/.well-known/openid-configuration"), 0);
}

TEST_F(DiscoveryTest, FallsBackToKeycloakStyleOidcDiscovery) {
    server_.serve("/realms/test/.well-known/openid-configuration", 200, metadata(issuer_));
    const auto d = AuthServerMetadata::discover(fetcher_, issuer_);
    ASSERT_TRUE(d.metadata) << d.error;
    EXPECT_EQ(d.metadata->sourceUrl, server_.url("/realms/test/.well-known/openid-configuration"));
    EXPECT_EQ(server_.hits("/.well-known/oauth-authorization-server/realms/test"), 1);
    EXPECT_EQ(server_.hits("/.well-known/openid-configuration/realms/test"), 1);
}

TEST_F(DiscoveryTest, RefusesADocumentForAnotherIssuer) {
    // A trailing slash is enough to be a different issuer (RFC 8414 §3.3).
    server_.serve("/.well-known/oauth-authorization-server/realms/test", 200,
                  metadata(issuer_ + "/"));
    server_.serve("/realms/test/.well-known/openid-configuration", 200,
                  metadata(server_.url("/realms/other")));
    const auto d = AuthServerMetadata::discover(fetcher_, issuer_);
    EXPECT_FALSE(d.metadata);
    EXPECT_NE(d.error.find("does not match the configured issuer"), std::string::npos) << d.error;
}

TEST_F(DiscoveryTest, ReportsEveryFailedLocation) {
    server_.serve("/.well-known/openid-configuration/realms/test", 200, "{\"issuer\":");
    const auto d = AuthServerMetadata::discover(fetcher_, issuer_);
    EXPECT_FALSE(d.metadata);
    EXPECT_NE(d.error.find("HTTP 404"), std::string::npos) << d.error;
    EXPECT_NE(d.error.find("not a JSON object"), std::string::npos) << d.error;
}

TEST(DiscoveryParseTest, RefusesMistypedMembers) {
    std::string error;
    EXPECT_FALSE(
        AuthServerMetadata::parse("{\"issuer\":\"https://a\",\"jwks_uri\":5}", "https://a", error));
    EXPECT_NE(error.find("jwks_uri"), std::string::npos);
    EXPECT_FALSE(AuthServerMetadata::parse("{\"issuer\":\"https://a\",\"scopes_supported\":\"x\"}",
                                           "https://a", error));
    EXPECT_FALSE(AuthServerMetadata::parse("{\"jwks_uri\":\"https://a/k\"}", "https://a", error));
    EXPECT_TRUE(AuthServerMetadata::parse("{\"issuer\":\"https://a\"}", "https://a", error));
}
