// "okta": an org domain and an authorization server id ("default" unless set; "" for the org
// authorization server) give every URL.
#include <algorithm>
#include <cctype>

#include "config/providers/UpstreamPresets.h"

namespace mcph::config {

void readOktaProvider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir) {
    auto o = upstreamPreset("okta");
    auto& u = *o.upstream;
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
        u.authEndpoint = base + "/v1/authorize";
        u.tokenEndpoint = base + "/v1/token";
        u.issuer = issuer;
        u.jwksUrl = base + "/v1/keys";
    }
    finishUpstreamProvider(auth, out, baseDir, std::move(o), false, incomplete);
}

}  // namespace mcph::config
