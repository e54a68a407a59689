#include "pluginhost/isolation/RunPolicy.h"

namespace mcph::pluginhost {

const char* isolationName(Isolation isolation) {
    return isolation == Isolation::Process ? "process" : "in-process";
}

PluginRunSettings RunPolicy::forFile(const std::string& file) const {
    PluginRunSettings settings = defaults;
    const auto slash = file.find_last_of('/');
    const std::string base = slash == std::string::npos ? file : file.substr(slash + 1);
    auto it = overrides.find(base);
    const PluginRunOverride none;
    const PluginRunOverride& o = it == overrides.end() ? none : it->second;
    if (o.isolation) settings.isolation = *o.isolation;
    if (o.callTimeoutSeconds) {
        settings.callTimeoutSeconds = *o.callTimeoutSeconds;
    } else if (settings.isolation == Isolation::InProcess && !timeInProcessCalls) {
        settings.callTimeoutSeconds = 0;
    }
    if (o.memoryBytes) settings.limits.memoryBytes = *o.memoryBytes;
    if (o.cpuSeconds) settings.limits.cpuSeconds = *o.cpuSeconds;
    if (o.openFiles) settings.limits.openFiles = *o.openFiles;
    return settings;
}

}  // namespace mcph::pluginhost
