#pragma once
// One plugin the host has loaded and initialized: its library, descriptor, state and tools.
#include <mcphost/plugin.h>

#include <boost/dll/shared_library.hpp>
#include <mutex>
#include <string>
#include <vector>

#include "pluginhost/HostApi.h"
#include "pluginhost/OfferingSpecs.h"
#include "pluginhost/ToolSpec.h"

namespace mcph::pluginhost {

struct LoadedPlugin {
    std::string file;  // the .so it came from
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

    LoadedPlugin() = default;
    LoadedPlugin(const LoadedPlugin&) = delete;
    LoadedPlugin& operator=(const LoadedPlugin&) = delete;
    ~LoadedPlugin();  // calls shutdown, then unloads
};

}  // namespace mcph::pluginhost
