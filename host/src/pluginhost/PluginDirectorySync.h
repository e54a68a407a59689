#pragma once
// Keeps what the registry serves in step with plugins.dir: a rescan compares the directory's
// plugin files (PluginCandidates.h) with what was loaded from them, by file identity
// (FileIdentity.h), and
//   - loads a new file (its offerings appear);
//   - loads a changed file and swaps it in by plugin name (OfferingRegistry::setPlugin): new
//     calls go to the new version, calls in flight finish on the old one, which unloads when
//     the last of them returns. When the new version cannot be loaded, the old one keeps
//     serving;
//   - removes the plugin of a file that is gone (unless a renamed file now serves it);
//   - remembers a file it skipped, so an unchanged bad file is not tried (and logged) again.
// One log line per change and per skipped file. Rescans are serialized: the directory
// watcher, SIGHUP and the admin endpoint may ask at the same time.
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "pluginhost/FileIdentity.h"
#include "pluginhost/OfferingRegistry.h"
#include "pluginhost/PluginRescanReport.h"
#include "pluginhost/isolation/RunPolicy.h"

namespace mcph::pluginhost {

class PluginDirectorySync {
  public:
    // `registry` holds what loadPluginDirectory(dir) loaded at start; `startupProblems` are that
    // load's problems (the files named there count as skipped in their current version).
    // `settingsJson` and `policy` as for loadPluginDirectory.
    PluginDirectorySync(OfferingRegistry& registry, std::string dir,
                        std::map<std::string, std::string> settingsJson, RunPolicy policy,
                        const std::vector<LoadProblem>& startupProblems);

    // Applies what changed in the directory. `trigger` names the cause in the log ("watch",
    // "SIGHUP", "admin"). Never throws.
    PluginRescanReport rescan(const std::string& trigger);

    // Later rescans change nothing; call before the registry unloads at shutdown.
    void stop();

  private:
    struct LoadedFile {
        std::string plugin;
        FileIdentity identity;
    };

    void loadFile(const std::string& file, const FileIdentity& seen,
                  const std::vector<std::string>& goneFiles, PluginRescanReport& report);
    void removeGone(const std::vector<std::string>& goneFiles, PluginRescanReport& report);
    void logReport(const std::string& trigger, const PluginRescanReport& report) const;

    OfferingRegistry& registry_;
    const std::string dir_;
    const std::map<std::string, std::string> settingsJson_;
    const RunPolicy policy_;
    std::mutex mutex_;  // one rescan at a time; guards everything below
    bool stopped_ = false;
    std::map<std::string, LoadedFile> loaded_;     // file -> the plugin loaded from it
    std::map<std::string, FileIdentity> skipped_;  // file -> the version that was skipped
};

}  // namespace mcph::pluginhost
