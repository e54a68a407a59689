#include "pluginhost/Offerings.h"

namespace mcph::pluginhost {

Offerings::Offerings(std::vector<PluginOfferings> plugins) : plugins_(std::move(plugins)) {
    for (const auto& entry : plugins_) {
        for (const auto& tool : entry.tools) {
            toolByName_[tool->name] = tool.get();
            tools_.push_back(tool.get());
        }
        for (const auto& r : entry.resources) {
            resourceByUri_[r->uri] = r.get();
            resources_.push_back(r.get());
        }
        for (const auto& t : entry.resourceTemplates) templates_.push_back(t.get());
        for (const auto& p : entry.prompts) {
            promptByName_[p->name] = p.get();
            prompts_.push_back(p.get());
        }
    }
}

const PluginOfferings* Offerings::findPlugin(const std::string& name) const {
    for (const auto& entry : plugins_) {
        if (entry.plugin->name == name) return &entry;
    }
    return nullptr;
}

const ToolSpec* Offerings::find(const std::string& name) const {
    auto it = toolByName_.find(name);
    return it == toolByName_.end() ? nullptr : it->second;
}

const ResourceSpec* Offerings::findResource(const std::string& uri) const {
    auto it = resourceByUri_.find(uri);
    return it == resourceByUri_.end() ? nullptr : it->second;
}

const PromptSpec* Offerings::findPrompt(const std::string& name) const {
    auto it = promptByName_.find(name);
    return it == promptByName_.end() ? nullptr : it->second;
}

const ResourceTemplateSpec* Offerings::findTemplate(const std::string& uriTemplate) const {
    for (const auto* t : templates_) {
        if (t->uriTemplate == uriTemplate) return t;
    }
    return nullptr;
}

}  // namespace mcph::pluginhost
