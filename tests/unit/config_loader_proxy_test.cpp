// Proxy mode, generic provider "proxy" and "local": the upstream keys, `verify`, and the keys of
// the host's own authorization server that every proxy-mode provider shares.

#include "config_test_support.h"

namespace mcph::config {
namespace {

using test::contains;
using test::Lines;
using test::load;

using mcph::auth::server::AuthorizationServerOptions;
using mcph::auth::server::UpstreamIdentityMethod;
using mcph::auth::server::UpstreamOptions;

const AuthorizationServerOptions& proxyOf(const LoadResult& r) {
    return std::get<AuthorizationServerOptions>(r.config.auth.settings);
}

// A complete generic proxy section; `extra` is spliced in before the closing brace.
std::string proxyConfig(const std::string& extra = "",
                        const std::string& verify =
                            R"("verify": {"jwks": {"jwksUrl": "https://id.example.com/keys"}})") {
    return R"({"auth": {"provider": "proxy",
        "authEndpoint": "https://id.example.com/authorize", "tokenEndpoint": "https://id.example.com/oauth/token",
        "issuer": "https://id.example.com/", "clientId": "host-client", "clientSecret": "s3cr3t-value", )" +
           verify + extra + "}}";
}

TEST(ConfigLoaderProxy, ReadsEveryUpstreamKey) {
    const LoadResult r = load(R"({"auth": {"provider": "proxy",
        "authEndpoint": "https://id.example.com/authorize", "tokenEndpoint": "https://id.example.com/oauth/token",
        "issuer": "https://id.example.com/", "clientId": "host-client", "clientSecret": "s3cr3t-value",
        "tokenEndpointAuthMethod": "client_secret_basic", "scopes": ["openid", "email"],
        "extraAuthorizeParams": {"prompt": "select_account", "audience": "https://api.example.com", "hd": "example.com"},
        "pkce": false, "forwardResource": false, "nonce": false,
        "verify": {"jwks": {"jwksUrl": "https://id.example.com/keys", "issuer": "https://id.example.com/tenant",
                            "audience": "aud-1", "algorithms": ["ES256"], "leewaySeconds": 10},
                   "claims": {"userId": "oid", "email": "upn", "name": "nickname"}}}})");
    ASSERT_TRUE(r.ok()) << r.errors.front();
    EXPECT_EQ(r.config.auth.provider, "proxy");
    const AuthorizationServerOptions& s = proxyOf(r);
    EXPECT_EQ(s.providerName, "proxy");
    const UpstreamOptions& u = *s.upstream;
    EXPECT_EQ(u.authEndpoint, "https://id.example.com/authorize");
    EXPECT_EQ(u.tokenEndpoint, "https://id.example.com/oauth/token");
    // verify.jwks.issuer (below) replaces the upstream's issuer as the one tokens are checked at.
    EXPECT_EQ(u.clientId, "host-client");
    EXPECT_EQ(u.clientSecret, "s3cr3t-value");
    EXPECT_TRUE(u.clientSecretBasic);
    EXPECT_EQ(u.scopes, (std::vector<std::string>{"openid", "email"}));
    // File order kept: some providers care, and it makes the URL predictable.
    EXPECT_EQ(u.extraAuthorizeParams, (std::vector<std::pair<std::string, std::string>>{
                                          {"prompt", "select_account"},
                                          {"audience", "https://api.example.com"},
                                          {"hd", "example.com"}}));
    EXPECT_FALSE(u.pkce);
    EXPECT_FALSE(u.forwardResource);
    EXPECT_FALSE(u.nonce);
    EXPECT_EQ(u.identity, UpstreamIdentityMethod::IdToken);
    EXPECT_EQ(u.jwksUrl, "https://id.example.com/keys");
    EXPECT_EQ(u.issuer, "https://id.example.com/tenant");
    EXPECT_EQ(u.audience, "aud-1");
    EXPECT_EQ(u.algorithms, std::vector<std::string>{"ES256"});
    EXPECT_EQ(u.leeway, std::chrono::seconds(10));
    EXPECT_EQ(u.claims.userId, "oid");
    EXPECT_EQ(u.claims.email, "upn");
    EXPECT_EQ(u.claims.name, "nickname");
}

