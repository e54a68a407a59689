#pragma once

#include <string>

#include "config/HostConfig.h"
#include "config/ObjectReader.h"

namespace mcph::config {

/// The keys of the host's own authorization server, shared by every proxy-mode provider
/// ("proxy", its presets and "local"): granted scopes, the store, lifetimes, registration
/// limits, CIMD and allowInsecureHttp. Read before the upstream keys, which need
/// `s.allowInsecureHttp`. `baseDir` resolves the store path.
void readProxyServerKeys(ObjectReader& auth, ProxySettings& s, const std::string& baseDir);

}  // namespace mcph::config
