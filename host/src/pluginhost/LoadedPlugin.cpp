#include "pluginhost/LoadedPlugin.h"

namespace mcph::pluginhost {

LoadedPlugin::~LoadedPlugin() {
    // Tools refer into the library's memory: drop them before the library goes.
    tools.clear();
    resources.clear();
    resourceTemplates.clear();
    prompts.clear();
    if (descriptor && descriptor->shutdown) descriptor->shutdown(state);
    descriptor = nullptr;
}

}  // namespace mcph::pluginhost
