#pragma once
// The mcph_host_api table the host hands to each plugin. Every plugin gets its own block so
// the log callback knows whose line it is writing.
#include <mcphost/plugin.h>

#include <string>

namespace mcph::pluginhost {

class ResourceUpdateRelay;

// Standard layout with the table first: `log` and `resource_updated` recover the block from
// the table pointer.
struct HostApiBlock {
    mcph_host_api api;
    char pluginName[72];
    ResourceUpdateRelay* resourceUpdates;  // shared by the plugins of one load
};

// Fills `block` with the host's implementation of ABI 1.1 for the named plugin. `updates` must
// outlive the plugin.
void initHostApiBlock(HostApiBlock& block, const std::string& pluginName, ResourceUpdateRelay* updates);

}  // namespace mcph::pluginhost
