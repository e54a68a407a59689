// "proxy": any OAuth 2.0 / OIDC upstream, every URL named in the config.
#include "config/providers/UpstreamPresets.h"

namespace mcph::config {

void readProxyProvider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir) {
    auto o = upstreamPreset("proxy");
    o.upstream->forwardResource = true;  // a generic upstream may well want the MCP URL
    finishUpstreamProvider(auth, out, baseDir, std::move(o), true, false);
}

}  // namespace mcph::config
