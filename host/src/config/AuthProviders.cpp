#include "config/AuthProviders.h"

#include <algorithm>

#include "config/UrlChecks.h"

namespace mcph::config {

namespace {

const std::vector<std::string>& supportedAlgorithms() {
    // Asymmetric only (RFC 8725 §3.1): a shared secret would let anyone who can verify, sign.
    static const std::vector<std::string> algs = {"RS256", "RS384", "RS512", "PS256",
                                                  "PS384", "PS512", "ES256", "ES384"};
    return algs;
}

void readNone(ObjectReader& /*auth*/, AuthConfig& out) { out.settings = NoAuthSettings{}; }

// An http(s) URL an auth setting names; https unless the operator allowed plain http.
std::optional<std::string> readUrl(ObjectReader& auth, const std::string& key, bool allowHttp) {
    auto value = auth.string(key);
    if (!value) return std::nullopt;
    std::string problem;
    auto url = parseAbsoluteUrl(value->value, problem);
    if (!url) {
        auth.diagnostics().error(auth.pathOf(key), problem);
        return std::nullopt;
    }
    if (url->scheme != "https" && !(allowHttp && url->scheme == "http")) {
        auth.diagnostics().error(auth.pathOf(key),
                                 "must be an https URL (set auth.allowInsecureHttp for a local test server), got " +
                                     value->shown());
        return std::nullopt;
    }
    return value->value;
}

std::vector<std::string> readTokens(ObjectReader& auth, const std::string& key, std::vector<std::string> fallback,
                                    const std::vector<std::string>* allowed) {
    auto list = auth.stringArray(key);
    if (!list) return fallback;
    std::vector<std::string> out;
    for (const auto& item : *list) {
        const bool blank = item.value.empty() || item.value.find_first_of(" \t\"\\") != std::string::npos;
        if (blank || (allowed && std::find(allowed->begin(), allowed->end(), item.value) == allowed->end())) {
            auth.diagnostics().error(item.keyPath, "not an accepted value: " + item.shown());
            continue;
        }
        out.push_back(item.value);
    }
    return out;
}

// The keys every native-DCR provider shares. `derivedIssuer` is what a preset computed ("" for
// plain oidc, where `issuer` is required).
void readOidcCommon(ObjectReader& auth, OidcSettings& s, const std::string& derivedIssuer) {
    if (auto insecure = auth.boolean("allowInsecureHttp")) s.allowInsecureHttp = *insecure;
    auto issuer = readUrl(auth, "issuer", s.allowInsecureHttp);
    if (issuer) {
        s.issuer = *issuer;
    } else if (!auth.has("issuer")) {
        s.issuer = derivedIssuer;
        // A preset whose own keys are missing has said so already.
        if (s.issuer.empty() && s.preset == "oidc") auth.diagnostics().error(auth.pathOf("issuer"), "is required for this provider");
    }
    if (auto audience = auth.string("audience")) s.audience = audience->value;
    if (auto jwks = readUrl(auth, "jwksUrl", s.allowInsecureHttp)) s.jwksUrl = *jwks;
    s.scopes = readTokens(auth, "scopes", s.scopes, nullptr);
    s.algorithms = readTokens(auth, "algorithms", s.algorithms, &supportedAlgorithms());
    if (auto leeway = auth.integer("leewaySeconds", 0, 300)) s.leewaySeconds = static_cast<int>(*leeway);
    if (auto format = auth.string("tokenFormat")) {
        if (format->value == "jwt" || format->value == "opaque") {
            s.tokenFormat = format->value;
        } else {
            auth.diagnostics().error(auth.pathOf("tokenFormat"), "must be \"jwt\" or \"opaque\", got " + format->shown());
        }
    }
    if (auto intro = auth.object("introspection")) {
        if (auto endpoint = readUrl(*intro, "endpoint", s.allowInsecureHttp)) s.introspection.endpoint = *endpoint;
        if (auto id = intro->string("clientId")) s.introspection.clientId = id->value;
        if (auto secret = intro->string("clientSecret")) s.introspection.clientSecret = secret->value;
        intro->finish();
    }
    if (s.tokenFormat == "opaque" && s.introspection.clientId.empty()) {
        auth.diagnostics().error(auth.pathOf("introspection"), "tokenFormat \"opaque\" needs introspection.clientId and clientSecret");
    }
    if (auto claims = auth.object("claims")) {
        for (auto [key, field] : {std::pair<const char*, std::string*>{"userId", &s.claims.userId},
                                  {"email", &s.claims.email}, {"name", &s.claims.name},
                                  {"scopes", &s.claims.scopes}, {"clientId", &s.claims.clientId}}) {
            if (auto v = claims->string(key)) *field = v->value;
        }
        claims->finish();
    }
}

// A preset's own key, used to derive the issuer; optional when `issuer` overrides it.
std::string presetKey(ObjectReader& auth, const std::string& key) {
    auto v = auth.string(key);
    if (!v && !auth.has("issuer")) auth.diagnostics().error(auth.pathOf(key), "is required (or set issuer)");
    return v ? v->value : std::string();
}

void readOidc(ObjectReader& auth, AuthConfig& out) {
    OidcSettings s;
    readOidcCommon(auth, s, "");
    out.settings = s;
}

void readWorkos(ObjectReader& auth, AuthConfig& out) {
    OidcSettings s;
    s.preset = "workos";
    const std::string sub = presetKey(auth, "subdomain");
    readOidcCommon(auth, s, sub.empty() ? "" : "https://" + sub + ".authkit.app");
    out.settings = s;
}

void readKeycloak(ObjectReader& auth, AuthConfig& out) {
    OidcSettings s;
    s.preset = "keycloak";
    std::string url = presetKey(auth, "url");
    const std::string realm = presetKey(auth, "realm");
    while (!url.empty() && url.back() == '/') url.pop_back();
    readOidcCommon(auth, s, url.empty() || realm.empty() ? "" : url + "/realms/" + realm);
    out.settings = s;
}

void readSupabase(ObjectReader& auth, AuthConfig& out) {
    OidcSettings s;
    s.preset = "supabase";
    const std::string ref = presetKey(auth, "projectRef");
    readOidcCommon(auth, s, ref.empty() ? "" : "https://" + ref + ".supabase.co/auth/v1");
    out.settings = s;
}

}  // namespace

const std::vector<AuthProvider>& authProviders() {
    static const std::vector<AuthProvider> providers = {
        {"none", &readNone},       {"oidc", &readOidc},         {"workos", &readWorkos},
        {"keycloak", &readKeycloak}, {"supabase", &readSupabase},
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
