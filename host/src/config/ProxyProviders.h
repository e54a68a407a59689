#pragma once

#include <string>

#include "config/HostConfig.h"
#include "config/ObjectReader.h"

namespace mcph::config {

/// The proxy-mode providers of the registry in AuthProviders.cpp; each fills a ProxySettings.
/// "proxy" names every upstream URL itself; the presets derive them from their own keys
/// (domain, tenant…) and accept the same keys as "proxy" to override any of them.
void readProxyProvider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir);
void readAuth0Provider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir);
void readGoogleProvider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir);
void readGithubProvider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir);
void readOktaProvider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir);
void readEntraProvider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir);
/// "local": no upstream; users from a file the host reads.
void readLocalProvider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir);

}  // namespace mcph::config
