#pragma once
// One plugin the host has loaded and initialized: its library, descriptor, state and tools.
#include <mcphost/plugin.h>

#include <boost/dll/shared_library.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "pluginhost/HostApi.h"
#include "pluginhost/OfferingSpecs.h"
#include "pluginhost/PluginImage.h"
#include "pluginhost/ToolSpec.h"
#include "pluginhost/isolation/RunPolicy.h"

namespace mcph::pluginhost {

namespace isolation {
class PluginWorker;
}

// enable_shared_from_this: a call that outlives its timeout keeps the plugin loaded (ToolInvoker).
struct LoadedPlugin : std::enable_shared_from_this<LoadedPlugin> {
    std::string file;  // the .so it came from (what logs and --list-plugins name)
    PluginImage image;  // the private copy loaded from `file`; before `library`: outlives it
    std::string name;
    std::string version;
    std::string description;
    boost::dll::shared_library library;
    const mcph_plugin* descriptor = nullptr;
    void* state = nullptr;
    HostApiBlock hostApi{};
    bool serialized = false;
    std::mutex invokeMutex;  // held around invoke when serialized
    std::vector<ToolSpec> tools;
    // ABI 1.1 offerings; empty for 1.0 plugins.
    std::vector<ResourceSpec> resources;
    std::vector<ResourceTemplateSpec> resourceTemplates;
    std::vector<PromptSpec> prompts;
    mcph_invoke_fn complete = nullptr;
    // plugins.isolation "process": the worker runs the plugin; `library` stays unloaded and
    // `descriptor` null here, and every call goes through the worker (invokePlugin).
    Isolation isolation = Isolation::InProcess;
    std::shared_ptr<isolation::PluginWorker> worker;
    double callTimeoutSeconds = 0;  // 0: calls are not timed (the worker's own copy, unit tests)

    LoadedPlugin() = default;
    LoadedPlugin(const LoadedPlugin&) = delete;
    LoadedPlugin& operator=(const LoadedPlugin&) = delete;
    ~LoadedPlugin();  // calls shutdown, then unloads
};

}  // namespace mcph::pluginhost
