#include "pluginhost/PluginLoader.h"

#include <boost/dll/shared_library.hpp>
#include <boost/filesystem.hpp>

#include <algorithm>
#include <array>
#include <set>

#include "pluginhost/DescriptorValidator.h"
#include "pluginhost/ElfCheck.h"
#include "pluginhost/OfferingReader.h"
#include "pluginhost/isolation/IsolatedPluginLoader.h"
#include "pluginhost/PluginCandidates.h"
#include "pluginhost/PluginImage.h"

namespace mcph::pluginhost {
namespace {

constexpr std::size_t kMaxToolsPerPlugin = 4096;

std::string settingsFor(const std::map<std::string, std::string>& settings, const std::string& name) {
    auto it = settings.find(name);
    return it == settings.end() ? std::string("{}") : it->second;
}

}  // namespace

std::unique_ptr<LoadedPlugin> loadPlugin(const std::string& file, const std::map<std::string, std::string>& settingsJson,
                                         const std::set<std::string>& takenNames, std::vector<LoadProblem>& problems,
                                         ResourceUpdateRelay* resourceUpdates, ToolChangeRelay* toolChanges,
                                         const RunPolicy& policy) {
    const PluginRunSettings run = policy.forFile(file);
    if (run.isolation == Isolation::Process) {
        return loadIsolatedPlugin(file, settingsJson, takenNames, problems, resourceUpdates, policy);
    }
    auto fail = [&](std::string reason) {
        problems.push_back({file, std::move(reason)});
        return nullptr;
    };
    // Before dlopen: a truncated or foreign file must be refused here, with its reason, since
    // dlopen itself may kill the process on one (ElfCheck.h). The check runs on a private copy,
    // which is what gets loaded (PluginImage.h: a file replaced at the same path is a new load).
    auto image = PluginImage::copyOf(file);
    if (auto* problem = std::get_if<std::string>(&image)) return fail(*problem);
    auto plugin = std::make_unique<LoadedPlugin>();
    plugin->file = file;
    plugin->image = std::move(std::get<PluginImage>(image));
    try {
        // RTLD_LOCAL: one plugin's symbols never resolve another's. RTLD_NOW: an unresolved
        // symbol fails here, with a reason, not later in the middle of a call.
        plugin->library.load(plugin->image.loadPath(),
                             boost::dll::load_mode::rtld_local | boost::dll::load_mode::rtld_now);
    } catch (const std::exception& e) {
        return fail(std::string("cannot be loaded as a shared library: ") + e.what());
    }
    if (!plugin->library.has(MCPH_ENTRY_SYMBOL)) {
        return fail(std::string("no entry symbol ") + MCPH_ENTRY_SYMBOL +
                    " (not an mcp-host plugin, or built for another ABI major)");
    }
    auto& entry = plugin->library.get<const mcph_plugin*(uint32_t, uint32_t)>(MCPH_ENTRY_SYMBOL);
    const mcph_plugin* desc = entry(MCPH_ABI_MAJOR, MCPH_ABI_MINOR);
    if (auto why = checkPluginDescriptor(desc)) return fail(*why);

    plugin->name = desc->name;
    // Checked before init so a skipped plugin never runs side effects.
    if (takenNames.count(plugin->name)) return fail("a plugin named \"" + plugin->name + "\" is already loaded; skipped");
    plugin->version = desc->version ? desc->version : "";
    plugin->description = desc->description ? desc->description : "";
    plugin->serialized = (desc->flags & MCPH_PLUGIN_SERIALIZED) != 0;
    initHostApiBlock(plugin->hostApi, plugin->name, resourceUpdates, toolChanges);

    if (desc->init) {
        std::array<char, 512> err{};
        const std::string settings = settingsFor(settingsJson, plugin->name);
        mcph_status status = MCPH_ERR_FAILED;
        try {
            status = desc->init(&plugin->hostApi.api, settings.c_str(), &plugin->state, err.data(), err.size());
        } catch (...) {
            // Not allowed by the ABI, but a C++ plugin may still leak one; never let it take us down.
            status = MCPH_ERR_FAILED;
        }
        err.back() = '\0';
        if (status != MCPH_OK) {
            return fail("init failed (status " + std::to_string(status) + ")" +
                        (err[0] ? std::string(": ") + err.data() : std::string()));
        }
    }
    // From here on a failure must still run shutdown: the destructor does.
    plugin->descriptor = desc;
    plugin->callTimeoutSeconds = run.callTimeoutSeconds;

    if (desc->tool_count > kMaxToolsPerPlugin) return fail("declares more than 4096 tools");
    if (desc->tool_count > 0 && !desc->tools) return fail("tool_count is set but tools is NULL");
    for (std::size_t i = 0; i < desc->tool_count; ++i) {
        const mcph_tool* tool = toolAt(desc, i);
        if (i > 0 && tool->struct_size != desc->tools[0].struct_size) {
            problems.push_back({file, "tool " + std::to_string(i) + ": struct_size differs from the first tool's; skipped"});
            continue;
        }
        auto spec = readTool(tool);
        if (auto* why = std::get_if<std::string>(&spec)) {
            problems.push_back({file, *why + "; tool skipped"});
            continue;
        }
        auto& s = std::get<ToolSpec>(spec);
        s.plugin = plugin.get();
        plugin->tools.push_back(std::move(s));
    }
    readOfferings(*plugin, problems);
    return plugin;
}

LoadReport loadPluginDirectory(const std::string& dir, const std::map<std::string, std::string>& settingsJson,
                               const RunPolicy& policy) {
    namespace fs = boost::filesystem;
    LoadReport report;
    boost::system::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        report.problems.push_back({dir, "plugin directory does not exist"});
        return report;
    }
    const std::vector<std::string> files = pluginCandidates(dir);  // in load order

    std::set<std::string> names;
    for (const auto& file : files) {
        auto plugin = loadPlugin(file, settingsJson, names, report.problems, report.resourceUpdates.get(),
                                 report.toolChanges.get(), policy);
        if (!plugin) continue;
        names.insert(plugin->name);
        report.plugins.push_back(std::move(plugin));
    }
    for (const auto& [name, _] : settingsJson) {
        if (!names.count(name)) report.problems.push_back({dir, "plugins.settings names \"" + name + "\", but no such plugin was loaded"});
    }
    return report;
}

}  // namespace mcph::pluginhost
