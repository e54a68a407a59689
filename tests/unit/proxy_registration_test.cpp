// RegistrationRequest / RegistrationResponse: RFC 7591 as real clients speak it.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include "mcphost/auth/server/RegistrationRequest.h"
#include "mcphost/auth/server/RegistrationResponse.h"
#include "proxy_registration_fixtures.h"
#include "proxy_test_support.h"

using namespace mcph::auth::server;

using proxytest::obj;
using proxytest::strings;

namespace {

const RedirectUriPolicy& policy() {
    static const RedirectUriPolicy p({"https://mcp.example.com/oauth/callback"});
    return p;
}

const mcph::auth::TimePoint t0{std::chrono::seconds(1'800'000'000)};

RegistrationRequest parsed(const std::string& body) {
    auto r = RegistrationRequest::parse(body, policy());
    EXPECT_TRUE(r.request) << body << " -> " << r.error.error << ": " << r.error.description;
    return r.request ? *r.request : RegistrationRequest{};
}

RegistrationError refused(const std::string& body) {
    const auto r = RegistrationRequest::parse(body, policy());
    EXPECT_FALSE(r.request) << body << " was accepted";
    return r.error;
}

}  // namespace

TEST(ProxyRegistration, EveryKnownClientRegistersAndGetsItsUrisEchoedExactly) {
    for (const auto& f : proxytest::registrationFixtures()) {
        SCOPED_TRACE(f.client);
        const auto req = parsed(f.body);
        EXPECT_EQ(req.redirectUris, f.redirectUris);
        EXPECT_TRUE(req.rejectedRedirectUris.empty());
        EXPECT_EQ(req.authMethod, f.expectedAuthMethod);
        const std::optional<std::string> secret =
            req.needsSecret() ? std::optional<std::string>("the-secret") : std::nullopt;
        const std::string json = RegistrationResponse::json(req, "client-123", secret, t0);
        EXPECT_EQ(json.find("null"), std::string::npos) << json;
        const auto d = obj(json);
        EXPECT_EQ(d->getValue<std::string>("client_id"), "client-123");
        EXPECT_EQ(d->getValue<long long>("client_id_issued_at"), 1'800'000'000);
        EXPECT_EQ(strings(d, "redirect_uris"), f.redirectUris);
        EXPECT_EQ(d->getValue<std::string>("token_endpoint_auth_method"), f.expectedAuthMethod);
        EXPECT_EQ(d->has("client_secret"), req.needsSecret());
        EXPECT_EQ(strings(d, "response_types"), std::vector<std::string>{"code"});
        const auto grants = strings(d, "grant_types");
        EXPECT_EQ(grants, (std::vector<std::string>{"authorization_code", "refresh_token"}));
    }
}

TEST(ProxyRegistration, MinimalBodyGetsPublicClientDefaults) {
    const auto req = parsed(R"J({"redirect_uris":["http://localhost:1234/cb"]})J");
    EXPECT_EQ(req.authMethod, "none");  // not RFC 7591's client_secret_basic: see the header
    EXPECT_EQ(req.requestedAuthMethod, "");
    const auto d = obj(RegistrationResponse::json(req, "c", std::nullopt, t0));
    EXPECT_FALSE(d->has("client_secret"));
    EXPECT_FALSE(d->has("client_secret_expires_at"));
    EXPECT_FALSE(d->has("client_name"));
    EXPECT_FALSE(d->has("scope"));
    EXPECT_FALSE(d->has("logo_uri"));
    EXPECT_EQ(d->getValue<std::string>("token_endpoint_auth_method"), "none");
}

TEST(ProxyRegistration, ConfidentialMethodsGetASecretThatDoesNotExpire) {
    for (const char* m : {"client_secret_post", "client_secret_basic"}) {
        const auto req = parsed(std::string(R"J({"redirect_uris":["https://a.example/cb"],"token_endpoint_auth_method":")J") + m + "\"}");
        EXPECT_TRUE(req.needsSecret());
        const auto d = obj(RegistrationResponse::json(req, "c", std::string("s"), t0));
        EXPECT_EQ(d->getValue<std::string>("client_secret"), "s");
        EXPECT_EQ(d->getValue<int>("client_secret_expires_at"), 0);
        EXPECT_EQ(d->getValue<std::string>("token_endpoint_auth_method"), m);
    }
}

TEST(ProxyRegistration, UnsupportedAuthMethodsAreDowngradedToNone) {
    for (const char* m : {"private_key_jwt", "client_secret_jwt", "tls_client_auth", "bogus", ""}) {
        const auto req = parsed(std::string(R"J({"redirect_uris":["https://a.example/cb"],"token_endpoint_auth_method":")J") + m + "\"}");
        EXPECT_EQ(req.authMethod, "none") << m;
        EXPECT_EQ(req.requestedAuthMethod, m);
        EXPECT_FALSE(req.needsSecret());
    }
    EXPECT_EQ(parsed(R"J({"redirect_uris":["https://a.example/cb"],"token_endpoint_auth_method":7})J").authMethod, "none");
}

TEST(ProxyRegistration, OneOddUriDoesNotSinkTheRest) {
    const auto req = parsed(R"J({"redirect_uris":["javascript:alert(1)","https://a.example/cb",42,
                                "http://evil.example/cb","https://mcp.example.com/oauth/callback","http://127.0.0.1/cb"]})J");
    EXPECT_EQ(req.redirectUris, (std::vector<std::string>{"https://a.example/cb", "http://127.0.0.1/cb"}));
    EXPECT_EQ(req.rejectedRedirectUris.size(), 4u);
    const auto d = obj(RegistrationResponse::json(req, "c", std::nullopt, t0));
    EXPECT_EQ(strings(d, "redirect_uris"), req.redirectUris);  // the response shows what was kept
}

TEST(ProxyRegistration, RefusedOnlyWhenNoRedirectUriIsUsable) {
    EXPECT_EQ(refused(R"J({"redirect_uris":["javascript:alert(1)","http://evil.example/"]})J").error, "invalid_redirect_uri");
    EXPECT_EQ(refused(R"J({"redirect_uris":[]})J").error, "invalid_redirect_uri");
    EXPECT_EQ(refused(R"J({"redirect_uris":[1,2]})J").error, "invalid_redirect_uri");
    EXPECT_EQ(refused(R"J({"redirect_uris":7})J").error, "invalid_redirect_uri");
    EXPECT_EQ(refused(R"J({"redirect_uris":{"a":"https://a.example/cb"}})J").error, "invalid_redirect_uri");
    EXPECT_EQ(refused(R"J({"client_name":"x"})J").error, "invalid_redirect_uri");
    EXPECT_EQ(refused(R"J({"redirect_uris":["https://a.example/cb#f"]})J").description, "redirect URI has a fragment");
    std::string many = R"J({"redirect_uris":[)J";
    for (std::size_t i = 0; i <= RegistrationRequest::kMaxRedirectUris; ++i) {
        many += (i ? "," : "") + std::string("\"https://a.example/cb") + std::to_string(i) + "\"";
    }
    EXPECT_EQ(refused(many + "]}").error, "invalid_redirect_uri");
}

TEST(ProxyRegistration, BareStringRedirectUriIsAccepted) {
    EXPECT_EQ(parsed(R"J({"redirect_uris":"https://a.example/cb"})J").redirectUris,
              std::vector<std::string>{"https://a.example/cb"});
}

TEST(ProxyRegistration, MalformedBodiesAreInvalidClientMetadata) {
    for (const char* body : {"", "not json", "[]", "\"x\"", "null", "{", R"J({"redirect_uris":["https://a.example/cb"]} x)J"}) {
        EXPECT_EQ(refused(body).error, "invalid_client_metadata") << body;
    }
    const std::string huge = R"J({"redirect_uris":["https://a.example/cb"],"x":")J" +
                             std::string(RegistrationRequest::kMaxBodyBytes, 'a') + "\"}";
    EXPECT_EQ(refused(huge).error, "invalid_client_metadata");
}

TEST(ProxyRegistration, UnknownAndMistypedFieldsAreIgnored) {
    const auto req = parsed(R"J({"redirect_uris":["https://a.example/cb"],"software_statement":"eyJ...",
        "application_type":"web","contacts":["a@b.c"],"jwks":{"keys":[]},"client_name":42,"scope":["a"],
        "grant_types":"authorization_code","logo_uri":false,"tos_uri":"https://a.example/tos"})J");
    EXPECT_EQ(req.clientName, "");
    EXPECT_EQ(req.scope, "");
    EXPECT_EQ(req.logoUri, "");
    EXPECT_EQ(req.grantTypes, (std::vector<std::string>{"authorization_code", "refresh_token"}));
}

TEST(ProxyRegistration, GrantTypesAreNarrowedButNeverEmptied) {
    EXPECT_EQ(parsed(R"J({"redirect_uris":["https://a.example/cb"],"grant_types":["authorization_code"]})J").grantTypes,
              std::vector<std::string>{"authorization_code"});
    EXPECT_EQ(parsed(R"J({"redirect_uris":["https://a.example/cb"],"grant_types":["refresh_token","authorization_code","implicit"]})J").grantTypes,
              (std::vector<std::string>{"authorization_code", "refresh_token"}));
    EXPECT_EQ(parsed(R"J({"redirect_uris":["https://a.example/cb"],"grant_types":["client_credentials"]})J").grantTypes,
              (std::vector<std::string>{"authorization_code", "refresh_token"}));
    EXPECT_EQ(parsed(R"J({"redirect_uris":["https://a.example/cb"],"response_types":["token"]})J").responseTypes,
              std::vector<std::string>{"code"});
}

TEST(ProxyRegistration, ClientNameIsKeptOnlyWhenPrintableAndShort) {
    EXPECT_EQ(parsed(R"J({"redirect_uris":["https://a.example/cb"],"client_name":"Zed \u00e9diteur"})J").clientName,
              "Zed \xc3\xa9" "diteur");
    EXPECT_EQ(parsed(R"J({"redirect_uris":["https://a.example/cb"],"client_name":"Good\nEvil"})J").clientName, "");
    EXPECT_EQ(parsed(R"J({"redirect_uris":["https://a.example/cb"],"client_name":"a\u0000b"})J").clientName, "");
    const std::string longName(RegistrationRequest::kMaxNameLength + 1, 'n');
    EXPECT_EQ(parsed(R"J({"redirect_uris":["https://a.example/cb"],"client_name":")J" + longName + "\"}").clientName, "");
}

TEST(ProxyRegistration, EmptyScopeIsAcceptedAndNotEchoed) {
    const auto req = parsed(R"J({"redirect_uris":["https://a.example/cb"],"scope":""})J");
    EXPECT_FALSE(obj(RegistrationResponse::json(req, "c", std::nullopt, t0))->has("scope"));
}

TEST(ProxyRegistration, ErrorBodyShape) {
    const auto d = obj(RegistrationResponse::errorJson({"invalid_redirect_uri", "no usable redirect URI"}));
    EXPECT_EQ(d->getValue<std::string>("error"), "invalid_redirect_uri");
    EXPECT_EQ(d->getValue<std::string>("error_description"), "no usable redirect URI");
    EXPECT_FALSE(obj(RegistrationResponse::errorJson({"invalid_client_metadata", ""}))->has("error_description"));
}
