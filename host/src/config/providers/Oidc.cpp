// "oidc": any OAuth 2.0 / OIDC authorization server, named by its issuer.
#include "config/providers/NativeKeys.h"

namespace mcph::config {

void readOidcProvider(ObjectReader& auth, AuthConfig& out, const std::string& /*baseDir*/) {
    readNativeProvider(auth, out, auth::ResourceServerOptions{}, std::nullopt);
}

}  // namespace mcph::config
