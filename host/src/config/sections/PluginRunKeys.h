#pragma once
#include <Poco/JSON/Object.h>

#include "config/reader/ObjectReader.h"
#include "pluginhost/isolation/RunPolicy.h"

namespace mcph::config {

// Reads plugins.isolation, callTimeoutSeconds, limits and overrides into `out`.
void readPluginRunKeys(ObjectReader& plugins, pluginhost::RunPolicy& out);
// The same keys as --print-config shows them (every default filled in; limits 0: none).
void writePluginRunKeys(const pluginhost::RunPolicy& run, Poco::JSON::Object& plugins);

}  // namespace mcph::config
