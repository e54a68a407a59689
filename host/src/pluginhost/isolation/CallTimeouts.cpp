#include "pluginhost/isolation/CallTimeouts.h"

#include <Poco/Logger.h>

#include <mutex>

namespace mcph::pluginhost {
namespace {

std::mutex listenerMutex;
std::function<void(const std::string&)> timeoutListener;
const void* listenerOwner = nullptr;

}  // namespace

void connectCallTimeouts(const void* owner,
                         std::function<void(const std::string& plugin)> listener) {
    std::lock_guard<std::mutex> lock(listenerMutex);
    listenerOwner = owner;
    timeoutListener = std::move(listener);
}

void disconnectCallTimeouts(const void* owner) {
    std::lock_guard<std::mutex> lock(listenerMutex);
    if (listenerOwner != owner) return;
    listenerOwner = nullptr;
    timeoutListener = nullptr;
}

void reportCallTimeout(const std::string& plugin, const std::string& call, double seconds) {
    Poco::Logger::get("mcp-host.plugins")
        .warning("plugin %s: \"%s\" did not return within %.0f s; answered with a timeout error",
                 plugin, call, seconds);
    std::lock_guard<std::mutex> lock(listenerMutex);
    if (timeoutListener) timeoutListener(plugin);
}

}  // namespace mcph::pluginhost
