#pragma once
// auth.provider -> the Authenticator guarding the MCP endpoint.
#include <memory>

#include "config/HostConfig.h"
#include "mcphost/auth/Authenticator.h"

namespace mcph::app {

std::unique_ptr<auth::Authenticator> makeAuthenticator(const config::AuthConfig& auth);

}  // namespace mcph::app
