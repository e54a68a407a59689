// Proxy-mode presets (auth0, google, github, okta, entra): the URLs each derives, that every one
// of them can be overridden (how each preset is tested against a local stand-in), and the
// errors of their own keys.

#include "config_test_support.h"

namespace mcph::config {
namespace {

using test::Lines;
using test::load;

using mcph::auth::server::AuthorizationServerOptions;
using mcph::auth::server::UpstreamIdentityMethod;
using mcph::auth::server::UpstreamOptions;

const AuthorizationServerOptions& proxyOf(const LoadResult& r) {
    return std::get<AuthorizationServerOptions>(r.config.auth.settings);
}

const std::string kCredentials = R"("clientId": "cid", "clientSecret": "csecret")";

LoadResult loadAuth(const std::string& keys) { return load(R"({"auth": {)" + keys + "}}"); }

using Params = std::vector<std::pair<std::string, std::string>>;

TEST(ConfigLoaderProxyPresets, Auth0) {
    const LoadResult r = loadAuth(
        R"("provider": "auth0", "domain": "Acme.us.auth0.com", "audience": "https://api.acme.example", )" +
        kCredentials);
    ASSERT_TRUE(r.ok()) << r.errors.front();
    const AuthorizationServerOptions& s = proxyOf(r);
    EXPECT_EQ(s.providerName, "auth0");
    EXPECT_EQ(s.upstream->authEndpoint, "https://acme.us.auth0.com/authorize");
    EXPECT_EQ(s.upstream->tokenEndpoint, "https://acme.us.auth0.com/oauth/token");
    EXPECT_EQ(s.upstream->issuer, "https://acme.us.auth0.com/");
    EXPECT_EQ(s.upstream->identity, UpstreamIdentityMethod::IdToken);
    EXPECT_EQ(s.upstream->jwksUrl, "https://acme.us.auth0.com/.well-known/jwks.json");
    EXPECT_EQ(s.upstream->audience, "");  // the ID token is for our client id
    EXPECT_EQ(s.upstream->extraAuthorizeParams, (Params{{"audience", "https://api.acme.example"}}));
    EXPECT_EQ(s.upstream->clientId, "cid");
    EXPECT_EQ(s.upstream->clientSecret, "csecret");
    EXPECT_FALSE(s.upstream->forwardResource);
    EXPECT_TRUE(s.upstream->nonce);
    EXPECT_TRUE(s.upstream->pkce);
}

TEST(ConfigLoaderProxyPresets, Google) {
    const LoadResult r = loadAuth(R"("provider": "google", )" + kCredentials);
    ASSERT_TRUE(r.ok()) << r.errors.front();
    const UpstreamOptions& u = *proxyOf(r).upstream;
    EXPECT_EQ(proxyOf(r).providerName, "google");
    EXPECT_EQ(u.authEndpoint, "https://accounts.google.com/o/oauth2/v2/auth");
    EXPECT_EQ(u.tokenEndpoint, "https://oauth2.googleapis.com/token");
    EXPECT_EQ(u.issuer, "https://accounts.google.com");
    EXPECT_EQ(u.identity, UpstreamIdentityMethod::IdToken);
    EXPECT_EQ(u.jwksUrl, "https://www.googleapis.com/oauth2/v3/certs");
    EXPECT_EQ(u.scopes, (std::vector<std::string>{"openid", "email", "profile"}));
    EXPECT_FALSE(u.forwardResource);
    EXPECT_TRUE(u.extraAuthorizeParams.empty());
}

TEST(ConfigLoaderProxyPresets, Github) {
    const LoadResult r = loadAuth(R"("provider": "github", )" + kCredentials);
    ASSERT_TRUE(r.ok()) << r.errors.front();
    const UpstreamOptions& u = *proxyOf(r).upstream;
    EXPECT_EQ(u.authEndpoint, "https://github.com/login/oauth/authorize");
    EXPECT_EQ(u.tokenEndpoint, "https://github.com/login/oauth/access_token");
    EXPECT_EQ(u.issuer, "");
    EXPECT_EQ(u.scopes, (std::vector<std::string>{"read:user", "user:email"}));
    EXPECT_FALSE(u.nonce);
    EXPECT_FALSE(u.forwardResource);
    EXPECT_EQ(u.identity, UpstreamIdentityMethod::UserInfo);
    EXPECT_EQ(u.userInfoUrl, "https://api.github.com/user");
    EXPECT_EQ(u.userEmailsUrl, "https://api.github.com/user/emails");
    // Read only once the access policy asks for organisations or teams.
    EXPECT_EQ(u.userOrgsUrl, "https://api.github.com/user/orgs");
    EXPECT_EQ(u.userTeamsUrl, "https://api.github.com/user/teams");
    EXPECT_FALSE(u.readOrganizations);
    EXPECT_FALSE(u.readTeams);
    EXPECT_EQ(u.claims.userId, "id");
    EXPECT_EQ(u.claims.email, "email");
    EXPECT_EQ(u.claims.name, "name");
    EXPECT_EQ(u.jwksUrl, "");
}

TEST(ConfigLoaderProxyPresets, Okta) {
    const LoadResult r =
        loadAuth(R"("provider": "okta", "domain": "dev-1.okta.com", )" + kCredentials);
    ASSERT_TRUE(r.ok()) << r.errors.front();
    const UpstreamOptions& u = *proxyOf(r).upstream;
    EXPECT_EQ(u.authEndpoint, "https://dev-1.okta.com/oauth2/default/v1/authorize");
    EXPECT_EQ(u.tokenEndpoint, "https://dev-1.okta.com/oauth2/default/v1/token");
    EXPECT_EQ(u.issuer, "https://dev-1.okta.com/oauth2/default");
    EXPECT_EQ(u.jwksUrl, "https://dev-1.okta.com/oauth2/default/v1/keys");

    const LoadResult customLoad = loadAuth(
        R"("provider": "okta", "domain": "dev-1.okta.com", "authorizationServerId": "aus1x2", )" +
        kCredentials);
    const UpstreamOptions& custom = *proxyOf(customLoad).upstream;
    EXPECT_EQ(custom.authEndpoint, "https://dev-1.okta.com/oauth2/aus1x2/v1/authorize");
    EXPECT_EQ(custom.issuer, "https://dev-1.okta.com/oauth2/aus1x2");
    EXPECT_EQ(custom.jwksUrl, "https://dev-1.okta.com/oauth2/aus1x2/v1/keys");

    // "" = the org authorization server (no API Access Management needed).
    const LoadResult orgLoad = loadAuth(
        R"("provider": "okta", "domain": "dev-1.okta.com", "authorizationServerId": "", )" +
        kCredentials);
    const UpstreamOptions& org = *proxyOf(orgLoad).upstream;
    EXPECT_EQ(org.authEndpoint, "https://dev-1.okta.com/oauth2/v1/authorize");
    EXPECT_EQ(org.tokenEndpoint, "https://dev-1.okta.com/oauth2/v1/token");
    EXPECT_EQ(org.issuer, "https://dev-1.okta.com");
    EXPECT_EQ(org.jwksUrl, "https://dev-1.okta.com/oauth2/v1/keys");
}

TEST(ConfigLoaderProxyPresets, Entra) {
    const std::string tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    const LoadResult r =
        loadAuth(R"("provider": "entra", "tenant": ")" + tenant + R"(", )" + kCredentials);
    ASSERT_TRUE(r.ok()) << r.errors.front();
    const UpstreamOptions& u = *proxyOf(r).upstream;
    const std::string base = "https://login.microsoftonline.com/" + tenant;
    EXPECT_EQ(u.authEndpoint, base + "/oauth2/v2.0/authorize");
    EXPECT_EQ(u.tokenEndpoint, base + "/oauth2/v2.0/token");
    EXPECT_EQ(u.issuer, base + "/v2.0");
    EXPECT_EQ(u.jwksUrl, base + "/discovery/v2.0/keys");
    EXPECT_EQ(u.identity, UpstreamIdentityMethod::IdToken);
    EXPECT_FALSE(u.forwardResource);  // the v2.0 endpoint refuses `resource` (AADSTS901002)
}

TEST(ConfigLoaderProxyPresets, EveryDerivedUrlCanBeOverriddenForALocalStandIn) {
    const std::string local =
        R"("allowInsecureHttp": true, "authEndpoint": "http://127.0.0.1:4000/auth",
        "tokenEndpoint": "http://127.0.0.1:4000/token", "issuer": "http://127.0.0.1:4000", )";
    for (const std::string preset :
         {R"("provider": "auth0", "domain": "acme.auth0.com")", R"("provider": "google")",
          R"("provider": "okta", "domain": "dev-1.okta.com")",
          R"("provider": "entra", "tenant": "72f988bf-86f1-41af-91ab-2d7cd011db47")"}) {
        const LoadResult r =
            loadAuth(preset + ", " + local + kCredentials +
                     R"(, "verify": {"jwks": {"jwksUrl": "http://127.0.0.1:4000/jwks"}})");
        ASSERT_TRUE(r.ok()) << preset << ": " << r.errors.front();
        const UpstreamOptions& u = *proxyOf(r).upstream;
        EXPECT_EQ(u.authEndpoint, "http://127.0.0.1:4000/auth") << preset;
        EXPECT_EQ(u.tokenEndpoint, "http://127.0.0.1:4000/token") << preset;
        EXPECT_EQ(u.issuer, "http://127.0.0.1:4000") << preset;  // the token check follows it
        EXPECT_EQ(u.jwksUrl, "http://127.0.0.1:4000/jwks") << preset;
        EXPECT_EQ(u.identity, UpstreamIdentityMethod::IdToken) << preset;
    }
    // Without their own key, as long as every URL is given.
    const LoadResult bare =
        loadAuth(R"("provider": "okta", )" + local + kCredentials +
                 R"(, "verify": {"jwks": {"jwksUrl": "http://127.0.0.1:4000/jwks"}})");
    ASSERT_TRUE(bare.ok()) << bare.errors.front();
    EXPECT_EQ(loadAuth(R"("provider": "auth0", )" + local + kCredentials).errors,
              (Lines{"t.json: auth.verify.jwks.jwksUrl: is required"}));

    const LoadResult gh = loadAuth(
        R"("provider": "github", )" + local + kCredentials +
        R"(, "verify": {"userinfo": {"url": "http://127.0.0.1:4000/user", "emailsUrl": "http://127.0.0.1:4000/emails"}},
        "scopes": ["user:email"], "nonce": true, "forwardResource": true, "pkce": false)");
    ASSERT_TRUE(gh.ok()) << gh.errors.front();
    const UpstreamOptions& u = *proxyOf(gh).upstream;
    EXPECT_EQ(u.identity, UpstreamIdentityMethod::UserInfo);
    EXPECT_EQ(u.userInfoUrl, "http://127.0.0.1:4000/user");
    EXPECT_EQ(u.userEmailsUrl, "http://127.0.0.1:4000/emails");
    EXPECT_EQ(u.claims.userId, "id");  // the preset's claims stay with its method
    EXPECT_EQ(u.scopes, std::vector<std::string>{"user:email"});
    EXPECT_TRUE(u.nonce);
    EXPECT_TRUE(u.forwardResource);
    EXPECT_FALSE(u.pkce);
}

TEST(ConfigLoaderProxyPresets, GithubOrganisationAndTeamUrlsCanBeOverridden) {
    const LoadResult r =
        loadAuth(R"("provider": "github", )" + kCredentials +
                 R"(, "verify": {"userinfo": {"orgsUrl": "https://ghe.example.com/api/v3/user/orgs",
        "teamsUrl": "https://ghe.example.com/api/v3/user/teams"}})");
    ASSERT_TRUE(r.ok()) << r.errors.front();
    const UpstreamOptions& u = *proxyOf(r).upstream;
    EXPECT_EQ(u.userOrgsUrl, "https://ghe.example.com/api/v3/user/orgs");
    EXPECT_EQ(u.userTeamsUrl, "https://ghe.example.com/api/v3/user/teams");
    EXPECT_EQ(u.userInfoUrl, "https://api.github.com/user");  // the rest of the preset stays

