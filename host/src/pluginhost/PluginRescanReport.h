#pragma once
// What one rescan of plugins.dir changed, for the log, SIGHUP's summary and the answer of the
// admin endpoint POST /plugins/rescan.
#include <cstddef>
#include <string>
#include <vector>

#include "pluginhost/PluginLoader.h"

namespace mcph::pluginhost {

struct PluginRescanReport {
    struct Loaded {
        std::string plugin;
        std::string version;
        std::string file;
        std::string previousVersion;  // replaced only
    };
    struct Removed {
        std::string plugin;
        std::string file;
    };
    std::vector<Loaded> added;
    std::vector<Loaded> replaced;
    std::vector<Removed> removed;
    std::vector<LoadProblem> skipped;   // files not loaded (a replaced one keeps its old version)
    std::vector<LoadProblem> problems;  // single offerings left out of plugins that loaded

    std::size_t changeCount() const { return added.size() + replaced.size() + removed.size(); }
    // {"added":[{"plugin","version","file"}],"replaced":[{..., "previousVersion"}],
    //  "removed":[{"plugin","file"}],"skipped":[{"file","reason"}],"problems":[{"file","reason"}]}
    std::string toJson() const;
};

}  // namespace mcph::pluginhost
