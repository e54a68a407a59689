// Client ID Metadata Documents: the client id URL rules, the address filter, document
// validation, the pinned vendor documents, and real fetches over 127.0.0.1 (caching, failure
// caching, no redirects, size and time limits, address pinning, TLS failing closed).
#include <Poco/Net/Context.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "auth_test_support.h"
#include "integration/support/TestCertificates.h"
#include "mcphost/auth/server/CimdAddressPolicy.h"
#include "mcphost/auth/server/CimdClientIdUrl.h"
#include "mcphost/auth/server/CimdClientLookup.h"
#include "mcphost/auth/server/ClientMetadataDocument.h"
#include "mcphost/auth/server/PinnedClientDocuments.h"
#include "mcphost/auth/server/SafeDocumentFetcher.h"

using namespace authtest;
using namespace mcph::auth::server;
using Poco::Net::IPAddress;

namespace {

const RedirectUriPolicy& policy() {
    static const RedirectUriPolicy p({"https://mcp.example.com/oauth/callback"});
    return p;
}

// A registration store stand-in: knows one dynamically registered client.
class OneClient final : public ClientLookup {
  public:
    std::optional<ClientRecord> find(const std::string& clientId) override {
        ++calls;
        if (clientId != "dcr-client-1") return std::nullopt;
        ClientRecord r;
        r.clientId = clientId;
        r.name = "Registered";
        return r;
    }
    int calls = 0;
};

std::string doc(const std::string& clientId, const std::string& extra = "") {
    return R"({"client_id":")" + clientId +
           R"(","client_name":"Test Client","redirect_uris":["https://app.example/cb","http://127.0.0.1/callback"])" +
           extra + "}";
}

// Test-only options: plain http and loopback allowed, so TestHttpServer can play the client host.
CimdOptions localOptions(const ManualClock& clock) {
    CimdOptions o;
    o.allowHttp = true;
    o.allowPrivateAddresses = true;
    o.now = clock.fn();
    return o;
}

std::string refusal(const std::string& body,
                    const std::string& id = "https://app.example/client.json") {
    const auto r = ClientMetadataDocument::parse(body, id, policy());
    EXPECT_FALSE(r.document) << body;
    return r.error;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

// ---- client id URLs ----------------------------------------------------------------------

TEST(ProxyCimdUrl, SplitsAValidDocumentUrl) {
    const auto u =
        CimdClientIdUrl::parse("https://claude.ai/oauth/mcp-oauth-client-metadata", false);
    ASSERT_TRUE(u);
    EXPECT_EQ(u->scheme, "https");
    EXPECT_EQ(u->host, "claude.ai");
    EXPECT_EQ(u->authority, "claude.ai");
    EXPECT_EQ(u->port, 443);
    EXPECT_EQ(u->target, "/oauth/mcp-oauth-client-metadata");
    EXPECT_FALSE(u->hostIsIpLiteral);

    const auto p = CimdClientIdUrl::parse("https://docs.example:8443/c.json?v=2", false);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->port, 8443);
    EXPECT_EQ(p->authority, "docs.example:8443");
    EXPECT_EQ(p->target, "/c.json?v=2");

    const auto v6 = CimdClientIdUrl::parse("https://[2001:4860::8888]/c.json", false);
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->host, "2001:4860::8888");
    EXPECT_TRUE(v6->hostIsIpLiteral);
}

TEST(ProxyCimdUrl, RefusesWhatTheDraftForbidsAndTricks) {
    const std::pair<const char*, const char*> cases[] = {
        {"http://app.example/client.json", "https"},
        {"HTTPS://app.example/client.json", "https"},
        {"ftp://app.example/client.json", "https"},
        {"https://app.example/client.json#frag", "fragment"},
        {"https://user@app.example/client.json", "userinfo"},
        {"https://user:pw@app.example/client.json", "userinfo"},
        {"https://app.example", "no path"},
        {"https://app.example/", "no path"},
        {"https://app.example?x=1", "no path"},
        {"https://app.example/a/../client.json", "dot segment"},
        {"https://app.example/./client.json", "dot segment"},
        {"https://app.example/a/..", "dot segment"},
        {"https://app.example/a/%2e%2e/client.json", "dot segment"},
        {"https://app.example/a/.%2E/client.json", "dot segment"},
        {"https://app.example/%2e/client.json", "dot segment"},
        {"https://app.example/client .json", "whitespace"},
        {"https://app.example/client\t.json", "whitespace"},
        {"https://app.example/caf\xc3\xa9.json", "non-ASCII"},
        {"https://app.example\\@evil.example/c.json", "backslash"},
        {"https://app.example/%zz.json", "percent"},
        {"https:///client.json", "no host"},
        {"https://:443/client.json", "malformed host"},
        {"https://app..example/client.json", "malformed host"},
        {"https://127.1/client.json", "malformed host"},
        {"https://[fe80::1%25eth0]/client.json", "malformed host"},
        {"https://app.example:0/client.json", "port"},
        {"https://app.example:99999/client.json", "port"},
        {"https://app.example:/client.json", "port"},
        {"https://app.example:44x/client.json", "port"},
    };
    for (const auto& [url, why] : cases) {
        SCOPED_TRACE(url);
        std::string reason;
        EXPECT_FALSE(CimdClientIdUrl::parse(url, false, &reason));
        EXPECT_TRUE(contains(reason, why)) << reason;
    }
    std::string reason;
    EXPECT_FALSE(
        CimdClientIdUrl::parse("https://app.example/" + std::string(600, 'a'), false, &reason));
    EXPECT_TRUE(contains(reason, "too long")) << reason;
}

