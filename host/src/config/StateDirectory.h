#pragma once
// Where the host keeps what it writes (the auth store and the first-run users file beside it),
// so that a service does not depend on its working directory: systemd's $STATE_DIRECTORY
// (StateDirectory=, the one writable place under ProtectSystem=strict) first, then
// `server.stateDir`, else `var/` under the working directory, as run from a checkout.
#include <string>

#include "config/HostConfig.h"
#include "config/reader/EnvExpander.h"

namespace mcph::config {

/// The state directory, absolute: the first entry of $STATE_DIRECTORY (systemd lists one per
/// StateDirectory= entry, colon-separated), else `configured` (server.stateDir, already
/// absolute), else <working directory>/var.
std::string stateDirectory(const std::string& configured, const EnvLookup& env);

/// Settles the paths that follow the state directory: server.stateDir becomes the effective
/// directory and, for the host's own authorization server, an unset auth.store.sqlite becomes
/// <state directory>/mcp-host-auth.db (the users file of `local` is made beside it).
void applyStateDirectory(HostConfig& config, const EnvLookup& env);

}  // namespace mcph::config
