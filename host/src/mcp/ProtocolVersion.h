#pragma once
// The MCP protocol revisions this host speaks and how a version is agreed.
#include <string>
#include <vector>

namespace mcph::mcp {

// The stateless revision: no initialize, no sessions; every request carries its version.
constexpr const char* kStatelessProtocolVersion = "2026-07-28";
// Every revision the endpoint serves, newest first (server/discover's supportedVersions).
const std::vector<std::string>& allProtocolVersions();
// True for a version either family serves (the MCP-Protocol-Version header check).
bool isKnownProtocolVersion(const std::string& version);

// Newest first.
const std::vector<std::string>& supportedProtocolVersions();
const std::string& latestProtocolVersion();
bool isSupportedProtocolVersion(const std::string& version);

// initialize: echo the client's version when we speak it, else offer our latest and let the
// client decide whether it can go on.
std::string negotiateProtocolVersion(const std::string& requested);

// A request without MCP-Protocol-Version is taken as 2025-03-26 (transports.mdx).
constexpr const char* kDefaultHeaderVersion = "2025-03-26";

}  // namespace mcph::mcp