TEST(ProxyCimdUrl, PlainHttpOnlyWhenAllowed) {
    EXPECT_FALSE(CimdClientIdUrl::parse("http://127.0.0.1:8080/client.json", false));
    const auto u = CimdClientIdUrl::parse("http://127.0.0.1:8080/client.json", true);
    ASSERT_TRUE(u);
    EXPECT_EQ(u->port, 8080);
    EXPECT_TRUE(u->hostIsIpLiteral);
}

// ---- the address filter ------------------------------------------------------------------

TEST(ProxyCimdAddressPolicy, ClassifiesEverySpecialRange) {
    const std::pair<const char*, AddressClass> cases[] = {
        {"0.0.0.0", AddressClass::Unspecified},
        {"0.1.2.3", AddressClass::Unspecified},
        {"127.0.0.1", AddressClass::Loopback},
        {"127.255.255.254", AddressClass::Loopback},
        {"10.0.0.1", AddressClass::Private},
        {"10.255.255.255", AddressClass::Private},
        {"172.16.0.1", AddressClass::Private},
        {"172.31.255.255", AddressClass::Private},
        {"192.168.1.1", AddressClass::Private},
        {"100.64.0.1", AddressClass::SharedCgnat},
        {"100.127.255.255", AddressClass::SharedCgnat},
        {"169.254.169.254", AddressClass::LinkLocal},
        {"224.0.0.1", AddressClass::Multicast},
        {"239.255.255.255", AddressClass::Multicast},
        {"240.0.0.1", AddressClass::Reserved},
        {"255.255.255.255", AddressClass::Reserved},
        {"192.0.0.8", AddressClass::Reserved},
        {"192.0.2.1", AddressClass::Reserved},
        {"192.88.99.1", AddressClass::Reserved},
        {"198.18.0.1", AddressClass::Reserved},
        {"198.19.255.255", AddressClass::Reserved},
        {"198.51.100.7", AddressClass::Reserved},
        {"203.0.113.9", AddressClass::Reserved},
        {"::", AddressClass::Unspecified},
        {"::1", AddressClass::Loopback},
        {"::ffff:127.0.0.1", AddressClass::Loopback},
        {"::ffff:169.254.169.254", AddressClass::LinkLocal},
        {"::ffff:10.1.2.3", AddressClass::Private},
        {"64:ff9b::a00:1", AddressClass::Private},  // NAT64 of 10.0.0.1
        {"64:ff9b:1::1", AddressClass::Reserved},
        {"::127.0.0.1", AddressClass::Reserved},  // deprecated IPv4-compatible
        {"100::1", AddressClass::Reserved},       // discard-only
        {"fe80::1", AddressClass::LinkLocal},
        {"febf::1", AddressClass::LinkLocal},
        {"fec0::1", AddressClass::Private},
        {"fc00::1", AddressClass::UniqueLocal},
        {"fd12:3456::1", AddressClass::UniqueLocal},
        {"ff02::1", AddressClass::Multicast},
        {"2001:db8::1", AddressClass::Reserved},
        {"2001::1", AddressClass::Reserved},        // Teredo
        {"2001:10::1", AddressClass::Reserved},     // ORCHID
        {"2002:a00:1::1", AddressClass::Reserved},  // 6to4
        {"3fff::1", AddressClass::Reserved},
        {"4000::1", AddressClass::Reserved},  // outside global unicast
    };
    for (const auto& [text, expected] : cases) {
        SCOPED_TRACE(text);
        EXPECT_EQ(CimdAddressPolicy::classify(IPAddress(text)), expected)
            << CimdAddressPolicy::describe(CimdAddressPolicy::classify(IPAddress(text)));
    }
}

TEST(ProxyCimdAddressPolicy, PublicAddressesPass) {
    for (const char* text :
         {"1.1.1.1", "8.8.8.8", "93.184.216.34", "100.63.255.255", "100.128.0.1", "172.15.255.255",
          "172.32.0.1", "169.253.0.1", "223.255.255.255", "2606:4700::1111", "2a00:1450::1",
          "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808"}) {
        SCOPED_TRACE(text);
        EXPECT_TRUE(CimdAddressPolicy::isPublic(IPAddress(text)));
    }
}

// ---- document validation ------------------------------------------------------------------

