// RFC 9728 document and the well-known locations derived from the resource URL.
#include <gtest/gtest.h>

#include <stdexcept>

#include "mcphost/auth/JsonFields.h"
#include "mcphost/auth/ProtectedResourceMetadata.h"

using mcph::auth::JsonFields;
using mcph::auth::ProtectedResourceMetadata;

TEST(PrmTest, DocumentHasTheRequiredMembers) {
    ProtectedResourceMetadata prm;
    prm.resource = "https://mcp.example.com/mcp";
    prm.authorizationServer = "https://auth.example.com/realms/x";
    prm.scopesSupported = {"mcp:read", "mcp:write"};
    const std::string json = prm.toJson();
    EXPECT_EQ(json,
              "{\"resource\":\"https://mcp.example.com/mcp\","
              "\"authorization_servers\":[\"https://auth.example.com/realms/x\"],"
              "\"scopes_supported\":[\"mcp:read\",\"mcp:write\"],"
              "\"bearer_methods_supported\":[\"header\"]}");
    const auto doc = JsonFields::parseObject(json);
    ASSERT_TRUE(doc);
    EXPECT_FALSE(doc->has("resource_name"));
}

TEST(PrmTest, OptionalMembersAppearWhenSet) {
    ProtectedResourceMetadata prm;
    prm.resource = "http://127.0.0.1:8080/mcp";
    prm.authorizationServer = "https://auth.example.com/";
    prm.resourceName = "Tools \"R\" Us";
    prm.resourceDocumentation = "https://docs.example.com/mcp";
    const auto doc = JsonFields::parseObject(prm.toJson());
    ASSERT_TRUE(doc);
    EXPECT_EQ(JsonFields::string(*doc, "resource_name"),
              std::optional<std::string>("Tools \"R\" Us"));
    EXPECT_EQ(JsonFields::string(*doc, "resource_documentation"),
              std::optional<std::string>("https://docs.example.com/mcp"));
    EXPECT_EQ(JsonFields::stringOrArray(*doc, "authorization_servers"),
              std::optional<std::vector<std::string>>({"https://auth.example.com/"}))
        << "the issuer byte for byte, trailing slash included";
    EXPECT_EQ(JsonFields::stringOrArray(*doc, "scopes_supported"), std::vector<std::string>{});
}

TEST(PrmTest, WellKnownPathsForAPathBearingResource) {
    const auto w = ProtectedResourceMetadata::wellKnownFor("https://mcp.example.com/mcp");
    EXPECT_EQ(w.pathInserted, "/.well-known/oauth-protected-resource/mcp");
    EXPECT_EQ(w.root, "/.well-known/oauth-protected-resource");
    EXPECT_EQ(w.metadataUrl, "https://mcp.example.com/.well-known/oauth-protected-resource/mcp");

    const auto deep =
        ProtectedResourceMetadata::wellKnownFor("http://127.0.0.1:8080/tenants/a/mcp/");
    EXPECT_EQ(deep.pathInserted, "/.well-known/oauth-protected-resource/tenants/a/mcp");
    EXPECT_EQ(deep.metadataUrl,
              "http://127.0.0.1:8080/.well-known/oauth-protected-resource/tenants/a/mcp");
}

TEST(PrmTest, WellKnownPathsForABareOrigin) {
    for (const std::string url : {"https://mcp.example.com", "https://mcp.example.com/"}) {
        SCOPED_TRACE(url);
        const auto w = ProtectedResourceMetadata::wellKnownFor(url);
        EXPECT_EQ(w.pathInserted, "/.well-known/oauth-protected-resource");
        EXPECT_EQ(w.pathInserted, w.root);
        EXPECT_EQ(w.metadataUrl, "https://mcp.example.com/.well-known/oauth-protected-resource");
    }
}

TEST(PrmTest, WellKnownRefusesUnusableResourceUrls) {
    for (const std::string url :
         {"https://mcp.example.com/mcp?x=1", "https://mcp.example.com/mcp#f", "/mcp",
          "mcp.example.com/mcp", "ftp://mcp.example.com/mcp", "https:///mcp"}) {
        SCOPED_TRACE(url);
        EXPECT_THROW(ProtectedResourceMetadata::wellKnownFor(url), std::invalid_argument);
    }
}