TEST(ConfigLoaderProxy, DefaultsOfAMinimalProxy) {
    const LoadResult r = load(proxyConfig());
    ASSERT_TRUE(r.ok()) << r.errors.front();
    const AuthorizationServerOptions& s = proxyOf(r);
    const UpstreamOptions& u = *s.upstream;
    EXPECT_FALSE(u.clientSecretBasic);
    EXPECT_EQ(u.scopes, (std::vector<std::string>{"openid", "email", "profile"}));
    EXPECT_TRUE(u.extraAuthorizeParams.empty());
    EXPECT_TRUE(u.pkce);
    EXPECT_TRUE(u.forwardResource);
    EXPECT_TRUE(u.nonce);
    // verify.jwks.issuer defaults to the upstream issuer; the audience to our client id ("").
    EXPECT_EQ(u.issuer, "https://id.example.com/");
    EXPECT_EQ(u.audience, "");
    EXPECT_EQ(u.claims.userId, "sub");
    EXPECT_TRUE(s.mcpScopes.empty());
    // Without auth.store.sqlite the store lives in the state directory.
    EXPECT_EQ(s.storeFile, r.config.server.stateDir + "/mcp-host-auth.db");
    EXPECT_EQ(s.accessTokenLifetime, std::chrono::seconds(3600));
    EXPECT_EQ(s.refreshTokenLifetime, std::chrono::hours(24 * 30));
    EXPECT_EQ(s.refreshGrace, std::chrono::seconds(60));
    EXPECT_EQ(s.authorizationCodeLifetime, std::chrono::seconds(60));
    EXPECT_EQ(s.loginTimeout, std::chrono::seconds(600));
    EXPECT_EQ(s.maxClients, 10000u);
    EXPECT_EQ(s.unusedClientLifetime, std::chrono::hours(24));
    EXPECT_EQ(s.registrationsPerMinute, 30);
    EXPECT_TRUE(s.cimd.enabled);
    EXPECT_FALSE(s.cimd.allowPrivateAddresses);
    EXPECT_FALSE(s.cimd.allowHttp);
    EXPECT_EQ(s.cimd.cacheSeconds, 3600);
    EXPECT_FALSE(s.access.restricted());
    // The one warning of a minimal proxy: no access policy, so any upstream account gets in.
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_TRUE(contains(r.warnings[0], "t.json: auth.access: absent, so ANY account"));
}

TEST(ConfigLoaderProxy, VerifyByAccessTokenOrUserinfo) {
    const LoadResult access = load(proxyConfig("", R"("verify": {"jwks": {"token": "accessToken",
        "jwksUrl": "https://id.example.com/keys", "audience": "https://api.example.com"}})"));
    ASSERT_TRUE(access.ok()) << access.errors.front();
    EXPECT_EQ(proxyOf(access).upstream->identity, UpstreamIdentityMethod::AccessToken);
    EXPECT_EQ(proxyOf(access).upstream->audience, "https://api.example.com");

    const LoadResult userinfo =
        load(proxyConfig(R"(, "scopes": ["profile"])", R"("verify": {"userinfo": {
        "url": "https://id.example.com/userinfo", "emailsUrl": "https://id.example.com/emails"}})"));
    ASSERT_TRUE(userinfo.ok()) << userinfo.errors.front();
    const UpstreamOptions& id = *proxyOf(userinfo).upstream;
    EXPECT_EQ(id.identity, UpstreamIdentityMethod::UserInfo);
    EXPECT_EQ(id.userInfoUrl, "https://id.example.com/userinfo");
    EXPECT_EQ(id.userEmailsUrl, "https://id.example.com/emails");
    EXPECT_EQ(id.jwksUrl, "");
    EXPECT_EQ(id.issuer, "https://id.example.com/");  // the upstream's, for the callback's `iss` check only
}

