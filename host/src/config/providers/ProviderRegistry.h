#pragma once

#include <string>
#include <vector>

#include "config/HostConfig.h"
#include "config/reader/ObjectReader.h"

namespace mcph::config {

/// One auth provider the config knows. `read` asks the `auth` section for the provider's own
/// keys (declaring them known, so anything else in the section is refused as unknown),
/// validates them and stores auth's own options in `out.settings`: ResourceServerOptions
/// (native mode), AuthorizationServerOptions (proxy mode, local) or NoAuthSettings. `baseDir`
/// is what relative paths are resolved against (the config file's directory).
///
/// Adding a provider = one file in this folder with its read function, plus its line in the
/// table in ProviderRegistry.cpp. Nothing outside this folder knows provider names.
struct AuthProvider {
    const char* name;
    void (*read)(ObjectReader& auth, AuthConfig& out, const std::string& baseDir);
};

const std::vector<AuthProvider>& authProviders();

/// nullptr when `name` is not a known provider.
const AuthProvider* findAuthProvider(const std::string& name);

}  // namespace mcph::config
