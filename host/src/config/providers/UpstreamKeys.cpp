#include "config/providers/UpstreamKeys.h"

#include <algorithm>
#include <string>
#include <vector>

#include "config/providers/ValueReaders.h"

namespace mcph::config {

namespace {

using auth::server::UpstreamIdentityMethod;
using auth::server::UpstreamOptions;

// Back to the default identity settings, when the config replaces a preset's method: none of
// the preset's settings for its own method apply to the other one. The issuer stays: it is the
// upstream's, not the method's.
void resetIdentity(UpstreamOptions& u, UpstreamIdentityMethod method) {
    const UpstreamOptions defaults;
    u.identity = method;
    u.jwksUrl.clear();
    u.audience.clear();
    u.algorithms = defaults.algorithms;
    u.leeway = defaults.leeway;
    u.userInfoUrl.clear();
    u.userEmailsUrl.clear();
    u.userOrgsUrl.clear();
    u.userTeamsUrl.clear();
    u.claims = defaults.claims;
}

// Parameters the host sets on every upstream authorization request itself; letting the config
// replace one would break the flow or its protections (redirect_uri, state, PKCE, nonce).
const std::vector<std::string>& reservedAuthorizeParams() {
    static const std::vector<std::string> names = {
        "response_type",         "client_id", "redirect_uri", "state",   "code_challenge",
        "code_challenge_method", "nonce",     "scope",        "resource"};
    return names;
}

void readExtraAuthorizeParams(ObjectReader& auth, UpstreamOptions& u) {
    auto extra = auth.object("extraAuthorizeParams");
    if (!extra) return;
    const auto& reserved = reservedAuthorizeParams();
    for (const std::string& name : extra->keys()) {  // file order
        auto value = extra->string(name);
        if (name.empty()) {
            extra->diagnostics().error(extra->pathOf(name), "a parameter name must not be empty");
        } else if (std::find(reserved.begin(), reserved.end(), name) != reserved.end()) {
            extra->diagnostics().error(extra->pathOf(name),
                                       "is set by the host itself and cannot be configured");
        } else if (std::any_of(u.extraAuthorizeParams.begin(), u.extraAuthorizeParams.end(),
                               [&](const auto& p) { return p.first == name; })) {
            // Only a preset's own parameter can be there already (auth0's audience).
            extra->diagnostics().error(
                extra->pathOf(name),
                "is already set by the provider's own key (auth." + name + ")");
        } else if (value) {
            u.extraAuthorizeParams.emplace_back(name, value->value);
        }
    }
    extra->finish();
}

void readTokenEndpointAuthMethod(ObjectReader& auth, UpstreamOptions& u) {
    auto method = auth.string("tokenEndpointAuthMethod");
    if (!method) return;
    if (method->value == "client_secret_post" || method->value == "client_secret_basic") {
        u.clientSecretBasic = method->value == "client_secret_basic";
    } else {
        auth.diagnostics().error(
            auth.pathOf("tokenEndpointAuthMethod"),
            "must be \"client_secret_post\" or \"client_secret_basic\", got " + method->shown());
    }
}

// verify.jwks: the identity comes from a JWT checked at the upstream's keys.
void readJwks(ObjectReader& jwks, UpstreamOptions& id, bool allowHttp) {
    if (id.identity == UpstreamIdentityMethod::UserInfo)
        resetIdentity(id, UpstreamIdentityMethod::IdToken);
    if (auto token = jwks.string("token")) {
        if (token->value == "idToken" || token->value == "accessToken") {
            id.identity = token->value == "idToken" ? UpstreamIdentityMethod::IdToken
                                                    : UpstreamIdentityMethod::AccessToken;
        } else {
            jwks.diagnostics().error(
                jwks.pathOf("token"),
                "must be \"idToken\" or \"accessToken\", got " + token->shown());
        }
    }
    if (auto url = readHttpUrl(jwks, "jwksUrl", allowHttp)) id.jwksUrl = *url;
    // The exact `iss` of the checked tokens, when it is not the upstream's issuer.
    if (auto issuer = readHttpUrl(jwks, "issuer", allowHttp)) id.issuer = *issuer;
    if (auto audience = jwks.string("audience")) {
        if (audience->value.empty()) {
            jwks.diagnostics().error(jwks.pathOf("audience"),
                                     "must not be empty (leave it out for the client id)");
        } else {
            id.audience = audience->value;
        }
    }
    id.algorithms = readTokenList(jwks, "algorithms", id.algorithms, &supportedJwsAlgorithms());
    if (auto leeway = jwks.integer("leewaySeconds", 0, 300))
        id.leeway = std::chrono::seconds(*leeway);
    jwks.finish();
}

// verify.userinfo: the identity comes from the provider's user endpoint.
void readUserinfo(ObjectReader& userinfo, UpstreamOptions& id, bool allowHttp) {
    if (id.identity != UpstreamIdentityMethod::UserInfo)
        resetIdentity(id, UpstreamIdentityMethod::UserInfo);
    if (auto url = readHttpUrl(userinfo, "url", allowHttp)) id.userInfoUrl = *url;
    if (auto emails = readHttpUrl(userinfo, "emailsUrl", allowHttp)) id.userEmailsUrl = *emails;
    // GitHub organisations and teams, read only when the access policy asks for them.
    if (auto orgs = readHttpUrl(userinfo, "orgsUrl", allowHttp)) id.userOrgsUrl = *orgs;
    if (auto teams = readHttpUrl(userinfo, "teamsUrl", allowHttp)) id.userTeamsUrl = *teams;
    userinfo.finish();
}

void readVerify(ObjectReader& auth, UpstreamOptions& id, const UpstreamKeyRules& rules) {
    const std::string shapes = "{\"jwks\": {\"jwksUrl\": …}} or {\"userinfo\": {\"url\": …}}";
    auto verify = auth.object("verify");
    if (!verify) {
        if (rules.generic && !auth.has("verify")) {
            auth.diagnostics().error(auth.pathOf("verify"),
                                     "is required for this provider: " + shapes);
        }
        return;
    }
    const bool jwks = verify->has("jwks");
    const bool userinfo = verify->has("userinfo");
    if (jwks && userinfo) {
        verify->diagnostics().error(verify->path(), "set exactly one of jwks and userinfo");
        verify->ignoreRest();
        return;
    }
    if (!jwks && !userinfo && rules.generic) {
        verify->diagnostics().error(verify->path(), "needs one of " + shapes);
    }
    if (auto j = verify->object("jwks")) readJwks(*j, id, rules.allowHttp);
    if (auto u = verify->object("userinfo")) readUserinfo(*u, id, rules.allowHttp);
    readClaimNames(*verify, "claims", id.claims, {"userId", "email", "name"});
    verify->finish();
}

// Errors for whatever is still missing once presets and keys are applied.
// `verifyOk`: verify was read without errors (a bad URL there is not also "required").
void checkComplete(ObjectReader& auth, const UpstreamOptions& u, const UpstreamKeyRules& rules,
                   bool verifyOk) {
    Diagnostics& d = auth.diagnostics();
    const UpstreamOptions& id = u;
    const bool jwt = id.identity != UpstreamIdentityMethod::UserInfo;
    if (!rules.presetIncomplete) {
        if (u.authEndpoint.empty() && !auth.has("authEndpoint"))
            d.error(auth.pathOf("authEndpoint"), "is required for this provider");
        if (u.tokenEndpoint.empty() && !auth.has("tokenEndpoint"))
            d.error(auth.pathOf("tokenEndpoint"), "is required for this provider");
        if (verifyOk && jwt && id.jwksUrl.empty())
            d.error(auth.pathOf("verify.jwks.jwksUrl"), "is required");
        if (verifyOk && jwt && id.issuer.empty() && !auth.has("issuer")) {
            d.error(auth.pathOf("issuer"),
                    "is required when verify uses jwks (the exact `iss` of the upstream's tokens)");
        }
        if (verifyOk && !jwt && id.userInfoUrl.empty())
            d.error(auth.pathOf("verify.userinfo.url"), "is required");
    }
    if (verifyOk && id.identity == UpstreamIdentityMethod::IdToken &&
        std::find(u.scopes.begin(), u.scopes.end(), "openid") == u.scopes.end()) {
        d.error(auth.pathOf("scopes"),
                "must include \"openid\": verify checks the ID token, which only OpenID Connect "
                "returns");
    }
    if (verifyOk && id.identity == UpstreamIdentityMethod::AccessToken && id.audience.empty()) {
        d.error(auth.pathOf("verify.jwks.audience"),
                "is required with token \"accessToken\": an access token is issued for an API, not "
                "for the client id");
    }
}

}  // namespace

void readUpstreamKeys(ObjectReader& auth, UpstreamOptions& u, const UpstreamKeyRules& rules) {
    if (auto v = readHttpUrl(auth, "authEndpoint", rules.allowHttp)) u.authEndpoint = *v;
    if (auto v = readHttpUrl(auth, "tokenEndpoint", rules.allowHttp)) u.tokenEndpoint = *v;
    if (auto v = readHttpUrl(auth, "issuer", rules.allowHttp)) u.issuer = *v;
    if (auto id = auth.string("clientId")) {
        if (id->value.empty()) {
            auth.diagnostics().error(auth.pathOf("clientId"), "must not be empty");
        } else {
            u.clientId = id->value;
        }
    } else if (!auth.has("clientId")) {
        auth.diagnostics().error(auth.pathOf("clientId"),
                                 "is required: the client id registered at the provider");
    }
    if (auto secret = auth.secret("clientSecret")) {
        u.clientSecret = secret->value;
    } else if (!auth.has("clientSecret")) {
        auth.diagnostics().error(auth.pathOf("clientSecret"),
                                 "is required: the client secret registered at the provider (e.g. "
                                 "\"${CLIENT_SECRET}\")");
    }
    readTokenEndpointAuthMethod(auth, u);
    u.scopes = readTokenList(auth, "scopes", u.scopes, nullptr);
    readExtraAuthorizeParams(auth, u);
    if (auto v = auth.boolean("pkce")) u.pkce = *v;
    if (auto v = auth.boolean("forwardResource")) u.forwardResource = *v;
    if (auto v = auth.boolean("nonce")) u.nonce = *v;
    const std::size_t errorsBefore = auth.diagnostics().errors().size();
    readVerify(auth, u, rules);
    const bool verifyOk = auth.diagnostics().errors().size() == errorsBefore;
    checkComplete(auth, u, rules, verifyOk);
}

}  // namespace mcph::config