TEST(ConfigLoaderProxy, MissingKeysAreEachReportedWithTheirPath) {
    EXPECT_EQ(
        load(R"({"auth": {"provider": "proxy"}})").errors,
        (Lines{
            "t.json: auth.clientId: is required: the client id registered at the provider",
            "t.json: auth.clientSecret: is required: the client secret registered at the provider "
            "(e.g. \"${CLIENT_SECRET}\")",
            "t.json: auth.verify: is required for this provider: {\"jwks\": {\"jwksUrl\": …}} or "
            "{\"userinfo\": {\"url\": …}}",
            "t.json: auth.authEndpoint: is required for this provider",
            "t.json: auth.tokenEndpoint: is required for this provider"}));
    EXPECT_EQ(load(R"({"auth": {"provider": "proxy", "authEndpoint": "https://id.example.com/a",
                 "tokenEndpoint": "https://id.example.com/t", "clientId": "c", "clientSecret": "s",
                 "verify": {"jwks": {}}}})")
                  .errors,
              (Lines{"t.json: auth.verify.jwks.jwksUrl: is required",
                     "t.json: auth.issuer: is required when verify uses jwks (the exact `iss` of "
                     "the upstream's tokens)"}));
    EXPECT_EQ(load(proxyConfig("", R"("verify": {"userinfo": {}})")).errors,
              (Lines{
                  "t.json: auth.verify.userinfo.url: is required",
                  // The default scopes are fine for userinfo; only an ID token needs openid.
              }));
}