TEST(ProxyCimdDocument, AcceptsAMinimalPublicClient) {
    const std::string id = "https://app.example/client.json";
    const auto r = ClientMetadataDocument::parse(doc(id), id, policy());
    ASSERT_TRUE(r.document) << r.error;
    const ClientRecord c = r.document->toClientRecord(mcph::auth::TimePoint{});
    EXPECT_EQ(c.clientId, id);
    EXPECT_EQ(c.name, "Test Client");
    EXPECT_EQ(c.authMethod, "none");
    EXPECT_TRUE(c.secretHash.empty());
    EXPECT_EQ(c.redirectUris,
              (std::vector<std::string>{"https://app.example/cb", "http://127.0.0.1/callback"}));
}

TEST(ProxyCimdDocument, ClientIdMustMatchTheUrlExactly) {
    EXPECT_TRUE(contains(refusal(doc("https://other.example/client.json")), "does not match"));
    EXPECT_TRUE(contains(refusal(doc("https://app.example/client.json/")), "does not match"));
    EXPECT_TRUE(contains(refusal(doc("https://APP.example/client.json")), "does not match"));
    EXPECT_TRUE(contains(refusal(R"({"client_name":"x","redirect_uris":["https://a.example/cb"]})"),
                         "no client_id"));
    EXPECT_TRUE(contains(refusal(R"({"client_id":42,"redirect_uris":["https://a.example/cb"]})"),
                         "no client_id"));
}

TEST(ProxyCimdDocument, RedirectUrisAreRequiredAndBadOnesDropped) {
    const std::string id = "https://app.example/client.json";
    EXPECT_TRUE(contains(refusal(R"({"client_id":")" + id + R"("})"), "redirect"));
    EXPECT_TRUE(
        contains(refusal(R"({"client_id":")" + id + R"(","redirect_uris":[]})"), "redirect"));
    EXPECT_TRUE(
        contains(refusal(R"({"client_id":")" + id + R"(","redirect_uris":{"a":1}})"), "redirect"));
    EXPECT_FALSE(refusal(R"({"client_id":")" + id +
                         R"(","redirect_uris":["javascript:alert","http://evil.example/cb"]})")
                     .empty());
    // The host's own callback is never a client's redirect URI.
    EXPECT_FALSE(refusal(R"({"client_id":")" + id +
                         R"(","redirect_uris":["https://mcp.example.com/oauth/callback"]})")
                     .empty());

    const auto r = ClientMetadataDocument::parse(
        R"({"client_id":")" + id +
            R"(","redirect_uris":["javascript:alert","https://app.example/cb","data:text/html,x","http://evil.example/cb",7]})",
        id, policy());
    ASSERT_TRUE(r.document) << r.error;
    EXPECT_EQ(r.document->redirectUris, std::vector<std::string>{"https://app.example/cb"});
    EXPECT_EQ(r.document->rejectedRedirectUris.size(), 4u);
}

TEST(ProxyCimdDocument, OnlyClientsThatCanBePublicAreAccepted) {
    const std::string id = "https://app.example/client.json";
    EXPECT_TRUE(contains(
        refusal(doc(
            id,
            R"(,"token_endpoint_auth_method":"private_key_jwt","jwks_uri":"https://app.example/jwks")")),
        "public-client"));
    EXPECT_TRUE(contains(
        refusal(doc(
            id,
            R"(,"token_endpoint_auth_method":"private_key_jwt","token_endpoint_auth_methods_supported":["private_key_jwt"])")),
        "public-client"));
    EXPECT_TRUE(contains(
        refusal(doc(id, R"(,"token_endpoint_auth_methods_supported":["private_key_jwt"])")),
        "public-client"));
    EXPECT_TRUE(contains(refusal(doc(id, R"(,"token_endpoint_auth_method":"tls_client_auth")")),
                         "public-client"));
    for (const char* shared : {"client_secret_basic", "client_secret_post", "client_secret_jwt"}) {
        SCOPED_TRACE(shared);
        EXPECT_TRUE(contains(
            refusal(doc(id, R"(,"token_endpoint_auth_method":")" + std::string(shared) + "\"")),
            "shared-secret"));
    }
    EXPECT_TRUE(contains(
        refusal(doc(id, R"(,"token_endpoint_auth_methods_supported":["client_secret_basic"])")),
        "shared-secret"));
    EXPECT_TRUE(contains(refusal(doc(id, R"(,"client_secret":"s3cret")")), "secret"));
    EXPECT_TRUE(contains(refusal(doc(id, R"(,"client_secret_expires_at":0)")), "secret"));
    EXPECT_TRUE(
        contains(refusal(doc(id, R"(,"token_endpoint_auth_method":["none"])")), "not a string"));
    EXPECT_TRUE(contains(refusal(doc(id, R"(,"token_endpoint_auth_methods_supported":"none")")),
                         "not an array"));

    for (
        const std::string ok :
        {std::string(R"(,"token_endpoint_auth_method":"none")"),
         std::string(R"(,"token_endpoint_auth_methods_supported":["none"])"),
         std::string(
             R"(,"token_endpoint_auth_method":"none","token_endpoint_auth_methods_supported":["private_key_jwt"])")}) {
        SCOPED_TRACE(ok);
        const auto r = ClientMetadataDocument::parse(doc(id, ok), id, policy());
        EXPECT_TRUE(r.document) << r.error;
    }
}

TEST(ProxyCimdDocument, ChatGptStyleDocumentIsAPublicClient) {
    const std::string id = "https://chat.example/oauth/client.json";
    // Preferred method private_key_jwt, `none` in the supported list (the RFC 8414 field name).
    const std::string both =
        R"({"client_id":")" + id +
        R"(","client_uri":"https://chat.example/","redirect_uris":["https://chat.example/connector_platform_oauth_redirect"],"token_endpoint_auth_method":"private_key_jwt","token_endpoint_auth_methods_supported":["none","private_key_jwt"],"grant_types":["authorization_code","refresh_token"],"response_types":["code"],"client_name":"ChatGPT","token_endpoint_auth_signing_alg":"RS256","jwks_uri":"https://chat.example/oauth/jwks.json"})";
    const auto r = ClientMetadataDocument::parse(both, id, policy());
    ASSERT_TRUE(r.document) << r.error;
    EXPECT_EQ(r.document->declaredAuthMethod, "private_key_jwt");
    EXPECT_EQ(r.document->toClientRecord({}).authMethod, "none");
    // The form without the singular field.
    const std::string listOnly =
        R"({"client_id":")" + id +
        R"(","redirect_uris":["https://chat.example/cb"],"token_endpoint_auth_methods_supported":["private_key_jwt","none"]})";
    EXPECT_TRUE(ClientMetadataDocument::parse(listOnly, id, policy()).document);
}

