// "entra": Microsoft Entra ID (v2 endpoints) of one tenant, named by its Directory (tenant) ID.
#include <algorithm>
#include <cctype>

#include "config/UrlChecks.h"
#include "config/providers/UpstreamPresets.h"

namespace mcph::config {
namespace {

bool isGuid(const std::string& s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
    }
    return true;
}

}  // namespace

void readEntraProvider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir) {
    auto o = upstreamPreset("entra");
    auto& u = *o.upstream;
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
        u.authEndpoint = base + "/oauth2/v2.0/authorize";
        u.tokenEndpoint = base + "/oauth2/v2.0/token";
        u.issuer = base + "/v2.0";
        u.jwksUrl = base + "/discovery/v2.0/keys";
    }
    // Entra does not verify the `email` claim (a user can set any address in some tenants); only
    // the optional claim xms_edov ("email domain owner verified", enabled in the app
    // registration's token configuration) vouches for it. Without it, no email.
    u.claims.emailVerified = "xms_edov";
    finishUpstreamProvider(auth, out, baseDir, std::move(o), false, errorCount(auth) != before);
}

}  // namespace mcph::config
