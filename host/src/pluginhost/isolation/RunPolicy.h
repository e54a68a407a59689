#pragma once
// How the host runs a plugin: in its own process or in a supervised worker process, how long a
// call may take, and the worker's resource limits. Read from plugins.isolation,
// plugins.callTimeoutSeconds, plugins.limits and plugins.overrides.<file name>.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace mcph::pluginhost {

enum class Isolation { InProcess, Process };

const char* isolationName(Isolation isolation);  // "in-process" or "process"

// Zero: no limit (the worker inherits the host's).
struct ResourceLimits {
    std::uint64_t memoryBytes = 0;  // RLIMIT_AS
    std::uint64_t cpuSeconds = 0;   // RLIMIT_CPU
    std::uint64_t openFiles = 0;    // RLIMIT_NOFILE
};

struct PluginRunSettings {
    Isolation isolation = Isolation::InProcess;
    double callTimeoutSeconds = 60;  // 0: no timeout
    ResourceLimits limits;
};

// One plugins.overrides entry: what it leaves out comes from the global settings.
struct PluginRunOverride {
    std::optional<Isolation> isolation;
    std::optional<double> callTimeoutSeconds;
    std::optional<std::uint64_t> memoryBytes, cpuSeconds, openFiles;
};

struct RunPolicy {
    PluginRunSettings defaults;
    // Whether the global callTimeoutSeconds also times plugins in the host's own process
    // (plugins.timeInProcessCalls). Off by default: there a timed call must run on a helper
    // thread so the request thread is free to answer at the deadline, and that hand-off costs
    // about a third of the throughput of a fast tool (bench/README.md). A per-plugin override's
    // timeout and a tool descriptor's own timeout apply in-process regardless: someone asked.
    bool timeInProcessCalls = false;
    // Keyed by the plugin's file name in plugins.dir ("echo.so"): the host must choose how to
    // load a file before running any of its code, so it cannot key on the name the code reports.
    std::map<std::string, PluginRunOverride> overrides;
    // The mcph-plugin-worker executable; empty: next to the running host binary.
    std::string workerPath;

    // The settings for one file; callTimeoutSeconds is 0 for an in-process plugin that the rule
    // above leaves untimed.
    PluginRunSettings forFile(const std::string& file) const;
};

}  // namespace mcph::pluginhost
