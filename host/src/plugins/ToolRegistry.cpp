#include "plugins/ToolRegistry.h"

namespace mcph::plugins {

ToolRegistry::ToolRegistry(LoadReport& report) : plugins_(std::move(report.plugins)) {
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
    for (auto& plugin : plugins_) {
        for (const auto& tool : plugin->tools) {
            byName_[tool.name] = &tool;
            ordered_.push_back(&tool);
        }
    }
}

const ToolSpec* ToolRegistry::find(const std::string& name) const {
    auto it = byName_.find(name);
    return it == byName_.end() ? nullptr : it->second;
}

void ToolRegistry::unloadAll() {
    ordered_.clear();
    byName_.clear();
    // Reverse load order, like destructors.
    while (!plugins_.empty()) plugins_.pop_back();
}

}  // namespace mcph::plugins
