#pragma once
// Checks what a plugin hands over before the host trusts any of it: sizes, magic, names,
// schemas. Pure functions over the C descriptors; each problem comes back as one sentence.
#include <mcphost/plugin.h>

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "pluginhost/ToolSpec.h"

namespace mcph::pluginhost {

// The sizes of the 1.0 structs: the smallest a plugin may hand us.
constexpr std::size_t kPluginSizeV1_0 = offsetof(mcph_plugin, tool_count) + sizeof(size_t);
constexpr std::size_t kToolSizeV1_0 = offsetof(mcph_tool, tool_data) + sizeof(void*);
constexpr std::size_t kAnnotationsSizeV1_0 = offsetof(mcph_tool_annotations, open_world_hint) + sizeof(int32_t);

// A bounded strlen: a plugin's string without a NUL must not send us reading forever. NULL
// reads as "", more than `max` bytes as nullopt.
std::optional<std::string> boundedString(const char* s, std::size_t max);

bool isValidToolName(std::string_view name);    // 1-128 of [A-Za-z0-9_.-]
bool isValidPluginName(std::string_view name);  // 1-64 of [a-z0-9_-]
bool isValidScopeToken(std::string_view scope); // RFC 6749 scope-token

// Problems with the plugin descriptor itself (before init); nullopt when acceptable.
std::optional<std::string> checkPluginDescriptor(const mcph_plugin* plugin);

// Reads tool `index` of an initialized plugin, stepping by the plugin's own struct_size so a
// plugin built against an older minor (smaller mcph_tool) is read correctly.
const mcph_tool* toolAt(const mcph_plugin* plugin, std::size_t index);

// Copies and validates one tool descriptor; a string is the reason it was refused.
std::variant<ToolSpec, std::string> readTool(const mcph_tool* tool);

}  // namespace mcph::pluginhost