TEST(ConfigLoaderProxy, RefusesWhatWouldBreakTheFlowOrWeakenIt) {
    const LoadResult r =
        load(proxyConfig(R"(, "tokenEndpointAuthMethod": "none", "scopes": ["email"],
        "extraAuthorizeParams": {"redirect_uri": "https://evil.example", "state": "x", "": "y", "n": 1})"));
    EXPECT_EQ(r.errors,
              (Lines{"t.json: auth.tokenEndpointAuthMethod: must be \"client_secret_post\" or "
                     "\"client_secret_basic\", got \"none\"",
                     "t.json: auth.extraAuthorizeParams.redirect_uri: is set by the host itself "
                     "and cannot be configured",
                     "t.json: auth.extraAuthorizeParams.state: is set by the host itself and "
                     "cannot be configured",
                     "t.json: auth.extraAuthorizeParams.: a parameter name must not be empty",
                     "t.json: auth.extraAuthorizeParams.n: expected a string, got 1",
                     "t.json: auth.scopes: must include \"openid\": verify checks the ID token, "
                     "which only OpenID Connect returns"}));
    EXPECT_EQ(
        load(
            proxyConfig(
                "",
                R"("verify": {"jwks": {"jwksUrl": "https://id.example.com/k", "token": "accessToken",
        "algorithms": ["HS256"]}})"))
            .errors,
        (Lines{"t.json: auth.verify.jwks.algorithms[0]: not an accepted value: \"HS256\""}));
    EXPECT_EQ(
        load(
            proxyConfig(
                "",
                R"("verify": {"jwks": {"jwksUrl": "https://id.example.com/k", "token": "accessToken"}})"))
            .errors,
        (Lines{"t.json: auth.verify.jwks.audience: is required with token \"accessToken\": an "
               "access token is "
               "issued for an API, not for the client id"}));
    EXPECT_EQ(
        load(proxyConfig(
                 "",
                 R"("verify": {"jwks": {"jwksUrl": "https://id.example.com/k", "token": "id"}})"))
            .errors,
        (Lines{
            "t.json: auth.verify.jwks.token: must be \"idToken\" or \"accessToken\", got \"id\""}));
    EXPECT_EQ(
        load(
            proxyConfig(
                "",
                R"("verify": {"jwks": {"jwksUrl": "https://k"}, "userinfo": {"url": "https://u"}})"))
            .errors,
        (Lines{"t.json: auth.verify: set exactly one of jwks and userinfo"}));
    EXPECT_EQ(load(proxyConfig("", R"("verify": {"claims": {"userId": "oid"}})")).errors,
              (Lines{"t.json: auth.verify: needs one of {\"jwks\": {\"jwksUrl\": …}} or "
                     "{\"userinfo\": {\"url\": …}}"}));
    EXPECT_EQ(
        load(
            proxyConfig(
                "", R"("verify": {"jwks": {"jwksUrl": "https://k", "jwksurl": "x"}, "claim": {}})"))
            .errors,
        (Lines{"t.json: auth.verify.jwks.jwksurl: unknown key (did you mean \"jwksUrl\"?)",
               "t.json: auth.verify.claim: unknown key (did you mean \"claims\"?)"}));
}

TEST(ConfigLoaderProxy, UpstreamUrlsMustBeHttpsUnlessAllowed) {
    const LoadResult r =
        load(R"({"auth": {"provider": "proxy", "authEndpoint": "http://id.example.com/a",
        "tokenEndpoint": "https://user:pw@id.example.com/t", "issuer": "id.example.com", "clientId": "c", "clientSecret": "s",
        "verify": {"userinfo": {"url": "http://id.example.com/me"}}}})");
    EXPECT_EQ(
        r.errors,
        (Lines{"t.json: auth.authEndpoint: must be an https URL (set auth.allowInsecureHttp for a "
               "local test server), got \"http://id.example.com/a\"",
               "t.json: auth.tokenEndpoint: must not contain user information (user:password@)",
               "t.json: auth.issuer: not an absolute URL",
               "t.json: auth.verify.userinfo.url: must be an https URL (set auth.allowInsecureHttp "
               "for a local test server), got \"http://id.example.com/me\""}));
    for (const auto& e : r.errors) EXPECT_EQ(e.find("pw"), std::string::npos) << e;
    const LoadResult local = load(R"({"auth": {"provider": "proxy", "allowInsecureHttp": true,
        "authEndpoint": "http://127.0.0.1:9000/a", "tokenEndpoint": "http://127.0.0.1:9000/t", "clientId": "c",
        "clientSecret": "s", "verify": {"userinfo": {"url": "http://127.0.0.1:9000/me"}}}})");
    ASSERT_TRUE(local.ok()) << local.errors.front();
    EXPECT_EQ(proxyOf(local).upstream->authEndpoint, "http://127.0.0.1:9000/a");
}

TEST(ConfigLoaderProxy, SecretsNeverAppearInMessages) {
    test::ScopedEnv secret("MCPH_T_SECRET", std::string("very-secret-env-value"));
    test::ScopedEnv empty("MCPH_T_EMPTY", std::string(""));
    test::ScopedEnv unset("MCPH_T_UNSET", std::nullopt);
    const LoadResult fromEnv =
        load(proxyConfig("").replace(proxyConfig("").find("s3cr3t-value"), 12, "${MCPH_T_SECRET}"));
    ASSERT_TRUE(fromEnv.ok()) << fromEnv.errors.front();
    EXPECT_EQ(proxyOf(fromEnv).upstream->clientSecret, "very-secret-env-value");

    const std::string base = proxyConfig("");
    const std::size_t at = base.find("\"s3cr3t-value\"");
    for (const char* value : {"123456789", "[\"s3cr3t-value\"]", "\"${MCPH_T_EMPTY}\"", "\"\"",
                              "\"${MCPH_T_UNSET}\""}) {
        const LoadResult r = load(std::string(base).replace(at, 14, value));
        ASSERT_EQ(r.errors.size(), 1u) << value;
        EXPECT_TRUE(contains(r.errors[0], "t.json: auth.clientSecret: ")) << value;
        for (const char* leak : {"123456789", "s3cr3t", "very-secret"}) {
            EXPECT_EQ(r.errors[0].find(leak), std::string::npos) << r.errors[0];
        }
    }
    // Errors elsewhere in the same section never carry the secret either.
    const LoadResult other = load(proxyConfig(R"(, "pkce": "maybe")"));
    ASSERT_EQ(other.errors.size(), 1u);
    EXPECT_EQ(other.errors[0].find("s3cr3t"), std::string::npos);
}

TEST(ConfigLoaderProxy, SharedServerKeysAndTheirBounds) {
    test::TempDir dir;
    const LoadResult r = load(
        proxyConfig(
            R"(, "mcpScopes": ["notes:read", "notes:write"], "store": {"sqlite": "var/auth.db"},
        "accessTokenSeconds": 600, "refreshTokenDays": 7, "refreshGraceSeconds": 0, "authorizationCodeSeconds": 30,
        "loginTimeoutSeconds": 300, "maxClients": 50, "unusedClientHours": 2, "registrationsPerMinute": 60,
        "cimd": {"enabled": false, "cacheSeconds": 0, "maxBytes": 2048})"),
        dir.str());
    ASSERT_TRUE(r.ok()) << r.errors.front();
    const AuthorizationServerOptions& s = proxyOf(r);
    EXPECT_EQ(s.mcpScopes, (std::vector<std::string>{"notes:read", "notes:write"}));
    // Resolved against the config's directory; var/ does not exist yet but can be created.
    EXPECT_EQ(s.storeFile, dir.str() + "/var/auth.db");
    EXPECT_EQ(s.accessTokenLifetime, std::chrono::seconds(600));
    EXPECT_EQ(s.refreshTokenLifetime, std::chrono::hours(24 * 7));
    EXPECT_EQ(s.refreshGrace, std::chrono::seconds(0));
    EXPECT_EQ(s.authorizationCodeLifetime, std::chrono::seconds(30));
    EXPECT_EQ(s.loginTimeout, std::chrono::seconds(300));
    EXPECT_EQ(s.maxClients, 50u);
    EXPECT_EQ(s.unusedClientLifetime, std::chrono::hours(2));
    EXPECT_EQ(s.registrationsPerMinute, 60);
    EXPECT_FALSE(s.cimd.enabled);
    EXPECT_EQ(s.cimd.cacheSeconds, 0);
    EXPECT_EQ(s.cimd.maxBytes, 2048u);

    const LoadResult bad = load(proxyConfig(
        R"(, "accessTokenSeconds": 59, "refreshTokenDays": 0, "refreshGraceSeconds": 601,
        "authorizationCodeSeconds": 5, "loginTimeoutSeconds": 7200, "maxClients": 0, "unusedClientHours": 0,
        "registrationsPerMinute": 0, "cimd": {"cacheSeconds": -1, "enabled": "yes"})"));
    EXPECT_EQ(
        bad.errors,
        (Lines{
            "t.json: auth.accessTokenSeconds: expected an integer between 60 and 86400, got 59",
            "t.json: auth.refreshTokenDays: expected an integer between 1 and 365, got 0",
            "t.json: auth.refreshGraceSeconds: expected an integer between 0 and 600, got 601",
            "t.json: auth.authorizationCodeSeconds: expected an integer between 10 and 600, got 5",
            "t.json: auth.loginTimeoutSeconds: expected an integer between 60 and 3600, got 7200",
            "t.json: auth.maxClients: expected an integer between 1 and 1000000, got 0",
            "t.json: auth.unusedClientHours: expected an integer between 1 and 8760, got 0",
            "t.json: auth.registrationsPerMinute: expected an integer between 1 and 10000, got 0",
            "t.json: auth.cimd.enabled: expected true or false, got \"yes\"",
            "t.json: auth.cimd.cacheSeconds: expected an integer between 0 and 86400, got -1"}));
}

TEST(ConfigLoaderProxy, TestOnlyRelaxationsWarn) {
    const LoadResult r = load(proxyConfig(
        R"(, "registrationsPerMinute": 5, "cimd": {"allowPrivateAddresses": true, "allowHttp": true})"));
    ASSERT_TRUE(r.ok()) << r.errors.front();
    ASSERT_EQ(r.warnings.size(), 4u);
    EXPECT_TRUE(contains(r.warnings[0], "t.json: auth.registrationsPerMinute: below 10"));
    EXPECT_TRUE(contains(r.warnings[1], "t.json: auth.cimd.allowPrivateAddresses: "));
    EXPECT_TRUE(contains(r.warnings[2], "t.json: auth.cimd.allowHttp: "));
    EXPECT_TRUE(contains(r.warnings[3], "t.json: auth.access: absent"));
    EXPECT_TRUE(proxyOf(r).cimd.allowPrivateAddresses);
    EXPECT_TRUE(proxyOf(r).cimd.allowHttp);
}

TEST(ConfigLoaderProxy, StoreMustBeAWritableSqliteFile) {
    test::TempDir dir;
    dir.mkdir("db-dir");
    dir.write("plain-file", "x");
    EXPECT_EQ(load(proxyConfig(R"(, "store": {"sqlite": "db-dir"})"), dir.str()).errors,
              (Lines{"t.json: auth.store.sqlite: not a regular file: " + dir.str() + "/db-dir"}));
    EXPECT_EQ(load(proxyConfig(R"(, "store": {"sqlite": "plain-file/auth.db"})"), dir.str()).errors,
              (Lines{"t.json: auth.store.sqlite: not a directory: " + dir.str() +
                     "/plain-file (in the path of " + dir.str() + "/plain-file/auth.db)"}));
    EXPECT_EQ(load(proxyConfig(R"(, "store": {"sqlite": ""})"), dir.str()).errors,
              (Lines{"t.json: auth.store.sqlite: must not be empty"}));
    EXPECT_EQ(load(proxyConfig(R"(, "store": {"postgres": "x"})"), dir.str()).errors,
              (Lines{"t.json: auth.store: expected {\"sqlite\": \"<database file>\"}",
                     "t.json: auth.store.postgres: unknown key (the only store is \"sqlite\")"}));
    EXPECT_EQ(load(proxyConfig(R"(, "store": "auth.db")"), dir.str()).errors,
              (Lines{"t.json: auth.store: expected an object, got \"auth.db\""}));
    EXPECT_EQ(proxyOf(load(proxyConfig(R"(, "store": {"sqlite": "/abs/../tmp/x.db"})"), dir.str()))
                  .storeFile,
              "/tmp/x.db");
}

TEST(ConfigLoaderProxy, KeysOfOtherProvidersAreUnknown) {
    EXPECT_EQ(load(proxyConfig(R"(, "domain": "x.auth0.com", "tokenFormat": "jwt")")).errors,
              (Lines{"t.json: auth.domain: unknown key for auth provider \"proxy\"",
                     "t.json: auth.tokenFormat: unknown key for auth provider \"proxy\""}));
}

TEST(ConfigLoaderProxy, PublicUrlMustBeHttpsOffLoopback) {
    const auto withUrl = [](const std::string& url) {
        std::string json = proxyConfig();
        return load(R"({"server": {"publicUrl": ")" + url + R"("}, )" + json.substr(1));
    };
    EXPECT_EQ(withUrl("http://mcp.example.com").errors,
              (Lines{"t.json: server.publicUrl: must be https in proxy mode (provider \"proxy\"): "
                     "the host issues codes "
                     "and tokens at this URL; plain http is only accepted on a loopback host"}));
    EXPECT_TRUE(withUrl("https://mcp.example.com").ok());
    EXPECT_TRUE(withUrl("http://127.0.0.1:8080").ok());
    EXPECT_TRUE(withUrl("http://localhost:8080").ok());
}

// One user "demo" with the password "demo-password" (the hash of etc/users.example.json).
const char* const kUsers =
    R"({"users": [{"username": "demo", "email": "demo@example.com", "password": )"
    R"("pbkdf2-sha256$600000$aNxecgzTbW3xiHXYHW_mKw$uUOmDiZGRwnSndATkQpyXnca7e8EFw-fFTrDnHNMFQI"}]})";

TEST(ConfigLoaderLocal, ReadsTheUsersFileAndSharedKeys) {
    test::TempDir dir;
    const std::string users = dir.write("etc/users.json", kUsers);
    const LoadResult r =
        load(R"({"auth": {"provider": "local", "users": "users.json", "mcpScopes": ["notes:read"],
        "accessTokenSeconds": 900}})",
             dir.str() + "/etc");
    ASSERT_TRUE(r.ok()) << r.errors.front();
    const AuthorizationServerOptions& s = proxyOf(r);
    EXPECT_EQ(s.providerName, "local");
    EXPECT_EQ(s.usersFile, users);
    EXPECT_EQ(s.mcpScopes, std::vector<std::string>{"notes:read"});
    EXPECT_EQ(s.accessTokenLifetime, std::chrono::seconds(900));
    EXPECT_FALSE(s.upstream.has_value());  // local signs users in itself
}

TEST(ConfigLoaderLocal, TheUsersFileIsCheckedWithoutShowingHashes) {
    test::TempDir dir;
    dir.write("empty.json", R"({"users": []})");
    EXPECT_EQ(load(R"({"auth": {"provider": "local", "users": "empty.json"}})", dir.str()).errors,
              (Lines{"t.json: auth.users: \"users\" is empty: nobody could sign in"}));
    dir.write("weak.json",
              R"({"users": [{"username": "a", "password": "pbkdf2-sha256$1000$c2FsdA$aGFzaA"}]})");
    const LoadResult weak =
        load(R"({"auth": {"provider": "local", "users": "weak.json"}})", dir.str());
    ASSERT_EQ(weak.errors.size(), 1u);
    EXPECT_TRUE(contains(weak.errors[0], "t.json: auth.users: user 1"));
    EXPECT_EQ(weak.errors[0].find("c2FsdA"), std::string::npos) << weak.errors[0];
    EXPECT_EQ(weak.errors[0].find("aGFzaA"), std::string::npos) << weak.errors[0];
}

TEST(ConfigLoaderLocal, ANamedUsersFileMustExistAndUpstreamKeysAreUnknown) {
    test::TempDir dir;
    dir.mkdir("a-dir");
    // Without `users` the server keeps its own file (created on first start).
    EXPECT_TRUE(load(R"({"auth": {"provider": "local"}})", dir.str()).errors.empty());
    EXPECT_EQ(load(R"({"auth": {"provider": "local", "users": "nope.json"}})", dir.str()).errors,
              (Lines{"t.json: auth.users: file does not exist: " + dir.str() + "/nope.json"}));
    EXPECT_EQ(load(R"({"auth": {"provider": "local", "users": "a-dir"}})", dir.str()).errors,
              (Lines{"t.json: auth.users: not a regular file: " + dir.str() + "/a-dir"}));
    dir.write("u.json", kUsers);
    EXPECT_EQ(
        load(
            R"({"auth": {"provider": "local", "users": "u.json", "clientId": "x", "clientSecret": "y"}})",
            dir.str())
            .errors,
        (Lines{"t.json: auth.clientId: unknown key for auth provider \"local\"",
               "t.json: auth.clientSecret: unknown key for auth provider \"local\""}));
}

}  // namespace
}  // namespace mcph::config