    // http only where emailsUrl allows it: with auth.allowInsecureHttp.
    const std::string local =
        R"(, "verify": {"userinfo": {"orgsUrl": "http://127.0.0.1:4000/orgs",
        "teamsUrl": "http://127.0.0.1:4000/teams"}})";
    const LoadResult insecure = loadAuth(R"("provider": "github", )" + kCredentials + local);
    EXPECT_EQ(insecure.errors,
              (Lines{"t.json: auth.verify.userinfo.orgsUrl: must be an https URL (set "
                     "auth.allowInsecureHttp for a local test server), got "
                     "\"http://127.0.0.1:4000/orgs\"",
                     "t.json: auth.verify.userinfo.teamsUrl: must be an https URL (set "
                     "auth.allowInsecureHttp for a local test server), got "
                     "\"http://127.0.0.1:4000/teams\""}));
    const LoadResult allowed =
        loadAuth(R"("provider": "github", "allowInsecureHttp": true, )" + kCredentials + local);
    ASSERT_TRUE(allowed.ok()) << allowed.errors.front();
    EXPECT_EQ(proxyOf(allowed).upstream->userOrgsUrl, "http://127.0.0.1:4000/orgs");
    EXPECT_EQ(proxyOf(allowed).upstream->userTeamsUrl, "http://127.0.0.1:4000/teams");
}

