#pragma once
// Where a plugin call that ran out of time is reported: a warning in the log and the
// mcp_host_plugin_timeouts_total counter. One listener per process (the server connects its
// metrics); the plugin layer knows nothing of metrics otherwise.
#include <functional>
#include <string>

namespace mcph::pluginhost {

// `owner` identifies the listener: disconnecting is a no-op unless it is still the one connected
// (two servers in one process, as in the tests, each connect and disconnect in turn).
void connectCallTimeouts(const void* owner,
                         std::function<void(const std::string& plugin)> listener);
void disconnectCallTimeouts(const void* owner);
void reportCallTimeout(const std::string& plugin, const std::string& call, double seconds);

}  // namespace mcph::pluginhost
