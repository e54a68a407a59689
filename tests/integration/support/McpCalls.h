#pragma once
// What an MCP client does with an access token, in one call: initialize, the initialized
// notification, then tools/call. For the auth tests, which care about who the tool sees.
#include <map>
#include <string>

#include "support/HttpClient.h"

namespace mcph::testing {

// tools/call `tool` (no arguments) on a new session opened with `Authorization: Bearer <bearer>`
// and the `extra` headers; returns the tools/call reply, or the initialize reply when that failed.
HttpReply callToolWithBearer(unsigned short port, const std::string& bearer, const std::string& tool,
                             const std::map<std::string, std::string>& extra = {});

}  // namespace mcph::testing