TEST(ProxyCimdDocument, UnsupportedGrantsAreIgnoredButTheCodeFlowMustBeAllowed) {
    const std::string id = "https://app.example/client.json";
    EXPECT_TRUE(
        ClientMetadataDocument::parse(
            doc(id,
                R"(,"grant_types":["authorization_code","refresh_token","urn:ietf:params:oauth:grant-type:jwt-bearer"])"),
            id, policy())
            .document);
    EXPECT_TRUE(contains(refusal(doc(id, R"(,"grant_types":["client_credentials"])")),
                         "authorization_code"));
    EXPECT_TRUE(contains(refusal(doc(id, R"(,"response_types":["token"])")), "code"));
    EXPECT_TRUE(
        contains(refusal(doc(id, R"(,"grant_types":"authorization_code")")), "not an array"));
}

TEST(ProxyCimdDocument, RefusesOversizedAndNonJsonDocuments) {
    const std::string id = "https://app.example/client.json";
    const std::string padded = doc(id, R"(,"padding":")" + std::string(6000, 'x') + "\"");
    EXPECT_TRUE(contains(refusal(padded), "larger than"));
    EXPECT_TRUE(ClientMetadataDocument::parse(padded, id, policy(), 64 * 1024).document);
    EXPECT_TRUE(contains(refusal("<html>challenge</html>"), "not a JSON object"));
    EXPECT_TRUE(contains(refusal("[1,2]"), "not a JSON object"));
    EXPECT_TRUE(contains(refusal(""), "not a JSON object"));
    EXPECT_TRUE(contains(refusal(doc(id) + "trailing"), "not a JSON object"));
}

// ---- the lookup: routing and pinned documents ----------------------------------------------

TEST(ProxyCimdLookup, PlainIdsGoToTheRegistrationStore) {
    OneClient store;
    CimdClientLookup lookup(store, policy());
    ASSERT_TRUE(lookup.find("dcr-client-1"));
    EXPECT_EQ(lookup.find("dcr-client-1")->name, "Registered");
    EXPECT_FALSE(lookup.find("unknown"));
    EXPECT_EQ(store.calls, 3);
    // A URL-shaped id never reaches the store, valid or not.
    EXPECT_FALSE(lookup.find("https://app.example/"));
    EXPECT_FALSE(lookup.find("http://app.example/client.json"));
    EXPECT_EQ(store.calls, 3);
}

TEST(ProxyCimdLookup, DisabledSendsEverythingToTheStore) {
    OneClient store;
    CimdOptions o;
    o.enabled = false;
    CimdClientLookup lookup(store, policy(), o);
    EXPECT_FALSE(lookup.find("https://claude.ai/oauth/mcp-oauth-client-metadata"));
    EXPECT_EQ(store.calls, 1);
}

