#pragma once
// Calls one tool through the C ABI and turns what it built into an MCP CallToolResult. A tool
// that fails, throws or returns garbage gives an isError result, never a crash or an RPC error.
#include <Poco/JSON/Object.h>

#include <cstddef>

#include "mcphost/auth/AuthContext.h"
#include "plugins/ToolSpec.h"

namespace mcph::plugins {

class ToolInvoker {
public:
    explicit ToolInvoker(std::size_t maxResultBytes = 16u << 20) : maxResultBytes_(maxResultBytes) {}

    Poco::JSON::Object::Ptr call(const ToolSpec& tool, const Poco::JSON::Object::Ptr& arguments,
                                 const auth::AuthContext& auth) const;

private:
    std::size_t maxResultBytes_;
};

// An isError CallToolResult carrying one text block.
Poco::JSON::Object::Ptr toolErrorResult(const std::string& message);

}  // namespace mcph::plugins
