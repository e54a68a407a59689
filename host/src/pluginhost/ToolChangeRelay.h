#pragma once
// Carries a plugin's add_tool / remove_tool (ABI 1.2) from any thread to the one sink that can
// apply them, the offering registry. Shared by the host API blocks of one load, like
// ResourceUpdateRelay; until a sink is connected, changes are refused (MCPH_ERR_UNSUPPORTED).
#include <mcphost/plugin.h>

#include <mutex>
#include <string>

namespace mcph::pluginhost {

// `caller` is the host API table the plugin passed as `self`: it names the plugin instance
// (each loaded plugin has its own table), so a newer copy of a plugin that is still initializing
// can never change the tools of the old copy it is about to replace.
class ToolChangeSink {
  public:
    virtual ~ToolChangeSink() = default;
    virtual mcph_status addTool(const mcph_host_api* caller, const mcph_tool* tool) = 0;
    virtual mcph_status removeTool(const mcph_host_api* caller, const std::string& name) = 0;
};

class ToolChangeRelay {
  public:
    void connect(ToolChangeSink* sink);
    // Returns once no change is being applied through `sink`.
    void disconnect(ToolChangeSink* sink);
    mcph_status addTool(const mcph_host_api* caller, const mcph_tool* tool);
    mcph_status removeTool(const mcph_host_api* caller, const std::string& name);

  private:
    // Recursive: a plugin unloaded by a change may call back in from its shutdown.
    std::recursive_mutex mutex_;
    ToolChangeSink* sink_ = nullptr;
};

}  // namespace mcph::pluginhost
