#include "config/ProxyProviders.h"

#include <algorithm>
#include <cctype>
#include <exception>

#include "config/ConfigPaths.h"
#include "config/ProxyServerKeys.h"
#include "config/UpstreamKeys.h"
#include "config/UrlChecks.h"
#include "mcphost/auth/server/LocalUserDirectory.h"

namespace mcph::config {

namespace {

// Every preset URL is derived from these unless the config overrides it.
bool derivedUrlsAllOverridden(const ObjectReader& auth) {
    return auth.has("authEndpoint") && auth.has("tokenEndpoint") && auth.has("issuer");
}

// A preset's host-name key (auth0 and okta `domain`): a bare DNS name, no scheme or path.
// "" when missing (reported unless every URL it derives is overridden) or invalid.
std::string readDomain(ObjectReader& auth, const char* key, const char* example) {
    auto v = auth.string(key);
    if (!v) {
        if (!auth.has(key) && !derivedUrlsAllOverridden(auth)) {
            auth.diagnostics().error(auth.pathOf(key),
                                     "is required (or set authEndpoint, tokenEndpoint and issuer)");
        }
        return "";
    }
    std::string host = v->value;
    if (!host.empty() && host.back() == '.') host.pop_back();
    if (host.find_first_of(":/") != std::string::npos || !isValidHost(host)) {
        auth.diagnostics().error(auth.pathOf(key), std::string("expected a host name such as ") +
                                                       example + " (no https://, no path), got " +
                                                       v->shown());
        return "";
    }
    std::transform(host.begin(), host.end(), host.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return host;
}

// Reads the shared server keys, then the upstream keys over what the preset derived.
void finishProxy(ObjectReader& auth, AuthConfig& out, const std::string& baseDir, ProxySettings s,
                 bool generic, bool presetIncomplete) {
    readProxyServerKeys(auth, s, baseDir);
    UpstreamKeyRules rules;
    rules.allowHttp = s.allowInsecureHttp;
    rules.generic = generic;
    rules.presetIncomplete = presetIncomplete;
    readUpstreamKeys(auth, s.upstream, rules);
    out.settings = std::move(s);
}

ProxySettings preset(const char* name) {
    ProxySettings s;
    s.preset = name;
    // The host issues its own tokens and keeps the upstream's to itself, so the upstream has
    // no use for the MCP URL; some refuse it (Entra v2: AADSTS901002, Auth0 with the resource
    // compatibility profile on). Only the generic "proxy" forwards it by default.
    s.upstream.forwardResource = false;
    return s;
}

std::size_t errorCount(ObjectReader& auth) { return auth.diagnostics().errors().size(); }

// The users file is read now too, so that --check-config catches a bad entry or hash before
// the server starts. Its messages never contain a password hash.
void checkUsersFile(ObjectReader& auth, const std::string& path) {
    try {
        (void)auth::server::LocalUserDirectory::load(path);
    } catch (const std::exception& e) {
        // The loader names the file first; the key path says which file it is.
        std::string problem = e.what();
        const std::string prefix = "users file " + path + ": ";
        if (problem.rfind(prefix, 0) == 0) problem.erase(0, prefix.size());
        auth.diagnostics().error(auth.pathOf("users"), problem);
    }
}

bool isGuid(const std::string& s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
    }
    return true;
}

}  // namespace

void readProxyProvider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir) {
    finishProxy(auth, out, baseDir, ProxySettings{}, true, false);
}

void readAuth0Provider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir) {
    ProxySettings s = preset("auth0");
    const std::size_t before = errorCount(auth);
    const std::string domain = readDomain(auth, "domain", "tenant.us.auth0.com");
    const bool incomplete = errorCount(auth) != before;
    if (!domain.empty()) {
        const std::string base = "https://" + domain;
        s.upstream.authEndpoint = base + "/authorize";
        s.upstream.tokenEndpoint = base + "/oauth/token";
        s.upstream.issuer = base + "/";  // Auth0's issuer ends with a slash
        s.upstream.identity.jwksUrl = base + "/.well-known/jwks.json";
    }
    // The API the upstream access token is for; Auth0 issues an opaque token without it.
    if (auto audience = auth.string("audience")) {
        if (audience->value.empty()) {
            auth.diagnostics().error(auth.pathOf("audience"),
                                     "must not be empty (leave it out for none)");
        } else {
            s.upstream.extraAuthorizeParams.emplace_back("audience", audience->value);
        }
    }
    finishProxy(auth, out, baseDir, std::move(s), false, incomplete);
}

void readGoogleProvider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir) {
    ProxySettings s = preset("google");
    s.upstream.authEndpoint = "https://accounts.google.com/o/oauth2/v2/auth";
    s.upstream.tokenEndpoint = "https://oauth2.googleapis.com/token";
    s.upstream.issuer = "https://accounts.google.com";
    s.upstream.identity.jwksUrl = "https://www.googleapis.com/oauth2/v3/certs";
    finishProxy(auth, out, baseDir, std::move(s), false, false);
}