TEST(ProxyCimdLookup, PinnedVendorDocumentsResolveWithoutNetwork) {
    OneClient store;
    CimdOptions o;  // production settings: https only, public addresses only
    o.resolve = [](const std::string& host) -> std::vector<IPAddress> {
        ADD_FAILURE() << "pinned document looked up " << host;
        return {};
    };
    CimdClientLookup lookup(store, policy(), o);
    const std::map<std::string, std::string> names{
        {"https://claude.ai/oauth/mcp-oauth-client-metadata", "Claude"},
        {"https://claude.ai/oauth/claude-code-client-metadata", "Claude Code"},
        {"https://chatgpt.com/oauth/client.json", "ChatGPT"},
        {"https://vscode.dev/oauth/client-metadata.json", "Visual Studio Code"},
        {"https://zed.dev/oauth/client-metadata.json", "Zed"},
        {"https://goose-docs.ai/oauth/client-metadata.json", "goose"},
    };
    EXPECT_EQ(PinnedClientDocuments::all().size(), names.size());
    for (const auto& [id, name] : names) {
        SCOPED_TRACE(id);
        const CimdResolution r = lookup.resolve(id);
        ASSERT_TRUE(r.client) << r.error;
        EXPECT_TRUE(r.pinned);
        EXPECT_EQ(r.client->clientId, id);
        EXPECT_EQ(r.client->name, name);
        EXPECT_EQ(r.client->authMethod, "none");
        EXPECT_TRUE(r.client->secretHash.empty());
        EXPECT_FALSE(r.client->redirectUris.empty());
    }
    EXPECT_EQ(store.calls, 0);

    // What the real clients then present at /authorize matches.
    const auto claude = lookup.find("https://claude.ai/oauth/mcp-oauth-client-metadata");
    EXPECT_TRUE(
        policy().matchesAny(claude->redirectUris, "https://claude.ai/api/mcp/auth_callback"));
    const auto code = lookup.find("https://claude.ai/oauth/claude-code-client-metadata");
    EXPECT_TRUE(policy().matchesAny(code->redirectUris, "http://localhost:54212/callback"));
    const auto chatgpt = lookup.find("https://chatgpt.com/oauth/client.json");
    EXPECT_TRUE(policy().matchesAny(chatgpt->redirectUris,
                                    "https://chatgpt.com/connector_platform_oauth_redirect"));
    const auto vscode = lookup.find("https://vscode.dev/oauth/client-metadata.json");
    EXPECT_TRUE(policy().matchesAny(vscode->redirectUris, "http://127.0.0.1:33418/"));
    EXPECT_TRUE(policy().matchesAny(vscode->redirectUris, "https://vscode.dev/redirect"));
    const auto zed = lookup.find("https://zed.dev/oauth/client-metadata.json");
    EXPECT_TRUE(policy().matchesAny(zed->redirectUris, "http://127.0.0.1:49152/callback"));
    const auto goose = lookup.find("https://goose-docs.ai/oauth/client-metadata.json");
    EXPECT_TRUE(policy().matchesAny(goose->redirectUris, "http://127.0.0.1:61000/oauth_callback"));
}

TEST(ProxyCimdLookup, DocumentHostIsWhatTheConsentPageShows) {
    EXPECT_EQ(CimdClientLookup::documentHost("https://claude.ai/oauth/mcp-oauth-client-metadata"),
              "claude.ai");
    EXPECT_EQ(CimdClientLookup::documentHost("https://docs.example:8443/c.json"), "docs.example");
    EXPECT_FALSE(CimdClientLookup::documentHost("dcr-client-1"));
    EXPECT_FALSE(CimdClientLookup::documentHost("https://user@evil.example/c.json"));
}

// ---- the lookup: real fetches over 127.0.0.1 ------------------------------------------------

TEST(ProxyCimdFetch, FetchesValidatesAndCaches) {
    TestHttpServer server;
    const std::string id = server.url("/client.json");
    server.serve("/client.json", 200, doc(id));
    OneClient store;
    ManualClock clock;
    CimdClientLookup lookup(store, policy(), localOptions(clock));

    const CimdResolution first = lookup.resolve(id);
    ASSERT_TRUE(first.client) << first.error;
    EXPECT_FALSE(first.fromCache);
    EXPECT_EQ(first.client->clientId, id);
    EXPECT_EQ(first.client->name, "Test Client");
    EXPECT_EQ(server.hits("/client.json"), 1);
    const auto request = server.lastRequest("/client.json");
    EXPECT_EQ(request.method, "GET");
    EXPECT_EQ(request.headers.count("Authorization"), 0u);
    EXPECT_EQ(request.headers.count("Cookie"), 0u);

    const CimdResolution second = lookup.resolve(id);
    ASSERT_TRUE(second.client);
    EXPECT_TRUE(second.fromCache);
    EXPECT_EQ(server.hits("/client.json"), 1);

    clock.advance(std::chrono::seconds(3599));
    EXPECT_TRUE(lookup.find(id));
    EXPECT_EQ(server.hits("/client.json"), 1);
    clock.advance(std::chrono::seconds(2));  // past cacheSeconds (3600)
    EXPECT_TRUE(lookup.find(id));
    EXPECT_EQ(server.hits("/client.json"), 2);
    EXPECT_EQ(store.calls, 0);
}

