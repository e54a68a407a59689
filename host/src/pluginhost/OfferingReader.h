#pragma once
// Reads the 1.1 part of a plugin descriptor (resources, templates, prompts, completion) into
// the plugin's specs. A plugin built against 1.0 has none: its descriptor ends before them.
#include <string>
#include <vector>

#include "pluginhost/LoadedPlugin.h"

namespace mcph::pluginhost {

struct LoadProblem;

// Appends each refused item's reason to `problems`; the rest are kept.
void readOfferings(LoadedPlugin& plugin, std::vector<LoadProblem>& problems);

}  // namespace mcph::pluginhost
