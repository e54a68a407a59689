#include "config/providers/UpstreamPresets.h"

#include <algorithm>
#include <cctype>

#include "config/UrlChecks.h"
#include "config/providers/AccessPolicyKeys.h"
#include "config/providers/AuthServerKeys.h"
#include "config/providers/UpstreamKeys.h"
#include "config/providers/ValueReaders.h"

namespace mcph::config {

auth::server::AuthorizationServerOptions upstreamPreset(const char* name) {
    auth::server::AuthorizationServerOptions o;
    o.providerName = name;
    o.upstream.emplace();
    o.upstream->scopes = {"openid", "email", "profile"};
    o.upstream->forwardResource = false;
    return o;
}

bool derivedUrlsAllOverridden(const ObjectReader& auth) {
    return auth.has("authEndpoint") && auth.has("tokenEndpoint") && auth.has("issuer");
}

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

std::size_t errorCount(ObjectReader& auth) { return auth.diagnostics().errors().size(); }

void finishUpstreamProvider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir,
                            auth::server::AuthorizationServerOptions options, bool generic,
                            bool presetIncomplete) {
    UpstreamKeyRules rules;
    rules.allowHttp = readAllowInsecureHttp(auth);
    rules.generic = generic;
    rules.presetIncomplete = presetIncomplete;
    readAuthServerKeys(auth, options, baseDir);
    readUpstreamKeys(auth, *options.upstream, rules);
    readAccessPolicy(auth, options);
    out.settings = std::move(options);
}

}  // namespace mcph::config