TEST(ProxyCimdFetch, HonoursMaxAgeWithinTheBounds) {
    TestHttpServer server;
    const std::string shortId = server.url("/short.json");
    const std::string longId = server.url("/long.json");
    server.route("/short.json", [&](const TestHttpServer::Request&) {
        return TestHttpServer::Reply{
            200, doc(shortId), "application/json", {{"Cache-Control", "public, max-age=5"}}, false};
    });
    server.route("/long.json", [&](const TestHttpServer::Request&) {
        return TestHttpServer::Reply{200,
                                     doc(longId),
                                     "application/json; charset=utf-8",
                                     {{"Cache-Control", "max-age=120"}},
                                     false};
    });
    OneClient store;
    ManualClock clock;
    CimdClientLookup lookup(store, policy(), localOptions(clock));
    ASSERT_TRUE(lookup.find(shortId));
    ASSERT_TRUE(lookup.find(longId));
    clock.advance(std::chrono::seconds(59));  // max-age=5 is raised to the 60 s floor
    EXPECT_TRUE(lookup.find(shortId));
    EXPECT_EQ(server.hits("/short.json"), 1);
    clock.advance(std::chrono::seconds(2));
    EXPECT_TRUE(lookup.find(shortId));
    EXPECT_EQ(server.hits("/short.json"), 2);
    clock.advance(std::chrono::seconds(58));  // 119 s: max-age=120 still holds
    EXPECT_TRUE(lookup.find(longId));
    EXPECT_EQ(server.hits("/long.json"), 1);
    clock.advance(std::chrono::seconds(2));
    EXPECT_TRUE(lookup.find(longId));
    EXPECT_EQ(server.hits("/long.json"), 2);
}

TEST(ProxyCimdFetch, FailuresAreCachedBriefly) {
    TestHttpServer server;
    const std::string id = server.url("/missing.json");  // 404
    OneClient store;
    ManualClock clock;
    CimdClientLookup lookup(store, policy(), localOptions(clock));
    const CimdResolution first = lookup.resolve(id);
    EXPECT_FALSE(first.client);
    EXPECT_TRUE(contains(first.error, "HTTP 404")) << first.error;
    for (int i = 0; i < 20; ++i) EXPECT_FALSE(lookup.find(id));
    EXPECT_EQ(server.hits("/missing.json"), 1);
    clock.advance(std::chrono::seconds(61));
    EXPECT_FALSE(lookup.find(id));
    EXPECT_EQ(server.hits("/missing.json"), 2);

    // A document that fails validation is a failure too.
    const std::string wrong = server.url("/wrong.json");
    server.serve("/wrong.json", 200, doc("https://someone.else/client.json"));
    EXPECT_TRUE(contains(lookup.resolve(wrong).error, "does not match"));
    EXPECT_FALSE(lookup.find(wrong));
    EXPECT_EQ(server.hits("/wrong.json"), 1);
}

TEST(ProxyCimdFetch, RedirectsAreNotFollowed) {
    TestHttpServer server;
    const std::string id = server.url("/moved.json");
    server.route("/moved.json", [&](const TestHttpServer::Request&) {
        return TestHttpServer::Reply{
            302, "", "text/plain", {{"Location", server.url("/target.json")}}, false};
    });
    server.serve("/target.json", 200, doc(id));
    OneClient store;
    ManualClock clock;
    CimdClientLookup lookup(store, policy(), localOptions(clock));
    const CimdResolution r = lookup.resolve(id);
    EXPECT_FALSE(r.client);
    EXPECT_TRUE(contains(r.error, "redirect")) << r.error;
    EXPECT_EQ(server.hits("/target.json"), 0);
}

TEST(ProxyCimdFetch, RefusesOversizedNonJsonAndMalformedAnswers) {
    TestHttpServer server;
    OneClient store;
    ManualClock clock;
    CimdOptions o = localOptions(clock);
    CimdClientLookup lookup(store, policy(), o);

    const std::string big = server.url("/big.json");
    server.serve("/big.json", 200, doc(big, R"(,"padding":")" + std::string(6000, 'x') + "\""));
    EXPECT_TRUE(contains(lookup.resolve(big).error, "larger than"));

    const std::string chunked = server.url("/chunked.json");
    server.route("/chunked.json", [&](const TestHttpServer::Request&) {
        return TestHttpServer::Reply{
            200,
            doc(chunked, R"(,"padding":")" + std::string(6000, 'x') + "\""),
            "application/json",
            {},
            true};
    });
    EXPECT_TRUE(contains(lookup.resolve(chunked).error, "larger than"));

    const std::string html = server.url("/challenge");
    server.serve("/challenge", 200, "<html>Just a moment...</html>", "text/html");
    EXPECT_TRUE(contains(lookup.resolve(html).error, "non-JSON")) << lookup.resolve(html).error;

    const std::string notJson = server.url("/broken.json");
    server.serve("/broken.json", 200, "{\"client_id\":", "application/json");
    EXPECT_TRUE(contains(lookup.resolve(notJson).error, "not a JSON object"));

    // A small chunked document is fine.
    const std::string small = server.url("/small.json");
    server.route("/small.json", [&](const TestHttpServer::Request&) {
        return TestHttpServer::Reply{200, doc(small), "application/json", {}, true};
    });
    const CimdResolution ok = lookup.resolve(small);
    EXPECT_TRUE(ok.client) << ok.error;
}

TEST(ProxyCimdFetch, LoopbackIsRefusedUnlessAllowed) {
    TestHttpServer server;
    const std::string id = server.url("/client.json");
    server.serve("/client.json", 200, doc(id));
    OneClient store;
    ManualClock clock;
    CimdOptions o = localOptions(clock);
    o.allowPrivateAddresses = false;
    CimdClientLookup lookup(store, policy(), o);
    const CimdResolution r = lookup.resolve(id);
    EXPECT_FALSE(r.client);
    EXPECT_TRUE(contains(r.error, "loopback")) << r.error;

    // By name too: "localhost" resolves to loopback addresses, refused before any connection.
    const std::string byName = "http://localhost:" + id.substr(id.find(':', 5) + 1);
    const CimdResolution n = lookup.resolve(byName);
    EXPECT_FALSE(n.client);
    EXPECT_TRUE(contains(n.error, "loopback")) << n.error;
    EXPECT_EQ(server.hits("/client.json"), 0);
}

