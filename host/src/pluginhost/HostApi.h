#pragma once
// The mcph_host_api table the host hands to each plugin. Every plugin gets its own block so
// the log callback knows whose line it is writing.
#include <mcphost/plugin.h>

#include <string>

namespace mcph::pluginhost {

class ResourceUpdateRelay;
class ToolChangeRelay;

// Standard layout with the table first: `log` and `resource_updated` recover the block from
// the table pointer.
struct HostApiBlock {
    mcph_host_api api;
    char pluginName[72];
    ResourceUpdateRelay* resourceUpdates;  // shared by the plugins of one load
    ToolChangeRelay* toolChanges;          // add_tool / remove_tool (1.2); may be null
};

// Fills `block` with the host's implementation of the ABI for the named plugin. `updates` and
// `toolChanges` must outlive the plugin.
void initHostApiBlock(HostApiBlock& block, const std::string& pluginName, ResourceUpdateRelay* updates,
                      ToolChangeRelay* toolChanges = nullptr);

}  // namespace mcph::pluginhost
