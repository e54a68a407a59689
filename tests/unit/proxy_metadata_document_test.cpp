// AuthServerMetadataDocument: the RFC 8414 document proxy mode serves.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include "mcphost/auth/AuthServerMetadata.h"
#include "mcphost/auth/server/AuthServerMetadataDocument.h"

using mcph::auth::server::AuthServerMetadataDocument;
using mcph::auth::server::AuthServerMetadataOptions;

namespace {

Poco::JSON::Object::Ptr doc(const AuthServerMetadataOptions& o) {
    return Poco::JSON::Parser().parse(AuthServerMetadataDocument::json(o)).extract<Poco::JSON::Object::Ptr>();
}

std::vector<std::string> strings(const Poco::JSON::Object::Ptr& d, const std::string& name) {
    std::vector<std::string> out;
    const auto a = d->getArray(name);
    if (!a) return out;
    for (std::size_t i = 0; i < a->size(); ++i) out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
    return out;
}

AuthServerMetadataOptions options() {
    AuthServerMetadataOptions o;
    o.publicUrl = "https://mcp.example.com";
    o.scopesSupported = {"mcp:read", "mcp:write"};
    return o;
}

}  // namespace

TEST(ProxyAuthServerMetadata, HasEverythingRealClientsNeed) {
    const auto d = doc(options());
    EXPECT_EQ(d->getValue<std::string>("issuer"), "https://mcp.example.com");
    EXPECT_EQ(d->getValue<std::string>("authorization_endpoint"), "https://mcp.example.com/authorize");
    EXPECT_EQ(d->getValue<std::string>("token_endpoint"), "https://mcp.example.com/token");
    EXPECT_EQ(d->getValue<std::string>("registration_endpoint"), "https://mcp.example.com/register");
    EXPECT_EQ(d->getValue<std::string>("revocation_endpoint"), "https://mcp.example.com/revoke");
    EXPECT_EQ(d->getValue<std::string>("jwks_uri"), "https://mcp.example.com/.well-known/jwks.json");
    EXPECT_EQ(strings(d, "response_types_supported"), std::vector<std::string>{"code"});
    EXPECT_EQ(strings(d, "grant_types_supported"), (std::vector<std::string>{"authorization_code", "refresh_token"}));
    EXPECT_EQ(strings(d, "code_challenge_methods_supported"), std::vector<std::string>{"S256"});
    EXPECT_EQ(strings(d, "token_endpoint_auth_methods_supported"),
              (std::vector<std::string>{"none", "client_secret_post", "client_secret_basic"}));
    EXPECT_EQ(strings(d, "scopes_supported"), (std::vector<std::string>{"mcp:read", "mcp:write"}));
    EXPECT_TRUE(d->getValue<bool>("authorization_response_iss_parameter_supported"));
    EXPECT_FALSE(d->has("client_id_metadata_document_supported"));
    EXPECT_EQ(AuthServerMetadataDocument::json(options()).find("null"), std::string::npos);
}

TEST(ProxyAuthServerMetadata, UnderABasePathTheIssuerAndEveryEndpointShareIt) {
    AuthServerMetadataOptions o = options();
    o.publicUrl = "https://mcp.example.com/tools";
    const auto d = doc(o);
    EXPECT_EQ(d->getValue<std::string>("issuer"), "https://mcp.example.com/tools");
    EXPECT_EQ(d->getValue<std::string>("authorization_endpoint"), "https://mcp.example.com/tools/authorize");
    EXPECT_EQ(d->getValue<std::string>("token_endpoint"), "https://mcp.example.com/tools/token");
    EXPECT_EQ(d->getValue<std::string>("registration_endpoint"), "https://mcp.example.com/tools/register");
    EXPECT_EQ(d->getValue<std::string>("jwks_uri"), "https://mcp.example.com/tools/.well-known/jwks.json");
    // RFC 8414 section 3.1: the well-known segment goes before the issuer's path.
    EXPECT_EQ(AuthServerMetadataDocument::metadataPathFor("https://mcp.example.com/tools"),
              "/.well-known/oauth-authorization-server/tools");
    EXPECT_EQ(AuthServerMetadataDocument::metadataPathFor("https://mcp.example.com"),
              "/.well-known/oauth-authorization-server");
    EXPECT_EQ(AuthServerMetadataDocument::basePathOf("https://mcp.example.com/a/b"), "/a/b");
}

TEST(ProxyAuthServerMetadata, IssuerIsThePublicUrlInOneSpelling) {
    using D = AuthServerMetadataDocument;
    EXPECT_EQ(D::issuerFor("https://mcp.example.com"), std::optional<std::string>("https://mcp.example.com"));
    EXPECT_EQ(D::issuerFor("https://mcp.example.com/"), std::optional<std::string>("https://mcp.example.com"));
    // A base path (a reverse proxy serving the host under /tools) stays part of the issuer.
    EXPECT_EQ(D::issuerFor("https://MCP.Example.com:443/a/b?q=1"), std::optional<std::string>("https://mcp.example.com/a/b"));
    EXPECT_EQ(D::issuerFor("HTTP://localhost:80/tools/"), std::optional<std::string>("http://localhost/tools"));
    EXPECT_EQ(D::issuerFor("http://127.0.0.1:8080"), std::optional<std::string>("http://127.0.0.1:8080"));
    EXPECT_EQ(D::issuerFor("https://[::1]:8443/t"), std::optional<std::string>("https://[::1]:8443/t"));
    EXPECT_FALSE(D::issuerFor("mcp.example.com"));
    EXPECT_FALSE(D::issuerFor("ftp://mcp.example.com"));
    EXPECT_FALSE(D::issuerFor("https://user@mcp.example.com"));
    EXPECT_FALSE(D::issuerFor(""));
    auto o = options();
    o.publicUrl = "not a url";
    EXPECT_THROW(D::build(o), std::invalid_argument);
}

TEST(ProxyAuthServerMetadata, OmitsWhatIsUnsetOrNotOffered) {
    auto o = options();
    o.scopesSupported.clear();
    o.revocation = false;
    o.jwks = false;
    o.issParameterSupported = false;
    const auto d = doc(o);
    EXPECT_FALSE(d->has("scopes_supported"));
    EXPECT_FALSE(d->has("revocation_endpoint"));
    EXPECT_FALSE(d->has("revocation_endpoint_auth_methods_supported"));
    EXPECT_FALSE(d->has("jwks_uri"));
    EXPECT_FALSE(d->has("authorization_response_iss_parameter_supported"));
    o.clientIdMetadataDocumentSupported = true;
    EXPECT_TRUE(doc(o)->getValue<bool>("client_id_metadata_document_supported"));
}

TEST(ProxyAuthServerMetadata, ParsesWithTheLibrarysOwnDiscoveryReader) {
    std::string error;
    const auto m = mcph::auth::AuthServerMetadata::parse(AuthServerMetadataDocument::json(options()),
                                                         "https://mcp.example.com", error);
    ASSERT_TRUE(m) << error;
    EXPECT_EQ(m->tokenEndpoint, "https://mcp.example.com/token");
    EXPECT_EQ(m->codeChallengeMethodsSupported, std::vector<std::string>{"S256"});
    // The issuer must be compared byte for byte, so a path-bearing spelling is not ours.
    EXPECT_FALSE(mcph::auth::AuthServerMetadata::parse(AuthServerMetadataDocument::json(options()),
                                                       "https://mcp.example.com/mcp", error));
}