TEST(ProxyCimdFetch, OneInternalAddressAmongPublicOnesRefusesTheName) {
    OneClient store;
    ManualClock clock;
    CimdOptions o;
    o.now = clock.fn();
    o.resolve = [](const std::string&) {
        return std::vector<IPAddress>{IPAddress("93.184.216.34"), IPAddress("10.0.0.7")};
    };
    CimdClientLookup lookup(store, policy(), o);
    const CimdResolution r = lookup.resolve("https://rebind.example/client.json");
    EXPECT_FALSE(r.client);
    EXPECT_TRUE(contains(r.error, "private")) << r.error;

    o.resolve = [](const std::string&) {
        return std::vector<IPAddress>{IPAddress("169.254.169.254")};
    };
    CimdClientLookup metadata(store, policy(), o);
    EXPECT_TRUE(
        contains(metadata.resolve("https://imds.example/latest/meta-data").error, "link-local"));
}

TEST(ProxyCimdFetch, ConnectsToTheCheckedAddressWithTheNameAsHost) {
    TestHttpServer server;
    const std::string port = server.url().substr(server.url().rfind(':') + 1);
    const std::string id = "http://docs.example:" + port + "/client.json";
    server.serve("/client.json", 200, doc(id));
    OneClient store;
    ManualClock clock;
    CimdOptions o = localOptions(clock);
    std::vector<std::string> resolved;
    o.resolve = [&](const std::string& host) {
        resolved.push_back(host);
        return std::vector<IPAddress>{IPAddress("127.0.0.1")};
    };
    CimdClientLookup lookup(store, policy(), o);
    const CimdResolution r = lookup.resolve(id);
    ASSERT_TRUE(r.client) << r.error;
    EXPECT_EQ(resolved, std::vector<std::string>{"docs.example"});  // resolved once
    EXPECT_EQ(server.lastRequest("/client.json").headers["Host"], "docs.example:" + port);
}

TEST(ProxyCimdFetch, TheTotalDeadlineEndsASilentServer) {
    TestHttpServer server;
    auto gate = std::make_shared<Gate>();
    const std::string id = server.url("/slow.json");
    server.route("/slow.json", [gate, id](const TestHttpServer::Request&) {
        gate->wait();
        return TestHttpServer::Reply{200, doc(id)};
    });
    OneClient store;
    ManualClock clock;
    CimdOptions o = localOptions(clock);
    o.readTimeout = std::chrono::minutes(5);  // only the total deadline can end this
    o.totalTimeout = std::chrono::milliseconds(300);
    CimdClientLookup lookup(store, policy(), o);
    const CimdResolution r = lookup.resolve(id);
    gate->open();
    EXPECT_FALSE(r.client);
    EXPECT_TRUE(contains(r.error, "took longer")) << r.error;
}

TEST(ProxyCimdFetch, ConcurrentLookupsShareOneFetchAndFetchesAreBounded) {
    TestHttpServer server;
    auto entered = std::make_shared<Gate>();
    auto release = std::make_shared<Gate>();
    const std::string id = server.url("/held.json");
    server.route("/held.json", [entered, release, id](const TestHttpServer::Request&) {
        entered->open();
        release->wait();
        return TestHttpServer::Reply{200, doc(id)};
    });
    const std::string other = server.url("/other.json");
    server.serve("/other.json", 200, doc(other));
    OneClient store;
    ManualClock clock;
    CimdOptions o = localOptions(clock);
    o.maxConcurrentFetches = 1;
    CimdClientLookup lookup(store, policy(), o);

    std::vector<std::thread> threads;
    std::atomic<int> found{0};
    threads.emplace_back([&] { found += lookup.find(id) ? 1 : 0; });
    entered->wait();  // the first fetch is in progress
    const CimdResolution busy = lookup.resolve(other);
    EXPECT_FALSE(busy.client);
    EXPECT_TRUE(contains(busy.error, "too many")) << busy.error;
    for (int i = 0; i < 3; ++i) threads.emplace_back([&] { found += lookup.find(id) ? 1 : 0; });
    release->open();
    for (auto& t : threads) t.join();
    EXPECT_EQ(found.load(), 4);
    EXPECT_EQ(server.hits("/held.json"), 1);
    // "Busy" was not cached: the other document is fetched now.
    EXPECT_TRUE(lookup.find(other));
    EXPECT_EQ(server.hits("/other.json"), 1);
}

