#include "app/AuthenticatorFactory.h"

#include <stdexcept>

namespace mcph::app {

std::unique_ptr<auth::Authenticator> makeAuthenticator(const config::AuthConfig& auth) {
    if (auth.provider == "none") return std::make_unique<auth::AnonymousAuthenticator>();
    // The config loader refuses unknown providers, so reaching here is a bug: fail closed.
    throw std::logic_error("no authenticator for auth.provider \"" + auth.provider + "\"");
}

}  // namespace mcph::app
