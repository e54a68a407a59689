#pragma once
// What travels between the host and a plugin worker, both directions, in one place. Every frame
// is a JSON object with "op". Host -> worker: load, call, cancel, input. Worker -> host: hello,
// failed, result, progress, log, input, hostlog, resource_updated. The host checks every field
// of what the worker sends (the worker runs untrusted code); see PluginWorker.cpp.
#include <Poco/JSON/Object.h>

#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "mcphost/auth/AuthContext.h"
#include "pluginhost/LoadedPlugin.h"
#include "pluginhost/ToolResult.h"
#include "pluginhost/ToolSpec.h"

namespace mcph::pluginhost::isolation {

// Bounds on a frame: the result limit plus room for the JSON around it.
constexpr std::size_t kMaxHostFrameBytes = 64u << 20;    // what the worker accepts
constexpr std::size_t kMaxWorkerFrameBytes = 40u << 20;  // what the host accepts

const char* resultKindName(ResultKind kind);
std::optional<ResultKind> resultKindFromName(const std::string& name);

Poco::JSON::Object::Ptr authToJson(const auth::AuthContext& auth);
auth::AuthContext authFromJson(const Poco::JSON::Object::Ptr& json);

// A tool as the worker describes it in hello: its tools/list entry plus required scopes.
Poco::JSON::Object::Ptr toolToJson(const ToolSpec& tool);
// Rebuilds the C descriptor from the worker's JSON and runs it through the loader's own
// validation (readTool), so an isolated tool is held to the same rules as an in-process one.
std::variant<ToolSpec, std::string> toolFromJson(const Poco::JSON::Object::Ptr& json);

// A plugin's resources, resource templates, prompts and whether it completes, as the worker
// reports them in hello, and back: refused items are appended to `problems` and skipped.
void offeringsToJson(const LoadedPlugin& plugin, Poco::JSON::Object& hello);
void offeringsFromJson(const Poco::JSON::Object::Ptr& hello, LoadedPlugin& plugin,
                       std::vector<std::string>& problems);

// The result frame's payload for what the plugin built.
void resultToJson(const mcph_result& result, Poco::JSON::Object& frame);
// Copies a worker's result into `result`; a string is why the frame was refused.
std::optional<std::string> resultFromJson(const Poco::JSON::Object::Ptr& frame,
                                          mcph_result& result);

// A string member, or nullopt when absent or not a string (helpers for checking frames).
std::optional<std::string> stringField(const Poco::JSON::Object::Ptr& frame,
                                       const std::string& key);
std::optional<double> numberField(const Poco::JSON::Object::Ptr& frame, const std::string& key);

}  // namespace mcph::pluginhost::isolation
