#pragma once

#include <string>

#include "config/reader/ObjectReader.h"
#include "mcphost/auth/server/AuthorizationServerOptions.h"

namespace mcph::config {

/// The keys of the host's own authorization server, shared by every proxy-mode provider and
/// `local`: mcpScopes, store, token and code lifetimes, client limits, CIMD.
void readAuthServerKeys(ObjectReader& auth, auth::server::AuthorizationServerOptions& o,
                        const std::string& baseDir);

}  // namespace mcph::config
