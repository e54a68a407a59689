#include "config/AuthProviders.h"

#include <algorithm>

#include "config/AuthKeyReaders.h"
#include "config/ProxyProviders.h"

namespace mcph::config {

namespace {

void readNone(ObjectReader& /*auth*/, AuthConfig& out, const std::string& /*baseDir*/) {
    out.settings = NoAuthSettings{};
}

// The keys every native-DCR provider shares. `derivedIssuer` is what a preset computed ("" for
// plain oidc, where `issuer` is required).
void readOidcCommon(ObjectReader& auth, OidcSettings& s, const std::string& derivedIssuer) {
    if (auto insecure = auth.boolean("allowInsecureHttp")) s.allowInsecureHttp = *insecure;
    auto issuer = readHttpUrl(auth, "issuer", s.allowInsecureHttp);
    if (issuer) {
        s.issuer = *issuer;
    } else if (!auth.has("issuer")) {
        s.issuer = derivedIssuer;
        // A preset whose own keys are missing has said so already.
        if (s.issuer.empty() && s.preset == "oidc") auth.diagnostics().error(auth.pathOf("issuer"), "is required for this provider");
    }
    if (auto audience = auth.string("audience")) s.audience = audience->value;
    if (auto jwks = readHttpUrl(auth, "jwksUrl", s.allowInsecureHttp)) s.jwksUrl = *jwks;
    s.scopes = readTokenList(auth, "scopes", s.scopes, nullptr);
    s.algorithms = readTokenList(auth, "algorithms", s.algorithms, &supportedJwsAlgorithms());
    if (auto leeway = auth.integer("leewaySeconds", 0, 300)) s.leewaySeconds = static_cast<int>(*leeway);
    if (auto format = auth.string("tokenFormat")) {
        if (format->value == "jwt" || format->value == "opaque") {
            s.tokenFormat = format->value;
        } else {
            auth.diagnostics().error(auth.pathOf("tokenFormat"), "must be \"jwt\" or \"opaque\", got " + format->shown());
        }
    }
    if (auto intro = auth.object("introspection")) {
        if (auto endpoint = readHttpUrl(*intro, "endpoint", s.allowInsecureHttp)) s.introspection.endpoint = *endpoint;
        if (auto id = intro->string("clientId")) s.introspection.clientId = id->value;
        if (auto secret = intro->secret("clientSecret")) s.introspection.clientSecret = secret->value;
        intro->finish();
    }
    if (s.tokenFormat == "opaque" && s.introspection.clientId.empty()) {
        auth.diagnostics().error(auth.pathOf("introspection"), "tokenFormat \"opaque\" needs introspection.clientId and clientSecret");
    }
    readClaimNames(auth, "claims", s.claims, {"userId", "email", "name", "scopes", "clientId"});
}

// A preset's own key, used to derive the issuer; optional when `issuer` overrides it.
std::string presetKey(ObjectReader& auth, const std::string& key) {
    auto v = auth.string(key);
    if (!v && !auth.has("issuer")) auth.diagnostics().error(auth.pathOf(key), "is required (or set issuer)");
    return v ? v->value : std::string();
}

void readOidc(ObjectReader& auth, AuthConfig& out, const std::string& /*baseDir*/) {
    OidcSettings s;
    readOidcCommon(auth, s, "");
    out.settings = s;
}

void readWorkos(ObjectReader& auth, AuthConfig& out, const std::string& /*baseDir*/) {
    OidcSettings s;
    s.preset = "workos";
    const std::string sub = presetKey(auth, "subdomain");
    readOidcCommon(auth, s, sub.empty() ? "" : "https://" + sub + ".authkit.app");
    out.settings = s;
}

void readKeycloak(ObjectReader& auth, AuthConfig& out, const std::string& /*baseDir*/) {
    OidcSettings s;
    s.preset = "keycloak";
    std::string url = presetKey(auth, "url");
    const std::string realm = presetKey(auth, "realm");
    while (!url.empty() && url.back() == '/') url.pop_back();
    readOidcCommon(auth, s, url.empty() || realm.empty() ? "" : url + "/realms/" + realm);
    out.settings = s;
}

void readSupabase(ObjectReader& auth, AuthConfig& out, const std::string& /*baseDir*/) {
    OidcSettings s;
    s.preset = "supabase";
    const std::string ref = presetKey(auth, "projectRef");
    readOidcCommon(auth, s, ref.empty() ? "" : "https://" + ref + ".supabase.co/auth/v1");
    out.settings = s;
}

}  // namespace

const std::vector<AuthProvider>& authProviders() {
    static const std::vector<AuthProvider> providers = {
        {"none", &readNone},
        // Native DCR mode: the host verifies tokens issued by the authorization server.
        {"oidc", &readOidc},
        {"workos", &readWorkos},
        {"keycloak", &readKeycloak},
        {"supabase", &readSupabase},
        // Proxy mode: the host is the authorization server and signs users in upstream.
        {"proxy", &readProxyProvider},
        {"auth0", &readAuth0Provider},
        {"google", &readGoogleProvider},
        {"github", &readGithubProvider},
        {"okta", &readOktaProvider},
        {"entra", &readEntraProvider},
        // Proxy mode with the host's own sign-in page and users file.
        {"local", &readLocalProvider},
    };
    return providers;
}

const AuthProvider* findAuthProvider(const std::string& name) {
    for (const AuthProvider& provider : authProviders()) {
        if (name == provider.name) {
            return &provider;
        }
    }
    return nullptr;
}

}  // namespace mcph::config
