// "keycloak": a Keycloak server URL and realm.
#include "config/providers/NativeKeys.h"

namespace mcph::config {

void readKeycloakProvider(ObjectReader& auth, AuthConfig& out, const std::string& /*baseDir*/) {
    auth::ResourceServerOptions o;
    o.providerName = "keycloak";
    std::string url = readPresetKey(auth, "url");
    const std::string realm = readPresetKey(auth, "realm");
    while (!url.empty() && url.back() == '/') url.pop_back();
    readNativeProvider(auth, out, std::move(o),
                       url.empty() || realm.empty() ? "" : url + "/realms/" + realm);
}

}  // namespace mcph::config
