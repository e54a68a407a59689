#include "app/LivePluginDirectory.h"

#include <Poco/Logger.h>

#include <system_error>

namespace mcph::app {

LivePluginDirectory::LivePluginDirectory(
    pluginhost::OfferingRegistry& registry, const config::PluginsConfig& plugins,
    const std::vector<pluginhost::LoadProblem>& startupProblems)
    : sync_(registry, plugins.dir, plugins.settingsJson, plugins.run, startupProblems) {
    if (plugins.watch) {
        try {
            watcher_ = std::make_unique<pluginhost::PluginDirectoryWatcher>(
                plugins.dir, [this] { sync_.rescan("watch"); });
        } catch (const std::system_error& e) {
            Poco::Logger::get("mcp-host.plugins")
                .warning(
                    "plugins.watch: %s; plugin changes are picked up on SIGHUP or POST "
                    "/plugins/rescan only",
                    std::string(e.what()));
        }
    }
    sync_.rescan("start");
}

LivePluginDirectory::~LivePluginDirectory() { stop(); }

pluginhost::PluginRescanReport LivePluginDirectory::rescan(const std::string& trigger) {
    return sync_.rescan(trigger);
}

void LivePluginDirectory::stop() {
    watcher_.reset();  // joins: no rescan of the watcher's runs past this
    sync_.stop();
}

}  // namespace mcph::app
