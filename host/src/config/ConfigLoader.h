#pragma once

#include <string>

#include "config/HostConfig.h"
#include "config/UrlChecks.h"  // isLoopbackHost, canonicalMcpUrl, derivedBaseUrl

namespace mcph::config {

/// Reads and validates a config file. Relative paths in it are resolved against the file's
/// directory. Never throws: every problem is a line in the result's errors, formatted
/// `<path>: <key.path>: <problem>`, and all of them are collected in one run.
LoadResult loadConfigFile(const std::string& path);

/// Same for config text: `sourceName` prefixes the messages; relative paths are resolved
/// against `baseDir` (the current directory when empty).
LoadResult loadConfigText(const std::string& jsonText, const std::string& sourceName,
                          const std::string& baseDir);

/// The configuration used when no file is given: every default (loopback, port 8080, auth
/// "local" with a first-run admin user) and the given plugins directory.
HostConfig embeddedDefaults(const std::string& pluginsDir);

}  // namespace mcph::config
