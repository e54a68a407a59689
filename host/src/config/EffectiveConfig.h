#pragma once
// The configuration the host runs with, as JSON in the config file's own key names, every
// default filled in: what `mcp-host --print-config` prints, and what a reload (SIGHUP) compares
// to say which keys changed. Provider presets show the values they derive, under the keys of
// the generic `proxy` provider that would override them.
#include <Poco/JSON/Object.h>

#include <map>
#include <string>

#include "config/HostConfig.h"

namespace mcph::config {

/// Printed instead of a secret (client secrets, mcp.requestStateSecret, secret-looking plugin
/// settings) when the config sets one.
inline constexpr const char* kRedacted = "<redacted>";

/// The effective configuration. With `redactSecrets`, every secret that is set reads
/// kRedacted (an unset one reads ""), so the output can be shared.
Poco::JSON::Object::Ptr effectiveConfigJson(const HostConfig& config, bool redactSecrets);

/// effectiveConfigJson(config, true) as indented JSON text, ending with a newline.
std::string printEffectiveConfig(const HostConfig& config);

/// Every leaf of effectiveConfigJson(config, false) by its key path ("server.port",
/// "auth.access.staff.scopes"), as compact JSON text: for telling which keys differ between
/// two configurations. Values may hold secrets: compare them, never log them.
std::map<std::string, std::string> flattenedConfig(const HostConfig& config);

}  // namespace mcph::config
