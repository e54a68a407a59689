#include "pluginhost/OfferingRegistry.h"

namespace mcph::pluginhost {

OfferingRegistry::OfferingRegistry(LoadReport& report)
    : resourceUpdates_(report.resourceUpdates), plugins_(std::move(report.plugins)) {
    // First pass drops duplicates (first loaded wins); pointers are taken only afterwards,
    // once no vector changes any more.
    std::unordered_map<std::string, std::string> ownerOf;
    for (auto& plugin : plugins_) {
        auto& tools = plugin->tools;
        for (auto it = tools.begin(); it != tools.end();) {
            auto [owner, fresh] = ownerOf.emplace(it->name, plugin->name);
            if (!fresh) {
                report.problems.push_back({plugin->file, "tool \"" + it->name + "\" is already served by plugin \"" +
                                                             owner->second + "\"; skipped"});
                it = tools.erase(it);
            } else {
                ++it;
            }
        }
    }
    // Resources by URI and prompts by name: the first plugin keeps a name, later ones are told.
    auto dropDuplicates = [&report](LoadedPlugin& plugin, auto& items, auto keyOf, const char* what,
                                    std::unordered_map<std::string, std::string>& owners) {
        for (auto it = items.begin(); it != items.end();) {
            auto [owner, fresh] = owners.emplace(keyOf(*it), plugin.name);
            if (!fresh) {
                report.problems.push_back({plugin.file, std::string(what) + " \"" + keyOf(*it) +
                                                            "\" is already served by plugin \"" + owner->second + "\"; skipped"});
                it = items.erase(it);
            } else {
                ++it;
            }
        }
    };
    std::unordered_map<std::string, std::string> resourceOwners, templateOwners, promptOwners;
    for (auto& plugin : plugins_) {
        dropDuplicates(*plugin, plugin->resources, [](const ResourceSpec& r) { return r.uri; }, "resource", resourceOwners);
        dropDuplicates(*plugin, plugin->resourceTemplates, [](const ResourceTemplateSpec& r) { return r.uriTemplate; },
                       "resource template", templateOwners);
        dropDuplicates(*plugin, plugin->prompts, [](const PromptSpec& p) { return p.name; }, "prompt", promptOwners);
    }
    for (auto& plugin : plugins_) {
        for (const auto& tool : plugin->tools) {
            byName_[tool.name] = &tool;
            ordered_.push_back(&tool);
        }
        for (const auto& r : plugin->resources) {
            resourceByUri_[r.uri] = &r;
            resources_.push_back(&r);
        }
        for (const auto& t : plugin->resourceTemplates) templates_.push_back(&t);
        for (const auto& p : plugin->prompts) {
            promptByName_[p.name] = &p;
            prompts_.push_back(&p);
        }
    }
}

const ResourceSpec* OfferingRegistry::findResource(const std::string& uri) const {
    auto it = resourceByUri_.find(uri);
    return it == resourceByUri_.end() ? nullptr : it->second;
}

const PromptSpec* OfferingRegistry::findPrompt(const std::string& name) const {
    auto it = promptByName_.find(name);
    return it == promptByName_.end() ? nullptr : it->second;
}

const ResourceTemplateSpec* OfferingRegistry::findTemplate(const std::string& uriTemplate) const {
    for (const auto* t : templates_) {
        if (t->uriTemplate == uriTemplate) return t;
    }
    return nullptr;
}

const ToolSpec* OfferingRegistry::find(const std::string& name) const {
    auto it = byName_.find(name);
    return it == byName_.end() ? nullptr : it->second;
}

void OfferingRegistry::unloadAll() {
    ordered_.clear();
    byName_.clear();
    resources_.clear();
    templates_.clear();
    prompts_.clear();
    resourceByUri_.clear();
    promptByName_.clear();
    // Reverse load order, like destructors.
    while (!plugins_.empty()) plugins_.pop_back();
}

}  // namespace mcph::pluginhost
