#pragma once

#include <string>
#include <vector>

#include "config/HostConfig.h"
#include "config/ObjectReader.h"

namespace mcph::config {

/// One auth provider the config knows. `read` asks the `auth` section for the provider's own
/// keys (declaring them known, so anything else in the section is refused as unknown),
/// validates them and stores them in `out.settings`. `baseDir` is what relative paths are
/// resolved against (the config file's directory).
///
/// Adding a provider = one settings struct added to AuthProviderSettings in HostConfig.h, and
/// one read function plus one registry line in AuthProviders.cpp (proxy-family readers live
/// in ProxyProviders.cpp). Typed structs rather than a
/// raw JSON object: the auth module then reads checked fields, and each provider's keys are
/// known in exactly one place.
struct AuthProvider {
    const char* name;
    void (*read)(ObjectReader& auth, AuthConfig& out, const std::string& baseDir);
};

const std::vector<AuthProvider>& authProviders();

/// nullptr when `name` is not a known provider.
const AuthProvider* findAuthProvider(const std::string& name);

}  // namespace mcph::config
