#pragma once
// One plugin the host has loaded and initialized: its library, descriptor, state and tools.
#include <mcphost/plugin.h>

#include <boost/dll/shared_library.hpp>
#include <mutex>
#include <string>
#include <vector>

#include "plugins/HostApi.h"
#include "plugins/ToolSpec.h"

namespace mcph::plugins {

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

    LoadedPlugin() = default;
    LoadedPlugin(const LoadedPlugin&) = delete;
    LoadedPlugin& operator=(const LoadedPlugin&) = delete;
    ~LoadedPlugin();  // calls shutdown, then unloads
};

}  // namespace mcph::plugins
