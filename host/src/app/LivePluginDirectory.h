#pragma once
// plugins.dir kept in step with what the host serves while it runs: one rescan
// (pluginhost::PluginDirectorySync) that the directory watcher (plugins.watch), SIGHUP
// (Reloader) and the admin endpoint POST /plugins/rescan all call.
#include <memory>
#include <string>
#include <vector>

#include "config/HostConfig.h"
#include "pluginhost/OfferingRegistry.h"
#include "pluginhost/PluginDirectorySync.h"
#include "pluginhost/PluginDirectoryWatcher.h"

namespace mcph::app {

class LivePluginDirectory {
  public:
    // `registry` holds the start-up load of `plugins.dir`, `startupProblems` its problems.
    // Starts watching when plugins.watch is on (a directory that cannot be watched is logged;
    // SIGHUP and the admin endpoint still rescan it), then rescans once, for what changed
    // between the start-up load and the watch.
    LivePluginDirectory(pluginhost::OfferingRegistry& registry,
                        const config::PluginsConfig& plugins,
                        const std::vector<pluginhost::LoadProblem>& startupProblems);
    ~LivePluginDirectory();
    LivePluginDirectory(const LivePluginDirectory&) = delete;
    LivePluginDirectory& operator=(const LivePluginDirectory&) = delete;

    // `trigger` names the cause in the log ("SIGHUP", "admin").
    pluginhost::PluginRescanReport rescan(const std::string& trigger);
    bool watching() const { return watcher_ != nullptr; }

    // Stops the watcher and makes later rescans change nothing: call before the registry
    // unloads its plugins at shutdown.
    void stop();

  private:
    pluginhost::PluginDirectorySync sync_;
    std::unique_ptr<pluginhost::PluginDirectoryWatcher> watcher_;
};

}  // namespace mcph::app
