#pragma once

#include <string>

#include "config/HostConfig.h"
#include "config/reader/ObjectReader.h"

namespace mcph::config {

/// One reader per top-level section: each asks its ObjectReader for the section's keys,
/// validates them into `out` and reports problems to the reader's Diagnostics. `baseDir` is
/// what relative paths are resolved against (the config file's directory).
void readServerSection(ObjectReader& server, ServerConfig& out, const std::string& baseDir);
void readMcpSection(ObjectReader& mcp, McpConfig& out);
void readPluginsSection(ObjectReader& plugins, PluginsConfig& out, const std::string& baseDir);
void readAuthSection(ObjectReader& auth, AuthConfig& out, const std::string& baseDir);
void readLoggingSection(ObjectReader& logging, LoggingConfig& out);
void readAdminSection(ObjectReader& admin, AdminConfig& out);
void readRedisSection(ObjectReader& redis, RedisConfig& out);

}  // namespace mcph::config