void readGithubProvider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir) {
    ProxySettings s = preset("github");
    UpstreamSettings& u = s.upstream;
    u.authEndpoint = "https://github.com/login/oauth/authorize";
    u.tokenEndpoint = "https://github.com/login/oauth/access_token";
    u.issuer.clear();  // GitHub is OAuth only: no issuer, no ID token
    u.scopes = {"read:user", "user:email"};
    u.nonce = false;
    u.identity.method = "userinfo";
    u.identity.userInfoUrl = "https://api.github.com/user";
    u.identity.userEmailsUrl = "https://api.github.com/user/emails";
    // `id` is GitHub's stable numeric user id (a login can be renamed and reused); `name` may be
    // null, in which case the upstream client falls back to `login`.
    u.identity.claims.userId = "id";
    u.identity.claims.email = "email";
    u.identity.claims.name = "name";
    finishProxy(auth, out, baseDir, std::move(s), false, false);
}

void readOktaProvider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir) {
    ProxySettings s = preset("okta");
    const std::size_t before = errorCount(auth);
    const std::string domain = readDomain(auth, "domain", "dev-123456.okta.com");
    std::string server = "default";
    if (auto id = auth.string("authorizationServerId")) {
        const bool ok = std::all_of(id->value.begin(), id->value.end(),
                                    [](unsigned char c) { return std::isalnum(c) != 0; });
        if (ok) {
            server = id->value;
        } else {
            auth.diagnostics().error(auth.pathOf("authorizationServerId"),
                                     "expected letters and digits (\"default\", an id such as "
                                     "\"aus1a2b3c\", or \"\" for "
                                     "the org authorization server), got " +
                                         id->shown());
        }
    }
    const bool incomplete = errorCount(auth) != before;
    if (!domain.empty() && !incomplete) {
        // "" = the org authorization server: issuer is the org URL itself.
        const std::string issuer =
            "https://" + domain + (server.empty() ? "" : "/oauth2/" + server);
        const std::string base =
            "https://" + domain + "/oauth2" + (server.empty() ? "" : "/" + server);
        s.upstream.authEndpoint = base + "/v1/authorize";
        s.upstream.tokenEndpoint = base + "/v1/token";
        s.upstream.issuer = issuer;
        s.upstream.identity.jwksUrl = base + "/v1/keys";
    }
    finishProxy(auth, out, baseDir, std::move(s), false, incomplete);
}

void readEntraProvider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir) {
    ProxySettings s = preset("entra");
    const std::size_t before = errorCount(auth);
    std::string tenant;
    if (auto t = auth.string("tenant")) {
        std::string lowered = t->value;
        std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (lowered == "common" || lowered == "organizations" || lowered == "consumers") {
            auth.diagnostics().error(
                auth.pathOf("tenant"),
                t->shown() +
                    " is refused: its ID tokens carry each user's own tenant in the issuer, "
                    "so no single issuer can be checked; use your Directory (tenant) ID");
        } else if (isGuid(lowered)) {
            tenant = lowered;
        } else if (isValidHost(t->value) && auth.has("issuer")) {
            tenant = t->value;  // a domain works for the endpoints; the issuer is given explicitly
        } else {
            auth.diagnostics().error(auth.pathOf("tenant"),
                                     "expected the Directory (tenant) ID, a GUID: tokens name the "
                                     "tenant by its id, so a "
                                     "domain would never match their issuer (or set issuer), got " +
                                         t->shown());
        }
    } else if (!auth.has("tenant") && !derivedUrlsAllOverridden(auth)) {
        auth.diagnostics().error(auth.pathOf("tenant"),
                                 "is required (or set authEndpoint, tokenEndpoint and issuer)");
    }
    if (!tenant.empty()) {
        const std::string base = "https://login.microsoftonline.com/" + tenant;
        s.upstream.authEndpoint = base + "/oauth2/v2.0/authorize";
        s.upstream.tokenEndpoint = base + "/oauth2/v2.0/token";
        s.upstream.issuer = base + "/v2.0";
        s.upstream.identity.jwksUrl = base + "/discovery/v2.0/keys";
    }
    finishProxy(auth, out, baseDir, std::move(s), false, errorCount(auth) != before);
}

void readLocalProvider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir) {
    ProxySettings s;
    s.preset = "local";
    if (auto users = readExistingPath(auth, "users", baseDir, false)) {
        s.usersFile = *users;
        checkUsersFile(auth, *users);
    }
    // No `users`: the host keeps var/users.json, created with an "admin" user on first start.
    readProxyServerKeys(auth, s, baseDir);
    out.settings = std::move(s);
}

}  // namespace mcph::config
