#pragma once
// MCP log levels (RFC 5424 severities as the protocol names them).
#include <string>

namespace mcph::mcp {

// The severity index of an MCP log level (debug = 0 ... emergency = 7), or -1.
int logSeverity(const std::string& level);

}  // namespace mcph::mcp
