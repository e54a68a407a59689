#include "config/AuthProviders.h"

namespace mcph::config {

namespace {

void readNone(ObjectReader& /*auth*/, AuthConfig& out) { out.settings = NoAuthSettings{}; }

}  // namespace

const std::vector<AuthProvider>& authProviders() {
    static const std::vector<AuthProvider> providers = {
        {"none", &readNone},
    };
    return providers;
}

const AuthProvider* findAuthProvider(const std::string& name) {
    for (const AuthProvider& provider : authProviders()) {
        if (name == provider.name) {
            return &provider;
        }
    }
    return nullptr;
}

}  // namespace mcph::config
