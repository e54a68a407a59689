#pragma once
// Loads every plugin in a directory at start. A file that is not a usable plugin is reported
// with its reason and skipped; the rest keep loading.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "pluginhost/LoadedPlugin.h"
#include "pluginhost/ResourceUpdateRelay.h"
#include "pluginhost/ToolChangeRelay.h"
#include "pluginhost/isolation/RunPolicy.h"

namespace mcph::pluginhost {

struct LoadProblem {
    std::string file;
    std::string reason;
};

struct LoadReport {
    std::vector<std::unique_ptr<LoadedPlugin>> plugins;  // in file-name order
    std::vector<LoadProblem> problems;
    // Where the plugins' resource_updated calls go; the registry keeps it as long as they live.
    std::shared_ptr<ResourceUpdateRelay> resourceUpdates = std::make_shared<ResourceUpdateRelay>();
    // Where their add_tool / remove_tool calls go (ABI 1.2); the registry connects itself.
    std::shared_ptr<ToolChangeRelay> toolChanges = std::make_shared<ToolChangeRelay>();
};

// settingsJson: plugin name -> its settings object as JSON text (plugins.settings).
// policy: how each file runs (plugins.isolation, callTimeoutSeconds, limits, overrides).
LoadReport loadPluginDirectory(const std::string& dir, const std::map<std::string, std::string>& settingsJson,
                               const RunPolicy& policy = RunPolicy());

// Loads and initializes one file; on failure returns null and appends the reason to problems.
// Problems with single tools are appended too, and only those tools are skipped. The one place
// that chooses how a file runs: `policy` says in-process or in a worker process (isolation/).
std::unique_ptr<LoadedPlugin> loadPlugin(const std::string& file, const std::map<std::string, std::string>& settingsJson,
                                         const std::set<std::string>& takenNames, std::vector<LoadProblem>& problems,
                                         ResourceUpdateRelay* resourceUpdates, ToolChangeRelay* toolChanges = nullptr,
                                         const RunPolicy& policy = RunPolicy());

}  // namespace mcph::pluginhost
