#pragma once
// The host's own copies of what a 1.1 plugin offers beside tools: resources, resource
// templates and prompts. Built once at load; never mutated.
#include <mcphost/plugin.h>
#include <Poco/JSON/Object.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mcph::pluginhost {

struct LoadedPlugin;

struct ResourceSpec {
    std::string uri, name, title, description, mimeType;
    mcph_invoke_fn read = nullptr;
    void* data = nullptr;
    LoadedPlugin* plugin = nullptr;
    Poco::JSON::Object::Ptr toListEntry() const;
};

struct ResourceTemplateSpec {
    std::string uriTemplate, name, title, description, mimeType;
    mcph_invoke_fn read = nullptr;
    void* data = nullptr;
    LoadedPlugin* plugin = nullptr;
    Poco::JSON::Object::Ptr toListEntry() const;
    // The variables when `uri` matches the template, else nullopt.
    std::optional<std::map<std::string, std::string>> match(const std::string& uri) const;
};

struct PromptArgumentSpec {
    std::string name, description;
    bool required = false;
};

struct PromptSpec {
    std::string name, title, description;
    std::vector<PromptArgumentSpec> arguments;
    mcph_invoke_fn get = nullptr;
    void* data = nullptr;
    LoadedPlugin* plugin = nullptr;
    Poco::JSON::Object::Ptr toListEntry() const;
};

}  // namespace mcph::pluginhost
