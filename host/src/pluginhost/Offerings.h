#pragma once
// One immutable snapshot of everything the host serves (tools, resources, resource templates,
// prompts), in a fixed order (plugin-file order, then each plugin's own), with the plugins that
// own them. A request takes the current snapshot once and holds it to its end: the plugins in
// it stay loaded and every pointer it hands out stays valid meanwhile, whatever changes.
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "pluginhost/LoadedPlugin.h"
#include "pluginhost/OfferingChange.h"

namespace mcph::pluginhost {

// One plugin and what it serves right now (its tools may change at run time, ABI 1.2).
struct PluginOfferings {
    std::shared_ptr<LoadedPlugin> plugin;
    std::vector<std::shared_ptr<const ToolSpec>> tools;
    std::vector<std::shared_ptr<const ResourceSpec>> resources;
    std::vector<std::shared_ptr<const ResourceTemplateSpec>> resourceTemplates;
    std::vector<std::shared_ptr<const PromptSpec>> prompts;
};

class Offerings {
  public:
    // `plugins` in serving order; names must already be unique across them.
    explicit Offerings(std::vector<PluginOfferings> plugins = {});

    const std::vector<PluginOfferings>& plugins() const { return plugins_; }
    const PluginOfferings* findPlugin(const std::string& name) const;

    const std::vector<const ToolSpec*>& tools() const { return tools_; }
    const ToolSpec* find(const std::string& name) const;
    const std::vector<const ResourceSpec*>& resources() const { return resources_; }
    const std::vector<const ResourceTemplateSpec*>& resourceTemplates() const { return templates_; }
    const std::vector<const PromptSpec*>& prompts() const { return prompts_; }
    const ResourceSpec* findResource(const std::string& uri) const;
    const PromptSpec* findPrompt(const std::string& name) const;
    const ResourceTemplateSpec* findTemplate(const std::string& uriTemplate) const;

  private:
    std::vector<PluginOfferings> plugins_;
    std::vector<const ToolSpec*> tools_;
    std::unordered_map<std::string, const ToolSpec*> toolByName_;
    std::vector<const ResourceSpec*> resources_;
    std::vector<const ResourceTemplateSpec*> templates_;
    std::vector<const PromptSpec*> prompts_;
    std::unordered_map<std::string, const ResourceSpec*> resourceByUri_;
    std::unordered_map<std::string, const PromptSpec*> promptByName_;
};

}  // namespace mcph::pluginhost
