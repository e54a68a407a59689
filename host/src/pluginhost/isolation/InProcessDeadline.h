#pragma once
// The call timeout for plugins in the host's own process, as far as a thread allows: the call
// runs on a helper thread; when its time is up is_cancelled turns true, and after a grace period
// the caller is answered with a timeout error while the helper thread runs on. What cannot be
// reclaimed: that thread, its stack and whatever the plugin holds, until the plugin returns (the
// plugin stays loaded meanwhile). Progress, log and input requests made after the answer are
// dropped.
#include <memory>
#include <string>

#include "mcphost/auth/AuthContext.h"
#include "pluginhost/ToolResult.h"

namespace mcph::pluginhost {

struct LoadedPlugin;

mcph_status invokeWithDeadline(std::shared_ptr<LoadedPlugin> plugin, mcph_invoke_fn fn,
                               const std::string& name, void* data,
                               const std::string& argumentsJson, const auth::AuthContext& auth,
                               double timeoutSeconds, mcph_result& result);

}  // namespace mcph::pluginhost
