// Real clients' OAuth exchanges replayed against the host in proxy mode, one test per client:
// its first unauthenticated request, discovery in its order, its exact registration body (and
// its Client ID Metadata Document when the host advertises CIMD), its authorization request,
// the consent + stand-in upstream + callback through a browser, its token request, an MCP call
// with the token, and its refresh habit. The recorded requests and their sources are in
// support/ClientProfiles.h; every expectation is a rule of docs/client-interop.md.
#include <gtest/gtest.h>

#include <Poco/File.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>

#include <algorithm>
#include <atomic>
#include <set>

#include "mcphost/auth/server/FormUrlEncoded.h"
#include "support/ClientProfiles.h"
#include "support/HostProcess.h"
#include "support/HttpClient.h"
#include "support/OAuthBrowser.h"
#include "support/ReplayCases.h"
#include "support/ReplayRequests.h"
#include "support/StandInUpstream.h"
#include "support/TestHost.h"

using namespace mcph::testing;
using namespace mcph::testing::replay;

namespace {

const char* kInspectorOrigin = "http://localhost:6274";

// No member of a JSON object is null (clients' strict parsers choke on them).
void expectNoNulls(const Poco::JSON::Object::Ptr& doc, const std::string& what) {
    if (!doc) return;
    for (const auto& [name, value] : *doc) EXPECT_FALSE(value.isEmpty()) << what << ": member \"" << name << "\" is null";
}

// What the client learned from discovery.
struct Discovery {
    std::string challengeScope;
    Poco::JSON::Object::Ptr prm;
    Poco::JSON::Object::Ptr as;
};

struct Client {
    std::string id;
    std::string secret;
    std::string authMethod = "none";
    std::vector<std::string> redirectUris;
};

class ClientReplay : public ::testing::TestWithParam<std::string> {
protected:
    static void SetUpTestSuite() {
        upstream_ = new StandInUpstream;
        dir_ = new TempDir;
        plugins_ = new TempDir;
        for (const auto& f : {std::string(MCPH_PLUGINS_DIR) + "/whoami.so", std::string(MCPH_TEST_PLUGINS_DIR) + "/scoped.so"}) {
            Poco::File(f).copyTo(plugins_->path());
        }
        auto config = testConfig(plugins_->path());
        config.mcp.allowedOrigins = {kInspectorOrigin};  // the Inspector's origin, as its users configure it
        config.auth.provider = "proxy";
        config.auth.settings = upstream_->proxySettings(dir_->path() + "/auth.db");
        host_ = new TestHost(config);
    }
    static void TearDownTestSuite() {
        delete host_;
        delete plugins_;
        delete dir_;
        delete upstream_;
    }

    static std::string base() { return "http://127.0.0.1:" + std::to_string(host_->port()); }
    static std::string mcpUrl() { return base() + "/mcp"; }

    // Headers every request of `p` carries (browser clients send their Origin).
    static std::map<std::string, std::string> clientHeaders(const ClientProfile& p,
                                                            std::map<std::string, std::string> h = {}) {
        if (!p.origin.empty()) h["Origin"] = p.origin;
        return h;
    }

    // A browser's CORS preflight for a cross-origin request from `p` (none for other clients).
    static void preflight(const ClientProfile& p, const std::string& path, const std::string& method,
                          const std::string& requestHeaders) {
        if (p.origin.empty()) return;
        HttpClient c(host_->port());
        auto r = c.request("OPTIONS", path, "",
                           {{"Origin", p.origin}, {"Access-Control-Request-Method", method},
                            {"Access-Control-Request-Headers", requestHeaders}});
        EXPECT_TRUE(r.status == 204 || r.status == 200) << "preflight " << path << ": " << r.status << " " << r.body;
        const std::string allowOrigin = r.header("access-control-allow-origin");
        EXPECT_TRUE(allowOrigin == p.origin || allowOrigin == "*") << "preflight " << path << ": allow-origin \"" << allowOrigin << "\"";
        const std::string allowHeaders = Poco::toLower(r.header("access-control-allow-headers"));
        for (const auto& h : splitScopes(Poco::replace(requestHeaders, ",", " "))) {
            EXPECT_NE(allowHeaders.find(Poco::toLower(h)), std::string::npos)
                << "preflight " << path << " does not allow header " << h << " (allowed: " << allowHeaders << ")";
        }
        const std::string allowMethods = Poco::toUpper(r.header("access-control-allow-methods"));
        EXPECT_NE(allowMethods.find(method), std::string::npos) << "preflight " << path << " does not allow " << method;
    }

