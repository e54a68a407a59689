#pragma once
// The host's own copy of a validated tool descriptor. Built once at load; never mutated.
#include <mcphost/plugin.h>
#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace mcph::pluginhost {

struct LoadedPlugin;

struct ToolSpec {
    std::string name;
    std::string title;
    std::string description;
    Poco::JSON::Object::Ptr inputSchema;   // passed to clients unmodified
    Poco::JSON::Object::Ptr outputSchema;  // null: none declared
    Poco::JSON::Object::Ptr annotations;   // null: none declared
    std::vector<std::string> requiredScopes;
    mcph_invoke_fn invoke = nullptr;
    void* toolData = nullptr;
    LoadedPlugin* plugin = nullptr;  // owner; outlives the spec
    double callTimeoutSeconds = 0;   // 1.2 descriptor's own timeout; 0: the host's setting

    // The tools/list entry for this tool.
    Poco::JSON::Object::Ptr toListEntry() const;
};

}  // namespace mcph::pluginhost
