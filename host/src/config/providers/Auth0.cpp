// "auth0": a tenant's domain gives every URL.
#include "config/providers/UpstreamPresets.h"

namespace mcph::config {

void readAuth0Provider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir) {
    auto o = upstreamPreset("auth0");
    auto& u = *o.upstream;
    const std::size_t before = errorCount(auth);
    const std::string domain = readDomain(auth, "domain", "tenant.us.auth0.com");
    const bool incomplete = errorCount(auth) != before;
    if (!domain.empty()) {
        const std::string base = "https://" + domain;
        u.authEndpoint = base + "/authorize";
        u.tokenEndpoint = base + "/oauth/token";
        u.issuer = base + "/";  // Auth0's issuer ends with a slash
        u.jwksUrl = base + "/.well-known/jwks.json";
    }
    // The API the upstream access token is for; Auth0 issues an opaque token without it.
    if (auto audience = auth.string("audience")) {
        if (audience->value.empty()) {
            auth.diagnostics().error(auth.pathOf("audience"),
                                     "must not be empty (leave it out for none)");
        } else {
            u.extraAuthorizeParams.emplace_back("audience", audience->value);
        }
    }
    finishUpstreamProvider(auth, out, baseDir, std::move(o), false, incomplete);
}

}  // namespace mcph::config
