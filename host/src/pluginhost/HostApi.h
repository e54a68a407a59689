#pragma once
// The mcph_host_api table the host hands to each plugin. Every plugin gets its own block so
// the log callback knows whose line it is writing.
#include <mcphost/plugin.h>

#include <string>

namespace mcph::pluginhost {

// Standard layout with the table first: `log` recovers the block from the table pointer.
struct HostApiBlock {
    mcph_host_api api;
    char pluginName[72];
};

// Fills `block` with the host's implementation of ABI 1.1 for the named plugin.
void initHostApiBlock(HostApiBlock& block, const std::string& pluginName);

}  // namespace mcph::pluginhost