TEST(ProxyCimdFetch, TheCacheIsBounded) {
    TestHttpServer server;
    OneClient store;
    ManualClock clock;
    CimdOptions o = localOptions(clock);
    o.maxCacheEntries = 2;
    CimdClientLookup lookup(store, policy(), o);
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        ids.push_back(server.url("/c" + std::to_string(i) + ".json"));
        server.serve("/c" + std::to_string(i) + ".json", 200, doc(ids.back()));
        clock.advance(std::chrono::seconds(1));
        ASSERT_TRUE(lookup.find(ids.back()));
    }
    // The entry expiring soonest (the first) made room; the others are still cached.
    EXPECT_TRUE(lookup.find(ids[1]));
    EXPECT_TRUE(lookup.find(ids[2]));
    EXPECT_EQ(server.hits("/c1.json") + server.hits("/c2.json"), 2);
    EXPECT_TRUE(lookup.find(ids[0]));
    EXPECT_EQ(server.hits("/c0.json"), 2);
}

namespace {

// Self-signed certificates (which the system CA store does not trust): the shared test helper.
using mcph::testing::writeSelfSignedCertificate;

class JsonHandler : public Poco::Net::HTTPRequestHandler {
    void handleRequest(Poco::Net::HTTPServerRequest& req,
                       Poco::Net::HTTPServerResponse& resp) override {
        const std::string body = "{\"host\":\"" + req.getHost() + "\"}";
        resp.setContentType("application/json");
        resp.setContentLength(static_cast<std::streamsize>(body.size()));
        resp.send() << body;
    }
};
class JsonFactory : public Poco::Net::HTTPRequestHandlerFactory {
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
        return new JsonHandler;
    }
};

}  // namespace

TEST(ProxyCimdFetch, HttpsFailsClosedOnAnUntrustedCertificateAndOnPlainHttp) {
    OneClient store;
    ManualClock clock;
    CimdOptions o = localOptions(clock);
    o.allowHttp = false;
    CimdClientLookup lookup(store, policy(), o);  // initialises SSL

    Poco::TemporaryFile keyFile, certFile;
    writeSelfSignedCertificate(keyFile.path(), certFile.path(), "127.0.0.1");
    Poco::Net::Context::Ptr serverContext =
        new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, keyFile.path(), certFile.path(),
                               "", Poco::Net::Context::VERIFY_NONE);
    Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 64,
                                         serverContext);
    Poco::ThreadPool pool(1, 4);
    Poco::Net::HTTPServer tlsServer(new JsonFactory, pool, socket, new Poco::Net::HTTPServerParams);
    tlsServer.start();
    const CimdResolution r = lookup.resolve(
        "https://127.0.0.1:" + std::to_string(socket.address().port()) + "/client.json");
    tlsServer.stopAll(true);
    pool.joinAll();
    EXPECT_FALSE(r.client);
    EXPECT_TRUE(contains(r.error, "ertificate")) << r.error;

    // An https URL whose server speaks plain http: the handshake fails, nothing is read.
    TestHttpServer plain;
    const std::string id =
        "https://127.0.0.1:" + plain.url().substr(plain.url().rfind(':') + 1) + "/client.json";
    plain.serve("/client.json", 200, doc(id));
    const CimdResolution p = lookup.resolve(id);
    EXPECT_FALSE(p.client);
    EXPECT_FALSE(p.error.empty());
    EXPECT_EQ(plain.hits("/client.json"), 0);
}

TEST(ProxyCimdFetch, HttpsGoesToThePinnedAddressAndVerifiesTheName) {
    SafeDocumentFetcher initialise;  // initialises SSL
    Poco::TemporaryFile keyFile, certFile;
    writeSelfSignedCertificate(keyFile.path(), certFile.path(), "docs.example");
    Poco::Net::Context::Ptr serverContext =
        new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, keyFile.path(), certFile.path(),
                               "", Poco::Net::Context::VERIFY_NONE);
    Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 64,
                                         serverContext);
    Poco::ThreadPool pool(1, 4);
    Poco::Net::HTTPServer tlsServer(new JsonFactory, pool, socket, new Poco::Net::HTTPServerParams);
    tlsServer.start();
    const std::string port = std::to_string(socket.address().port());

    SafeFetchOptions o;
    o.allowPrivateAddresses = true;
    o.tlsContext = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "",
                                          certFile.path(), Poco::Net::Context::VERIFY_RELAXED);
    o.resolve = [](const std::string&) { return std::vector<IPAddress>{IPAddress("127.0.0.1")}; };
    SafeDocumentFetcher fetcher(o);
    // The certificate names docs.example: the connection goes to 127.0.0.1, TLS checks the name.
    const SafeFetchResult good =
        fetcher.fetch(*CimdClientIdUrl::parse("https://docs.example:" + port + "/c.json", false));
    // Another name resolving to the same address fails the certificate check.
    const SafeFetchResult wrong =
        fetcher.fetch(*CimdClientIdUrl::parse("https://other.example:" + port + "/c.json", false));
    tlsServer.stopAll(true);
    pool.joinAll();
    ASSERT_TRUE(good.ok()) << good.error;
    EXPECT_EQ(*good.body, "{\"host\":\"docs.example:" + port + "\"}");
    EXPECT_FALSE(wrong.ok());
    EXPECT_FALSE(wrong.error.empty());
}
