#pragma once
// Loads a plugin into its own worker process (plugins.isolation "process"): the host-side
// LoadedPlugin holds the worker and the tools the worker reported, and never maps the .so.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "pluginhost/LoadedPlugin.h"
#include "pluginhost/ResourceUpdateRelay.h"
#include "pluginhost/isolation/RunPolicy.h"

namespace mcph::pluginhost {

struct LoadProblem;

std::unique_ptr<LoadedPlugin> loadIsolatedPlugin(
    const std::string& file, const std::map<std::string, std::string>& settingsJson,
    const std::set<std::string>& takenNames, std::vector<LoadProblem>& problems,
    ResourceUpdateRelay* resourceUpdates, const RunPolicy& policy);

}  // namespace mcph::pluginhost
