#include "pluginhost/isolation/IsolatedPluginLoader.h"

#include "pluginhost/PluginLoader.h"
#include "pluginhost/isolation/PluginWorker.h"
#include "pluginhost/isolation/WorkerProtocol.h"
#include "pluginhost/isolation/WorkerSpawn.h"

namespace mcph::pluginhost {

std::unique_ptr<LoadedPlugin> loadIsolatedPlugin(
    const std::string& file, const std::map<std::string, std::string>& settingsJson,
    const std::set<std::string>& takenNames, std::vector<LoadProblem>& problems,
    ResourceUpdateRelay* resourceUpdates, const RunPolicy& policy) {
    isolation::WorkerStart start;
    start.file = file;
    start.settingsJson = settingsJson;
    start.takenNames = takenNames;
    start.settings = policy.forFile(file);
    start.workerPath = isolation::workerExecutable(policy.workerPath);
    start.resourceUpdates = resourceUpdates;

    isolation::WorkerHello hello;
    auto plugin = std::make_unique<LoadedPlugin>();
    try {
        plugin->worker = std::make_shared<isolation::PluginWorker>(start, hello);
    } catch (const std::exception& e) {
        problems.push_back({file, std::string("isolated: ") + e.what()});
        return nullptr;
    }
    plugin->file = file;
    plugin->name = hello.name;
    plugin->version = hello.version;
    plugin->description = hello.description;
    plugin->serialized = hello.serialized;  // honoured in the worker
    plugin->isolation = Isolation::Process;
    plugin->callTimeoutSeconds = start.settings.callTimeoutSeconds;
    std::vector<std::string> refused = hello.problems;
    isolation::offeringsFromJson(hello.frame, *plugin, refused);
    for (auto& why : refused) problems.push_back({file, why});
    for (auto& tool : hello.tools) {
        tool.plugin = plugin.get();
        plugin->tools.push_back(std::move(tool));
    }
    return plugin;
}

}  // namespace mcph::pluginhost
