#include "plugins/LoadedPlugin.h"

namespace mcph::plugins {

LoadedPlugin::~LoadedPlugin() {
    // Tools refer into the library's memory: drop them before the library goes.
    tools.clear();
    resources.clear();
    resourceTemplates.clear();
    prompts.clear();
    if (descriptor && descriptor->shutdown) descriptor->shutdown(state);
    descriptor = nullptr;
}

}  // namespace mcph::plugins
