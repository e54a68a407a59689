// "workos": WorkOS AuthKit, named by its subdomain.
#include "config/providers/NativeKeys.h"

namespace mcph::config {

void readWorkosProvider(ObjectReader& auth, AuthConfig& out, const std::string& /*baseDir*/) {
    auth::ResourceServerOptions o;
    o.providerName = "workos";
    const std::string sub = readPresetKey(auth, "subdomain");
    readNativeProvider(auth, out, std::move(o),
                       sub.empty() ? "" : "https://" + sub + ".authkit.app");
}

}  // namespace mcph::config