TEST(ConfigLoaderProxyPresets, ChangingAPresetsVerifyMethodDropsItsOtherSettings) {
    const LoadResult r = loadAuth(
        R"("provider": "google", )" + kCredentials +
        R"(, "verify": {"userinfo": {"url": "https://openidconnect.googleapis.com/v1/userinfo"}})");
    ASSERT_TRUE(r.ok()) << r.errors.front();
    const UpstreamOptions& id = *proxyOf(r).upstream;
    EXPECT_EQ(id.identity, UpstreamIdentityMethod::UserInfo);
    EXPECT_EQ(id.jwksUrl, "");
    EXPECT_EQ(id.claims.userId, "sub");
    // GitHub switched to jwks keeps none of its userinfo URLs (orgs and teams included).
    const LoadResult ghJwks = loadAuth(
        R"("provider": "github", "issuer": "https://idp.example.com", "scopes": ["openid"], )" +
        kCredentials + R"(, "verify": {"jwks": {"jwksUrl": "https://idp.example.com/jwks"}})");
    ASSERT_TRUE(ghJwks.ok()) << ghJwks.errors.front();
    EXPECT_EQ(proxyOf(ghJwks).upstream->userOrgsUrl, "");
    EXPECT_EQ(proxyOf(ghJwks).upstream->userTeamsUrl, "");
    // GitHub has no issuer and no ID token: switching it to jwks needs both.
    EXPECT_EQ(
        loadAuth(R"("provider": "github", )" + kCredentials + R"(, "verify": {"jwks": {}})").errors,
        (Lines{"t.json: auth.verify.jwks.jwksUrl: is required",
               "t.json: auth.issuer: is required when verify uses jwks (the exact `iss` of the "
               "upstream's tokens)",
               "t.json: auth.scopes: must include \"openid\": verify checks the ID token, which "
               "only OpenID Connect returns"}));
}

TEST(ConfigLoaderProxyPresets, OwnKeyErrors) {
    EXPECT_EQ(
        loadAuth(R"("provider": "auth0", )" + kCredentials).errors,
        (Lines{
            "t.json: auth.domain: is required (or set authEndpoint, tokenEndpoint and issuer)"}));
    EXPECT_EQ(
        loadAuth(R"("provider": "auth0", "domain": "https://acme.auth0.com/", )" + kCredentials)
            .errors,
        (Lines{"t.json: auth.domain: expected a host name such as tenant.us.auth0.com (no "
               "https://, no path), got "
               "\"https://acme.auth0.com/\""}));
    EXPECT_EQ(
        loadAuth(
            R"("provider": "auth0", "domain": "acme.auth0.com", "audience": "a", "extraAuthorizeParams": {"audience": "b"}, )" +
            kCredentials)
            .errors,
        (Lines{"t.json: auth.extraAuthorizeParams.audience: is already set by the provider's own "
               "key (auth.audience)"}));
    EXPECT_EQ(
        loadAuth(R"("provider": "okta", )" + kCredentials).errors,
        (Lines{
            "t.json: auth.domain: is required (or set authEndpoint, tokenEndpoint and issuer)"}));
    EXPECT_EQ(
        loadAuth(
            R"("provider": "okta", "domain": "dev-1.okta.com", "authorizationServerId": "../x", )" +
            kCredentials)
            .errors,
        (Lines{"t.json: auth.authorizationServerId: expected letters and digits (\"default\", an "
               "id such as \"aus1a2b3c\", "
               "or \"\" for the org authorization server), got \"../x\""}));
    EXPECT_EQ(
        loadAuth(R"("provider": "entra", )" + kCredentials).errors,
        (Lines{
            "t.json: auth.tenant: is required (or set authEndpoint, tokenEndpoint and issuer)"}));
    for (const char* multi : {"common", "organizations", "Consumers"}) {
        EXPECT_EQ(loadAuth(std::string(R"("provider": "entra", "tenant": ")") + multi + R"(", )" +
                           kCredentials)
                      .errors,
                  (Lines{std::string("t.json: auth.tenant: \"") + multi +
                         "\" is refused: its ID tokens carry each user's own tenant in the issuer, "
                         "so no single issuer can "
                         "be checked; use your Directory (tenant) ID"}));
    }
    EXPECT_EQ(
        loadAuth(R"("provider": "entra", "tenant": "contoso.onmicrosoft.com", )" + kCredentials)
            .errors,
        (Lines{"t.json: auth.tenant: expected the Directory (tenant) ID, a GUID: tokens name the "
               "tenant by its id, so a "
               "domain would never match their issuer (or set issuer), got "
               "\"contoso.onmicrosoft.com\""}));
    // A domain is fine once the issuer is given explicitly.
    const LoadResult domain = loadAuth(R"("provider": "entra", "tenant": "contoso.onmicrosoft.com",
        "issuer": "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0", )" +
                                       kCredentials);
    ASSERT_TRUE(domain.ok()) << domain.errors.front();
    EXPECT_EQ(proxyOf(domain).upstream->authEndpoint,
              "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize");
    // Credentials are required by every preset.
    EXPECT_EQ(loadAuth(R"("provider": "google")").errors,
              (Lines{"t.json: auth.clientId: is required: the client id registered at the provider",
                     "t.json: auth.clientSecret: is required: the client secret registered at the "
                     "provider (e.g. "
                     "\"${CLIENT_SECRET}\")"}));
}

TEST(ConfigLoaderProxyPresets, PresetKeysAreUnknownToOtherPresets) {
    EXPECT_EQ(
        loadAuth(R"("provider": "google", "domain": "x.example", "tenant": "t", )" + kCredentials)
            .errors,
        (Lines{"t.json: auth.domain: unknown key for auth provider \"google\"",
               "t.json: auth.tenant: unknown key for auth provider \"google\""}));
}

}  // namespace
}  // namespace mcph::config