    static void expectCorsAnswer(const ClientProfile& p, const HttpReply& r, const std::string& what) {
        if (p.origin.empty()) return;
        const std::string allowOrigin = r.header("access-control-allow-origin");
        EXPECT_TRUE(allowOrigin == p.origin || allowOrigin == "*") << what << ": allow-origin \"" << allowOrigin << "\"";
    }

    // 1. The client's first, unauthenticated MCP request: a 401 that sends it to the PRM.
    static std::string unauthenticatedRequest(const ClientProfile& p) {
        preflight(p, "/mcp", "POST", "content-type,mcp-protocol-version");
        HttpClient c(host_->port());
        auto r = c.post(rpcRequest(1, "initialize",
                                   R"({"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":")" + p.name +
                                       R"(","version":"1"}})"),
                        "", clientHeaders(p));
        EXPECT_EQ(r.status, 401) << r.body;
        const std::string challenge = r.header("www-authenticate");
        EXPECT_EQ(challenge.rfind("Bearer ", 0), 0u) << challenge;
        EXPECT_EQ(challengeParam(challenge, "resource_metadata"), base() + "/.well-known/oauth-protected-resource/mcp")
            << challenge;
        expectCorsAnswer(p, r, "401 from /mcp");
        if (!p.origin.empty()) {
            // The browser client must be able to read the challenge.
            EXPECT_NE(Poco::toLower(r.header("access-control-expose-headers")).find("www-authenticate"), std::string::npos)
                << "the 401 does not expose WWW-Authenticate to " << p.origin;
        }
        return challengeParam(challenge, "scope");
    }

    // 2. Discovery, in the client's order.
    static void discover(const ClientProfile& p, Discovery& d) {
        d = Discovery{};
        d.challengeScope = unauthenticatedRequest(p);
        for (const auto& f : p.discovery) {
            SCOPED_TRACE("GET " + f.path);
            preflight(p, f.path, "GET", "mcp-protocol-version");
            HttpClient c(host_->port());
            auto r = c.request("GET", f.path, "",
                               clientHeaders(p, {{"Accept", "application/json"}, {"MCP-Protocol-Version", "2025-11-25"}}));
            if (!f.required && r.status == 404) continue;
            ASSERT_EQ(r.status, 200) << r.body;
            expectCorsAnswer(p, r, f.path);
            auto doc = parseObject(r.body);
            ASSERT_TRUE(doc) << "not a JSON object: " << r.body;
            expectNoNulls(doc, f.path);
            if (f.path.rfind("/.well-known/oauth-protected-resource", 0) == 0) {
                d.prm = doc;
                // VS Code hard-fails on any mismatch; the path-inserted document names the MCP URL.
                EXPECT_EQ(doc->optValue<std::string>("resource", ""), mcpUrl());
                auto servers = stringArray(doc, "authorization_servers");
                ASSERT_EQ(servers.size(), 1u) << "Claude and VS Code use only the first entry";
                EXPECT_EQ(servers[0], base());
            } else if (f.path.rfind("/.well-known/openid-configuration", 0) == 0) {
                // A 200 must be a complete OIDC document, or the TypeScript SDK throws.
                for (const char* m : {"issuer", "authorization_endpoint", "token_endpoint", "jwks_uri",
                                      "response_types_supported", "subject_types_supported",
                                      "id_token_signing_alg_values_supported"}) {
                    EXPECT_TRUE(doc->has(m)) << "partial OIDC document, no " << m << ": " << r.body;
                }
                EXPECT_EQ(doc->optValue<std::string>("issuer", ""), base());
            } else {
                EXPECT_EQ(doc->optValue<std::string>("issuer", ""), base()) << "byte for byte the PRM's authorization server";
                if (!f.required) continue;  // a probe that happened to answer: the issuer check is enough
                d.as = doc;
                EXPECT_EQ(doc->optValue<std::string>("authorization_endpoint", ""), base() + "/authorize");
                EXPECT_EQ(doc->optValue<std::string>("token_endpoint", ""), base() + "/token");
                EXPECT_EQ(doc->optValue<std::string>("registration_endpoint", ""), base() + "/register");
                EXPECT_TRUE(contains(stringArray(doc, "response_types_supported"), "code")) << "the TypeScript SDK fails without it";
                EXPECT_TRUE(contains(stringArray(doc, "code_challenge_methods_supported"), "S256")) << "Zed aborts without it";
                EXPECT_TRUE(contains(stringArray(doc, "grant_types_supported"), "authorization_code"));
                EXPECT_TRUE(contains(stringArray(doc, "grant_types_supported"), "refresh_token")) << "VS Code and Zed intersect";
                EXPECT_TRUE(contains(stringArray(doc, "token_endpoint_auth_methods_supported"), "none"));
                EXPECT_TRUE(doc->has("scopes_supported")) << "Cursor reads scopes here";
                EXPECT_TRUE(doc->has("revocation_endpoint"));
            }
        }
        EXPECT_TRUE(d.prm) << "no protected resource metadata";
        EXPECT_TRUE(d.as) << "no authorization server metadata";
    }

    static std::string pickScopes(const ClientProfile& p, const Discovery& d) {
        const std::string prmScopes = joinScopes(stringArray(d.prm, "scopes_supported"));
        switch (p.scope) {
            case ScopeChoice::None: return "";
            case ScopeChoice::Challenge: return d.challengeScope.empty() ? prmScopes : d.challengeScope;
            case ScopeChoice::ProtectedResource: return prmScopes;
            case ScopeChoice::AuthorizationServer: return joinScopes(stringArray(d.as, "scopes_supported"));
            case ScopeChoice::ChallengePlusOffline: {
                auto s = splitScopes(d.challengeScope.empty() ? prmScopes : d.challengeScope);
                if (!contains(s, "offline_access")) s.push_back("offline_access");
                return joinScopes(s);
            }
            case ScopeChoice::Literal: return p.literalScope;
        }
        return "";
    }

    static std::string resourceFor(const ClientProfile& p) {
        switch (p.resource) {
            case ResourceForm::Canonical: return mcpUrl();
            case ResourceForm::TrailingSlash: return mcpUrl() + "/";
            case ResourceForm::WithQuery: return mcpUrl() + p.resourceQuery;
            case ResourceForm::UpperCaseHost: return "HTTP://127.0.0.1:" + std::to_string(host_->port()) + "/mcp";
            case ResourceForm::Omitted: return "";
        }
        return "";
    }

    // 3. The client's registration body, exactly; checks the answer by the rules clients rely on.
    static Client registerClient(const ClientProfile& p, const Vars& vars) {
        const std::string body = expand(p.registrationBody, vars);
        auto sent = parseObject(body);
        EXPECT_TRUE(sent) << "profile body is not JSON: " << body;
        preflight(p, "/register", "POST", "content-type");
        HttpClient c(host_->port());
        auto r = c.request("POST", "/register", body,
                           clientHeaders(p, {{"Content-Type", "application/json"}, {"Accept", "application/json"}}));
        EXPECT_EQ(r.status, 201) << "POST /register " << body << "\n→ " << r.status << " " << r.body;
        expectCorsAnswer(p, r, "/register");
        Client client;
        auto doc = parseObject(r.body);
        if (!doc || !sent) return client;
        expectNoNulls(doc, "registration response");
        client.id = doc->optValue<std::string>("client_id", "");
        EXPECT_FALSE(client.id.empty()) << r.body;
        client.redirectUris = stringArray(doc, "redirect_uris");
        EXPECT_EQ(client.redirectUris, stringArray(sent, "redirect_uris")) << "redirect_uris must be echoed exactly";
        client.authMethod = doc->optValue<std::string>("token_endpoint_auth_method", "none");
        client.secret = doc->optValue<std::string>("client_secret", "");
        if (client.authMethod == "none") {
            EXPECT_TRUE(client.secret.empty()) << "a public client got a secret: " << r.body;
        } else {
            EXPECT_FALSE(client.secret.empty()) << client.authMethod << " without a secret: " << r.body;
        }
        const std::string asked = sent->optValue<std::string>("token_endpoint_auth_method", "");
        if (asked == "client_secret_post") {
            EXPECT_TRUE(client.authMethod == "client_secret_post" || client.authMethod == "none")
                << "Claude asked for client_secret_post and got " << client.authMethod;
        }
        return client;
    }

    struct Tokens {
        std::string access;
        std::string refresh;
        std::string scope;
    };

    // Client authentication at /token, added to the recorded parameters.
    static void authenticate(const ClientProfile& p, const Client& client, Params& form,
                             std::map<std::string, std::string>& headers) {
        TokenAuth how = p.tokenAuth;
        if (how == TokenAuth::AsRegistered) {
            how = client.authMethod == "client_secret_post"    ? TokenAuth::Post
                  : client.authMethod == "client_secret_basic" ? TokenAuth::Basic
                                                               : TokenAuth::None;
        }
        auto has = [&](const std::string& n) {
            return std::any_of(form.begin(), form.end(), [&](const auto& kv) { return kv.first == n; });
        };
        if (how != TokenAuth::Basic && !has("client_id")) form.emplace_back("client_id", client.id);
        if (how == TokenAuth::Post && !has("client_secret")) form.emplace_back("client_secret", client.secret);
        if (how == TokenAuth::Basic || how == TokenAuth::BasicAndClientId) {
            const std::string pair = mcph::auth::server::FormUrlEncoded::encode(client.id) + ":" +
                                     mcph::auth::server::FormUrlEncoded::encode(client.secret);
            headers["Authorization"] = "Basic " + base64(pair);
        }
    }

    static std::string base64(const std::string& s) {
        static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        std::string out;
        std::size_t i = 0;
        for (; i + 2 < s.size(); i += 3) {
            const unsigned v = (unsigned char)s[i] << 16 | (unsigned char)s[i + 1] << 8 | (unsigned char)s[i + 2];
            out += {abc[v >> 18 & 63], abc[v >> 12 & 63], abc[v >> 6 & 63], abc[v & 63]};
        }
        if (s.size() - i == 1) {
            const unsigned v = (unsigned char)s[i] << 16;
            out += {abc[v >> 18 & 63], abc[v >> 12 & 63], '=', '='};
        } else if (s.size() - i == 2) {
            const unsigned v = (unsigned char)s[i] << 16 | (unsigned char)s[i + 1] << 8;
            out += {abc[v >> 18 & 63], abc[v >> 12 & 63], abc[v >> 6 & 63], '='};
        }
        return out;
    }

    static HttpReply postToken(const ClientProfile& p, const Client& client, Params form) {
        std::map<std::string, std::string> headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                                                      {"Accept", "application/json"}};
        authenticate(p, client, form, headers);
        preflight(p, "/token", "POST", headers.count("Authorization") ? "authorization,content-type" : "content-type");
        HttpClient c(host_->port());
        const std::string body = encodeForm(form);
        auto r = c.request("POST", "/token", body, clientHeaders(p, headers));
        expectCorsAnswer(p, r, "/token");
        return r;
    }

    static Tokens expectTokens(const HttpReply& r, const std::string& what) {
        Tokens t;
        EXPECT_EQ(r.status, 200) << what << " → " << r.status << " " << r.body;
        EXPECT_EQ(r.header("cache-control"), "no-store") << what;
        auto doc = parseObject(r.body);
        if (r.status != 200 || !doc) return t;
        expectNoNulls(doc, what);
        t.access = doc->optValue<std::string>("access_token", "");
        t.refresh = doc->optValue<std::string>("refresh_token", "");
        t.scope = doc->optValue<std::string>("scope", "<absent>");
        EXPECT_FALSE(t.access.empty()) << r.body;
        EXPECT_FALSE(t.refresh.empty()) << what << ": clients need a refresh token: " << r.body;
        EXPECT_EQ(Poco::toLower(doc->optValue<std::string>("token_type", "")), "bearer") << r.body;
        EXPECT_GT(doc->optValue<int>("expires_in", 0), 0) << r.body;
        EXPECT_NE(t.scope, "<absent>") << r.body;
        return t;
    }

    // The browser part: GET /authorize with the client's parameters, approve, the upstream, the
    // callback. Returns the query of the redirect back to the client.
    static std::map<std::string, std::string> authorize(const ClientProfile& p, const Params& query,
                                                        const std::string& redirect, const std::string& user) {
        OAuthBrowser browser(host_->port());
        const std::string url = "/authorize?" + encodeForm(query);
        auto page = browser.get(url);
        EXPECT_EQ(page.status, 200) << "GET " << url << "\n→ " << page.status << " " << page.header("location") << " "
                                    << page.body.substr(0, 400);
        if (page.status != 200) {
            return page.status == 302 ? queryOf(page.header("location")) : std::map<std::string, std::string>{};
        }
        auto up = browser.postForm("/authorize", {{"ticket", hiddenField(page.body, "ticket")},
                                                  {"csrf_token", hiddenField(page.body, "csrf_token")},
                                                  {"decision", "approve"}});
        EXPECT_EQ(up.status, 302) << up.body;
        const auto uq = queryOf(up.header("location"));
        if (!uq.count("state") || !uq.count("nonce")) {
            ADD_FAILURE() << "no upstream redirect: " << up.header("location");
            return {};
        }
        const std::string code = "UP-" + std::to_string(++counter_);
        upstream_->prepare(code, upstream_->idTokenClaims(user, uq.at("nonce")));
        auto back = browser.get("/oauth/callback?" + formEncode({{"code", code}, {"state", uq.at("state")}}));
        EXPECT_EQ(back.status, 302) << back.body;
        const std::string location = back.header("location");
        EXPECT_EQ(withoutQuery(location), redirect) << p.name << " is sent back elsewhere: " << location;
        return queryOf(location);
    }

    // initialize + tools/call `tool` with the bearer token, as the client (its Origin).
    static HttpReply callTool(const ClientProfile& p, const std::string& bearer, const std::string& tool) {
        HttpClient c(host_->port());
        const auto auth = clientHeaders(p, {{"Authorization", "Bearer " + bearer}});
        preflight(p, "/mcp", "POST", "authorization,content-type,mcp-protocol-version");
        auto init = c.post(rpcRequest(1, "initialize",
                                      R"({"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"r","version":"1"}})"),
                           "", auth);
        if (init.status != 200) return init;
        expectCorsAnswer(p, init, "initialize");
        if (!p.origin.empty()) {
            EXPECT_NE(Poco::toLower(init.header("access-control-expose-headers")).find("mcp-session-id"), std::string::npos)
                << "the browser client cannot read Mcp-Session-Id";
        }
        const std::string sid = init.header("mcp-session-id");
        c.post(R"({"jsonrpc":"2.0","method":"notifications/initialized"})", sid, auth);
        return c.post(rpcRequest(2, "tools/call", R"({"name":")" + tool + R"("})"), sid, auth);
    }

    static void expectToolWorks(const ClientProfile& p, const std::string& bearer, const std::string& user,
                                const std::string& clientId) {
        auto call = callTool(p, bearer, "whoami");
        ASSERT_EQ(call.status, 200) << call.body;
        auto who = call.json()->getObject("result")->getObject("structuredContent");
        EXPECT_EQ(who->getValue<std::string>("userId"), user);
        EXPECT_EQ(who->getValue<std::string>("clientId"), clientId);
    }

    // One sign-in of `p` with `client` on `port`: authorization, callback, token request, MCP call.
    // `scope` overrides the scope choice ("<none>": no scope parameter at all).
    static Tokens login(const ClientProfile& p, const Client& client, const std::string& redirect, const std::string& scope,
                        const std::string& user) {
        const auto pkce = newPkce();
        const std::string state = "st-" + std::to_string(++counter_) + "-" + p.name.substr(0, 3);
        Vars v = {{"CLIENT_ID", client.id}, {"REDIRECT", redirect},     {"SCOPE", scope == "<none>" ? "" : scope},
                  {"STATE", state},         {"CHALLENGE", pkce.challenge}, {"RESOURCE", resourceFor(p)},
                  {"VERIFIER", pkce.verifier}};
        Params query = expandParams(p.authorize, v);
        if (scope == "<none>") {
            query.erase(std::remove_if(query.begin(), query.end(), [](const auto& kv) { return kv.first == "scope"; }),
                        query.end());
        }
        if (p.resource == ResourceForm::Omitted) {
            query.erase(std::remove_if(query.begin(), query.end(), [](const auto& kv) { return kv.first == "resource"; }),
                        query.end());
        }
        auto back = authorize(p, query, redirect, user);
        EXPECT_EQ(back["state"], state) << "state must be echoed";
        if (d_.as && d_.as->optValue<bool>("authorization_response_iss_parameter_supported", false)) {
            EXPECT_EQ(back["iss"], base()) << "iss advertised but not sent";
        }
        EXPECT_EQ(back.count("error"), 0u) << "authorization refused: " << back["error"] << " " << back["error_description"];
        if (back["code"].empty()) return {};
        v["CODE"] = back["code"];
        Params form = expandParams(p.token, v);
        if (p.resource == ResourceForm::Omitted) {
            form.erase(std::remove_if(form.begin(), form.end(), [](const auto& kv) { return kv.first == "resource"; }),
                       form.end());
        }
        auto r = postToken(p, client, form);
        Tokens t = expectTokens(r, "POST /token " + encodeForm(form));
        if (!t.access.empty()) expectToolWorks(p, t.access, user, client.id);
        return t;
    }

    static HttpReply refresh(const ClientProfile& p, const Client& client, const std::string& refreshToken,
                             const std::string& scope = "") {
        Vars v = {{"CLIENT_ID", client.id}, {"REFRESH_TOKEN", refreshToken}, {"RESOURCE", resourceFor(p)}, {"SCOPE", scope}};
        Params form = expandParams(p.refresh, v);
        if (p.resource == ResourceForm::Omitted) {
            form.erase(std::remove_if(form.begin(), form.end(), [](const auto& kv) { return kv.first == "resource"; }),
                       form.end());
        }
        return postToken(p, client, form);
    }

    // 8. The client's refresh habit.
    static void refreshLikeTheClient(const ClientProfile& p, const Client& client, const Tokens& first, const std::string& user) {
        SCOPED_TRACE("refresh");
        if (first.refresh.empty()) return;
        auto r1 = refresh(p, client, first.refresh, first.scope);
        Tokens second = expectTokens(r1, "refresh_token grant");
        EXPECT_NE(second.refresh, first.refresh) << "refresh tokens rotate";
        if (!second.access.empty()) expectToolWorks(p, second.access, user, client.id);
        switch (p.refreshHabit) {
            case RefreshHabit::Rotate: {
                auto r2 = refresh(p, client, second.refresh, second.scope);
                Tokens third = expectTokens(r2, "second refresh with the rotated token");
                if (!third.access.empty()) expectToolWorks(p, third.access, user, client.id);
                break;
            }
            case RefreshHabit::ReusePrevious: {
                // A second session of the same CLI still holds the first refresh token.
                auto again = refresh(p, client, first.refresh, first.scope);
                Tokens other = expectTokens(again, "the immediately previous refresh token, within the grace window");
                if (!other.access.empty()) expectToolWorks(p, other.access, user, client.id);
                break;
            }
            case RefreshHabit::KeepOldIfAbsent: {
                const std::string keep = second.refresh.empty() ? first.refresh : second.refresh;
                Tokens third = expectTokens(refresh(p, client, keep, second.scope), "refresh with the kept token");
                if (!third.access.empty()) expectToolWorks(p, third.access, user, client.id);
                break;
            }
        }
        // A dead refresh token is 400 invalid_grant: clients key their recovery on that code.
        auto dead = refresh(p, client, "not-a-refresh-token");
        EXPECT_EQ(dead.status, 400) << dead.body;
        auto err = parseObject(dead.body);
        EXPECT_EQ(err ? err->optValue<std::string>("error", "") : "", "invalid_grant") << dead.body;
    }

    // The whole replay of one client.
    static void replay(const ClientProfile& p) {
        SCOPED_TRACE(p.name + " (" + p.sources + ")");
        discover(p, d_);
        if (::testing::Test::HasFatalFailure() || !d_.prm || !d_.as) return;
        const std::string scope = pickScopes(p, d_);
        const bool cimdAdvertised = d_.as && d_.as->optValue<bool>("client_id_metadata_document_supported", false);

        // DCR: the recorded body, one registration per login for the clients that do that.
        if (!p.registrationBody.empty()) {
            SCOPED_TRACE("dynamic client registration");
            Client client;
            std::string lastRefresh;
            for (std::size_t i = 0; i < p.ports.size(); ++i) {
                const int port = p.ports[i];
                Vars v = {{"PORT", std::to_string(port)},
                          {"SCOPE", scope},
                          {"SCOPE_MEMBER", scope.empty() ? "" : R"(,"scope":")" + scope + "\""},
                          {"GRANT_TYPES", jsonArray(intersect(p.grantTypes, stringArray(d_.as, "grant_types_supported")))}};
                if (i == 0 || p.registersEveryLogin) client = registerClient(p, v);
                if (client.id.empty()) return;
                const std::string user = "user-" + std::to_string(++counter_);
                Tokens t = login(p, client, expand(p.redirect, v), scope, user);
                if (i + 1 == p.ports.size()) refreshLikeTheClient(p, client, t, user);
            }
            for (const auto& redirect : p.otherRedirects) {
                SCOPED_TRACE("redirect " + redirect);
                const std::string user = "user-" + std::to_string(++counter_);
                Tokens t = login(p, client, redirect, scope, user);
                EXPECT_FALSE(t.access.empty());
            }
            if (p.reconnectWithoutScope) {
                SCOPED_TRACE("reconnect without scope");
                const std::string user = "user-" + std::to_string(++counter_);
                Tokens t = login(p, client, expand(p.redirect, {{"PORT", std::to_string(p.ports[0])}}), "<none>", user);
                EXPECT_FALSE(t.access.empty()) << "no scope means the default scopes";
            }
            if (p.stepUpReplacesScopes) stepUp(p, client, expand(p.redirect, {{"PORT", std::to_string(p.ports[0])}}));
        }

        // CIMD: what the client does instead when the host advertises it.
        if (cimdAdvertised && !p.cimdClientId.empty()) {
            SCOPED_TRACE("client ID metadata document " + p.cimdClientId);
            Client client;
            client.id = p.cimdClientId;
            const std::string redirect = expand(p.cimdRedirect, {{"PORT", std::to_string(p.ports[0] ? p.ports[0] : 33418)}});
            const std::string user = "user-" + std::to_string(++counter_);
            Tokens t = login(p, client, redirect, scope, user);
            refreshLikeTheClient(p, client, t, user);
        }
    }

    // VS Code's step-up: a token without the tool's scope gets 403 insufficient_scope; VS Code
    // replaces its scope set with the challenged one and signs in again.
    static void stepUp(const ClientProfile& p, const Client& client, const std::string& redirect) {
        SCOPED_TRACE("step-up");
        const std::string user = "user-" + std::to_string(++counter_);
        // A session that holds only secrets:read (e.g. granted before the admin tool existed).
        Tokens narrow = login(p, client, redirect, "secrets:read", user);
        if (narrow.access.empty()) return;
        auto denied = callTool(p, narrow.access, "scoped_admin");
        ASSERT_EQ(denied.status, 403) << denied.body;
        const std::string challenge = denied.header("www-authenticate");
        EXPECT_EQ(challengeParam(challenge, "error"), "insufficient_scope") << challenge;
        const std::string needed = challengeParam(challenge, "scope");
        auto set = splitScopes(needed);
        EXPECT_TRUE(contains(set, "secrets:read") && contains(set, "secrets:admin"))
            << "the challenge must list every scope still needed: " << challenge;
        Tokens wide = login(p, client, redirect, needed, user);
        if (wide.access.empty()) return;
        EXPECT_EQ(callTool(p, wide.access, "scoped_admin").status, 200);
    }

    static std::vector<std::string> intersect(const std::vector<std::string>& mine, const std::vector<std::string>& server) {
        if (server.empty()) return mine;
        std::vector<std::string> out;
        for (const auto& g : mine) {
            if (contains(server, g)) out.push_back(g);
        }
        return out;
    }

    static StandInUpstream* upstream_;
    static TempDir* dir_;
    static TempDir* plugins_;
    static TestHost* host_;
    static std::atomic<int> counter_;
    static Discovery d_;
};

