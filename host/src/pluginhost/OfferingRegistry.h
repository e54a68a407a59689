#pragma once
// Everything the host serves (tools, resources, resource templates, prompts), in a fixed order
// (plugin-file order, then each plugin's own), with the plugins that own them. Built once at
// start and read-only afterwards, so lookups need no lock.
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "pluginhost/PluginLoader.h"

namespace mcph::pluginhost {

class OfferingRegistry {
public:
    // Takes the plugins of a load report; a tool whose name is already taken is reported in
    // `report.problems` and left out.
    explicit OfferingRegistry(LoadReport& report);
    OfferingRegistry() = default;
    OfferingRegistry(const OfferingRegistry&) = delete;
    OfferingRegistry& operator=(const OfferingRegistry&) = delete;

    const ToolSpec* find(const std::string& name) const;
    const std::vector<const ToolSpec*>& tools() const { return ordered_; }
    const std::vector<std::unique_ptr<LoadedPlugin>>& plugins() const { return plugins_; }

    const std::vector<const ResourceSpec*>& resources() const { return resources_; }
    const std::vector<const ResourceTemplateSpec*>& resourceTemplates() const { return templates_; }
    const std::vector<const PromptSpec*>& prompts() const { return prompts_; }
    const ResourceSpec* findResource(const std::string& uri) const;
    const PromptSpec* findPrompt(const std::string& name) const;
    const ResourceTemplateSpec* findTemplate(const std::string& uriTemplate) const;

    // Where the plugins' resource updates go; the server connects its sink here.
    ResourceUpdateRelay& resourceUpdates() const { return *resourceUpdates_; }

    // Shuts every plugin down and unloads it; call once no request can reach a tool any more.
    void unloadAll();

private:
    std::shared_ptr<ResourceUpdateRelay> resourceUpdates_ = std::make_shared<ResourceUpdateRelay>();
    std::vector<std::unique_ptr<LoadedPlugin>> plugins_;
    std::vector<const ToolSpec*> ordered_;
    std::unordered_map<std::string, const ToolSpec*> byName_;
    std::vector<const ResourceSpec*> resources_;
    std::vector<const ResourceTemplateSpec*> templates_;
    std::vector<const PromptSpec*> prompts_;
    std::unordered_map<std::string, const ResourceSpec*> resourceByUri_;
    std::unordered_map<std::string, const PromptSpec*> promptByName_;
};

}  // namespace mcph::pluginhost
