// plugins.isolation, plugins.callTimeoutSeconds, timeInProcessCalls, plugins.limits and plugins.overrides: how the
// host runs plugins (pluginhost/isolation/RunPolicy.h). Kept apart from PluginsSection.cpp,
// whose other keys (dir, settings) are about which plugins load and what they are told.
#include "config/sections/PluginRunKeys.h"

namespace mcph::config {
namespace {

constexpr std::int64_t kMaxTimeoutSeconds = 24 * 3600;
constexpr std::int64_t kMaxMemoryMiB = std::int64_t(1) << 30;  // 1 PiB: "no practical limit"

std::optional<pluginhost::Isolation> readIsolation(ObjectReader& reader) {
    std::optional<ConfigString> value = reader.string("isolation");
    if (!value) return std::nullopt;
    if (value->value == "in-process") return pluginhost::Isolation::InProcess;
    if (value->value == "process") return pluginhost::Isolation::Process;
    reader.diagnostics().error(reader.pathOf("isolation"),
                               "expected \"in-process\" or \"process\", got " + value->shown());
    return std::nullopt;
}

struct LimitValues {
    std::optional<std::uint64_t> memoryBytes, cpuSeconds, openFiles;
};

LimitValues readLimits(ObjectReader& parent) {
    LimitValues out;
    std::optional<ObjectReader> limits = parent.object("limits");
    if (!limits) return out;
    // 0: no limit. Below the minimums the worker cannot even start (map itself, open the plugin).
    if (auto mib = limits->integer("memoryMiB", 0, kMaxMemoryMiB)) {
        if (*mib != 0 && *mib < 64) {
            limits->diagnostics().error(limits->pathOf("memoryMiB"),
                                        "expected 0 (no limit) or at least 64");
        } else {
            out.memoryBytes = std::uint64_t(*mib) << 20;
        }
    }
    if (auto cpu = limits->integer("cpuSeconds", 0, kMaxTimeoutSeconds * 365))
        out.cpuSeconds = std::uint64_t(*cpu);
    if (auto files = limits->integer("openFiles", 0, 1 << 20)) {
        if (*files != 0 && *files < 16) {
            limits->diagnostics().error(limits->pathOf("openFiles"),
                                        "expected 0 (no limit) or at least 16");
        } else {
            out.openFiles = std::uint64_t(*files);
        }
    }
    limits->finish();
    return out;
}

}  // namespace

void readPluginRunKeys(ObjectReader& plugins, pluginhost::RunPolicy& out) {
    if (auto isolation = readIsolation(plugins)) out.defaults.isolation = *isolation;
    if (auto timeout = plugins.integer("callTimeoutSeconds", 0, kMaxTimeoutSeconds)) {
        out.defaults.callTimeoutSeconds = double(*timeout);
    }
    if (auto timeIn = plugins.boolean("timeInProcessCalls")) out.timeInProcessCalls = *timeIn;
    const LimitValues limits = readLimits(plugins);
    if (limits.memoryBytes) out.defaults.limits.memoryBytes = *limits.memoryBytes;
    if (limits.cpuSeconds) out.defaults.limits.cpuSeconds = *limits.cpuSeconds;
    if (limits.openFiles) out.defaults.limits.openFiles = *limits.openFiles;

    std::optional<ObjectReader> overrides = plugins.object("overrides");
    if (!overrides) return;
    for (const std::string& file : overrides->keys()) {
        // The key is a file name in plugins.dir, never a path: it must not reach elsewhere.
        if (file.empty() || file.find('/') != std::string::npos || file == "." || file == "..") {
            overrides->diagnostics().error(
                overrides->pathOf(file),
                "expected a plugin's file name in plugins.dir (e.g. \"echo.so\")");
            overrides->expandedObject(file);  // declares the key known
            continue;
        }
        std::optional<ObjectReader> entry = overrides->object(file);
        if (!entry) continue;
        pluginhost::PluginRunOverride o;
        o.isolation = readIsolation(*entry);
        if (auto timeout = entry->integer("callTimeoutSeconds", 0, kMaxTimeoutSeconds)) {
            o.callTimeoutSeconds = double(*timeout);
        }
        const LimitValues l = readLimits(*entry);
        o.memoryBytes = l.memoryBytes, o.cpuSeconds = l.cpuSeconds, o.openFiles = l.openFiles;
        entry->finish();
        out.overrides[file] = o;
    }
    overrides->finish();
}

}  // namespace mcph::config

namespace mcph::config {
namespace {

Poco::JSON::Object::Ptr ordered() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

void setLimit(Poco::JSON::Object& o, const char* key, std::optional<std::uint64_t> value,
              unsigned shift = 0) {
    if (value) o.set(key, static_cast<Poco::UInt64>(*value >> shift));
}

}  // namespace

void writePluginRunKeys(const pluginhost::RunPolicy& run, Poco::JSON::Object& plugins) {
    const pluginhost::PluginRunSettings& d = run.defaults;
    plugins.set("isolation", pluginhost::isolationName(d.isolation));
    plugins.set("callTimeoutSeconds", static_cast<Poco::Int64>(d.callTimeoutSeconds));
    plugins.set("timeInProcessCalls", run.timeInProcessCalls);
    auto limits = ordered();
    setLimit(*limits, "memoryMiB", d.limits.memoryBytes, 20);
    setLimit(*limits, "cpuSeconds", d.limits.cpuSeconds);
    setLimit(*limits, "openFiles", d.limits.openFiles);
    plugins.set("limits", limits);
    auto overrides = ordered();
    for (const auto& [file, o] : run.overrides) {
        auto entry = ordered();
        if (o.isolation) entry->set("isolation", pluginhost::isolationName(*o.isolation));
        if (o.callTimeoutSeconds)
            entry->set("callTimeoutSeconds", static_cast<Poco::Int64>(*o.callTimeoutSeconds));
        if (o.memoryBytes || o.cpuSeconds || o.openFiles) {
            auto l = ordered();
            setLimit(*l, "memoryMiB", o.memoryBytes, 20);
            setLimit(*l, "cpuSeconds", o.cpuSeconds);
            setLimit(*l, "openFiles", o.openFiles);
            entry->set("limits", l);
        }
        overrides->set(file, entry);
    }
    plugins.set("overrides", overrides);
}

}  // namespace mcph::config
