#include "pluginhost/OfferingRegistry.h"

#include <Poco/Logger.h>

#include <map>

#include "pluginhost/DescriptorValidator.h"

namespace mcph::pluginhost {
namespace {

using Names = std::map<std::string, std::string>;  // name -> the plugin that serves it

// The names the other plugins of `plugins` serve, by kind.
struct TakenNames {
    Names tools, resources, templates, prompts;

    TakenNames(const std::vector<PluginOfferings>& plugins, const std::string& except) {
        for (const auto& entry : plugins) {
            if (entry.plugin->name == except) continue;
            const std::string& owner = entry.plugin->name;
            for (const auto& t : entry.tools) tools.emplace(t->name, owner);
            for (const auto& r : entry.resources) resources.emplace(r->uri, owner);
            for (const auto& t : entry.resourceTemplates) templates.emplace(t->uriTemplate, owner);
            for (const auto& p : entry.prompts) prompts.emplace(p->name, owner);
        }
    }
};

// Shared copies of `items`, without those whose key is taken (each reported).
template <typename Spec, typename KeyOf>
std::vector<std::shared_ptr<const Spec>> keepFree(const std::vector<Spec>& items, Names& taken,
                                                  KeyOf keyOf, const char* what,
                                                  const LoadedPlugin& plugin,
                                                  std::vector<LoadProblem>& problems) {
    std::vector<std::shared_ptr<const Spec>> kept;
    for (const auto& item : items) {
        const auto [owner, fresh] = taken.emplace(keyOf(item), plugin.name);
        if (!fresh) {
            problems.push_back({plugin.file, std::string(what) + " \"" + keyOf(item) +
                                                 "\" is already served by plugin \"" +
                                                 owner->second + "\"; skipped"});
            continue;
        }
        kept.push_back(std::make_shared<const Spec>(item));
    }
    return kept;
}

PluginOfferings offeringsOf(std::shared_ptr<LoadedPlugin> plugin, TakenNames& taken,
                            std::vector<LoadProblem>& problems) {
    PluginOfferings entry;
    const LoadedPlugin& p = *plugin;
    entry.tools = keepFree(
        p.tools, taken.tools, [](const ToolSpec& t) { return t.name; }, "tool", p, problems);
    entry.resources = keepFree(
        p.resources, taken.resources, [](const ResourceSpec& r) { return r.uri; }, "resource", p,
        problems);
    entry.resourceTemplates = keepFree(
        p.resourceTemplates, taken.templates,
        [](const ResourceTemplateSpec& t) { return t.uriTemplate; }, "resource template", p,
        problems);
    entry.prompts = keepFree(
        p.prompts, taken.prompts, [](const PromptSpec& s) { return s.name; }, "prompt", p,
        problems);
    entry.plugin = std::move(plugin);
    return entry;
}

OfferingChange changeBetween(const PluginOfferings* before, const PluginOfferings* after) {
    OfferingChange change;
    for (const auto* entry : {before, after}) {
        if (!entry) continue;
        change.tools |= !entry->tools.empty();
        change.resources |= !entry->resources.empty() || !entry->resourceTemplates.empty();
        change.prompts |= !entry->prompts.empty();
    }
    return change;
}

}  // namespace

OfferingRegistry::OfferingRegistry() { toolChanges_->connect(this); }

OfferingRegistry::OfferingRegistry(LoadReport& report)
    : resourceUpdates_(report.resourceUpdates), toolChanges_(report.toolChanges) {
    std::vector<PluginOfferings> plugins;
    TakenNames taken({}, "");
    for (auto& plugin : report.plugins) {
        plugins.push_back(
            offeringsOf(std::shared_ptr<LoadedPlugin>(std::move(plugin)), taken, report.problems));
    }
    report.plugins.clear();
    current_ = std::make_shared<const Offerings>(std::move(plugins));
    toolChanges_->connect(this);
}

OfferingRegistry::~OfferingRegistry() {
    toolChanges_->disconnect(this);  // returns once no add_tool / remove_tool runs here
    std::shared_ptr<const Offerings> last;
    {
        std::lock_guard<std::mutex> lock(currentMutex_);
        last = std::move(current_);
    }
}

std::shared_ptr<const Offerings> OfferingRegistry::snapshot() const {
    std::lock_guard<std::mutex> lock(currentMutex_);
    return current_;
}

void OfferingRegistry::connect(OfferingChangeSink* sink) const {
    std::lock_guard<std::mutex> lock(sinkMutex_);
    sink_ = sink;
}

void OfferingRegistry::disconnect(OfferingChangeSink* sink) const {
    std::lock_guard<std::mutex> lock(sinkMutex_);
    if (sink_ == sink) sink_ = nullptr;
}

std::shared_ptr<const Offerings> OfferingRegistry::commitLocked(
    std::vector<PluginOfferings> plugins, const OfferingChange& change) {
    auto next = std::make_shared<const Offerings>(std::move(plugins));
    std::shared_ptr<const Offerings> previous;
    {
        std::lock_guard<std::mutex> lock(currentMutex_);
        previous = std::exchange(current_, std::move(next));
    }
    if (change.any()) {
        std::lock_guard<std::mutex> lock(sinkMutex_);
        if (sink_) sink_->offeringsChanged(change);
    }
    return previous;
}

void OfferingRegistry::setPlugin(std::unique_ptr<LoadedPlugin> loaded,
                                 std::vector<LoadProblem>& problems) {
    std::shared_ptr<const Offerings> previous;
    {
        std::lock_guard<std::mutex> edit(editMutex_);
        const auto now = snapshot();
        std::shared_ptr<LoadedPlugin> plugin(std::move(loaded));
        TakenNames taken(now->plugins(), plugin->name);
        PluginOfferings entry = offeringsOf(plugin, taken, problems);
        std::vector<PluginOfferings> plugins = now->plugins();
        const PluginOfferings* before = now->findPlugin(plugin->name);
        const OfferingChange change = changeBetween(before, &entry);
        bool replaced = false;
        for (auto& existing : plugins) {
            if (existing.plugin->name == plugin->name) {
                existing = entry;
                replaced = true;
            }
        }
        if (!replaced) plugins.push_back(std::move(entry));
        previous = commitLocked(std::move(plugins), change);
    }
}

bool OfferingRegistry::removePlugin(const std::string& name) {
    std::shared_ptr<const Offerings> previous;
    {
        std::lock_guard<std::mutex> edit(editMutex_);
        const auto now = snapshot();
        const PluginOfferings* before = now->findPlugin(name);
        if (!before) return false;
        const OfferingChange change = changeBetween(before, nullptr);
        std::vector<PluginOfferings> plugins;
        for (const auto& entry : now->plugins()) {
            if (entry.plugin->name != name) plugins.push_back(entry);
        }
        previous = commitLocked(std::move(plugins), change);
    }
    return true;
}

namespace {

// The entry of the plugin whose host API table is `caller`: that exact loaded copy, not a newer
// one of the same name still in its init.
std::vector<PluginOfferings>::iterator entryOf(std::vector<PluginOfferings>& plugins,
                                               const mcph_host_api* caller) {
    for (auto it = plugins.begin(); it != plugins.end(); ++it) {
        if (&it->plugin->hostApi.api == caller) return it;
    }
    return plugins.end();
}

}  // namespace

mcph_status OfferingRegistry::addTool(const mcph_host_api* caller, const mcph_tool* tool) {
    auto& log = Poco::Logger::get("mcp-host.plugins");
    const std::string pluginName = reinterpret_cast<const HostApiBlock*>(caller)->pluginName;
    auto spec = readTool(tool);
    if (auto* why = std::get_if<std::string>(&spec)) {
        log.warning("plugin %s: add_tool refused: %s", pluginName, *why);
        return MCPH_ERR_INVALID_ARGUMENT;
    }
    std::shared_ptr<const Offerings> previous;
    {
        std::lock_guard<std::mutex> edit(editMutex_);
        const auto now = snapshot();
        std::vector<PluginOfferings> plugins = now->plugins();
        const auto entry = entryOf(plugins, caller);
        if (entry == plugins.end()) return MCPH_ERR_UNSUPPORTED;  // not served (yet, or any more)
        auto& added = std::get<ToolSpec>(spec);
        if (const ToolSpec* owner = now->find(added.name);
            owner && owner->plugin != entry->plugin.get()) {
            log.warning(
                "plugin %s: add_tool refused: tool \"%s\" is already served by plugin \"%s\"",
                pluginName, added.name, owner->plugin->name);
            return MCPH_ERR_INVALID_ARGUMENT;
        }
        added.plugin = entry->plugin.get();
        auto shared = std::make_shared<const ToolSpec>(std::move(added));
        bool replaced = false;
        for (auto& existing : entry->tools) {
            if (existing->name == shared->name) {
                existing = shared;
                replaced = true;
            }
        }
        if (!replaced) entry->tools.push_back(shared);
        OfferingChange change;
        change.tools = true;
        previous = commitLocked(std::move(plugins), change);
    }
    return MCPH_OK;
}

mcph_status OfferingRegistry::removeTool(const mcph_host_api* caller, const std::string& name) {
    std::shared_ptr<const Offerings> previous;
    {
        std::lock_guard<std::mutex> edit(editMutex_);
        std::vector<PluginOfferings> plugins = snapshot()->plugins();
        const auto entry = entryOf(plugins, caller);
        if (entry == plugins.end()) return MCPH_ERR_UNSUPPORTED;
        std::vector<std::shared_ptr<const ToolSpec>> kept;
        for (const auto& t : entry->tools) {
            if (t->name != name) kept.push_back(t);
        }
        if (kept.size() == entry->tools.size()) return MCPH_ERR_NOT_FOUND;
        entry->tools = std::move(kept);
        OfferingChange change;
        change.tools = true;
        previous = commitLocked(std::move(plugins), change);
    }
    return MCPH_OK;
}

void OfferingRegistry::unloadAll() {
    std::shared_ptr<const Offerings> previous;
    {
        std::lock_guard<std::mutex> edit(editMutex_);
        std::lock_guard<std::mutex> lock(currentMutex_);
        previous = std::exchange(current_, std::make_shared<const Offerings>());
    }
    // Shut down in reverse load order, like destructors, when nothing else holds them.
    if (previous && previous.use_count() == 1) {
        auto plugins = previous->plugins();
        previous.reset();
        while (!plugins.empty()) plugins.pop_back();
    }
}

}  // namespace mcph::pluginhost
