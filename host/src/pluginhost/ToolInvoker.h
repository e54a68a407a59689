#pragma once
// Calls one tool through the C ABI and turns what it built into an MCP CallToolResult. A tool
// that fails, throws or returns garbage gives an isError result, never a crash or an RPC error.
#include <Poco/JSON/Object.h>

#include <cstddef>
#include <string>
#include <vector>

#include "mcphost/auth/AuthContext.h"
#include "pluginhost/ToolResult.h"
#include "pluginhost/ToolSpec.h"

namespace mcph::pluginhost {

class CallServices;
struct LoadedPlugin;

// One call (tool, resource read, prompt get, completion) of a plugin, wherever it runs: in its
// worker process (plugins.isolation "process"), or here, under the call timeout when one is set
// (isolation/InProcessDeadline.h). `timeoutSeconds` > 0 replaces the plugin's timeout (a tool
// descriptor's own). `result` must be prepared by the caller (kind, limit, services).
mcph_status invokePlugin(LoadedPlugin& plugin, mcph_invoke_fn fn, const std::string& name, void* data,
                         const std::string& argumentsJson, const auth::AuthContext& auth, mcph_result& result,
                         double timeoutSeconds = 0);

// One call through the C ABI on the calling thread: builds the C view of the caller, honours
// MCPH_PLUGIN_SERIALIZED, and never lets an exception through.
mcph_status invokeInThisThread(LoadedPlugin& plugin, mcph_invoke_fn fn, const std::string& name, void* data,
                               const std::string& argumentsJson, const auth::AuthContext& auth, mcph_result& result);

const char* statusName(mcph_status status);

class ToolInvoker {
public:
    explicit ToolInvoker(std::size_t maxResultBytes = 16u << 20) : maxResultBytes_(maxResultBytes) {}

    // `services` carries progress, log messages, cancellation and input requests to the
    // client; null when there is none. A tool asking for input that must travel as an
    // "input required" result throws InputRequired (see CallServices).
    Poco::JSON::Object::Ptr call(const ToolSpec& tool, const Poco::JSON::Object::Ptr& arguments,
                                 const auth::AuthContext& auth, CallServices* services = nullptr) const;
    std::size_t maxResultBytes() const { return maxResultBytes_; }

private:
    std::size_t maxResultBytes_;
};

// Thrown by ToolInvoker::call when the plugin returned MCPH_ERR_INPUT_REQUIRED: the transport
// answers with the input request it recorded instead of a CallToolResult.
struct InputRequired {};

// Thrown by ToolInvoker::call when the tool gave up (MCPH_ERR_UNSUPPORTED) after asking for
// input the client has no capability for, on a revision where that is a protocol error.
struct CapabilityMissing {
    std::vector<std::string> capabilities;
};

// An isError CallToolResult carrying one text block.
Poco::JSON::Object::Ptr toolErrorResult(const std::string& message);

}  // namespace mcph::pluginhost