StandInUpstream* ClientReplay::upstream_ = nullptr;
TempDir* ClientReplay::dir_ = nullptr;
TempDir* ClientReplay::plugins_ = nullptr;
TestHost* ClientReplay::host_ = nullptr;
std::atomic<int> ClientReplay::counter_{0};
Discovery ClientReplay::d_;

}  // namespace

// Every client's whole replay: Clients/ClientReplay.Replay/<client> for each profile of
// ClientProfiles.h (Claude web and Desktop on both callback hosts: ClaudeWeb_ClaudeAi and
// ClaudeWeb_ClaudeCom; ChatGPT and ChatGPT_LegacyCallback; Cursor, VSCode, ClaudeCode, ...).
TEST_P(ClientReplay, Replay) { replay(clientProfile(GetParam())); }

INSTANTIATE_TEST_SUITE_P(Clients, ClientReplay, ::testing::ValuesIn(profileNames()), profileTestName);

// Claude Code registers again on every sign-in and reconnect: a burst of ten from one address
// must all succeed (docs/client-interop.md#registration-bursts-and-unused-clients: rate limits
// above ~10 per minute per address). Its replay is Clients/ClientReplay.Replay/ClaudeCode.
TEST_F(ClientReplay, ClaudeCodeRegistrationBurst) {
    const auto& p = clientProfile("Claude Code");
    for (int i = 0; i < 10; ++i) {
        Vars v = {{"PORT", std::to_string(50000 + i)}, {"SCOPE_MEMBER", ""}};
        EXPECT_FALSE(registerClient(p, v).id.empty()) << "registration " << i + 1 << " of a burst of ten";
    }
}
