#include "config/StateDirectory.h"

#include <filesystem>
#include <system_error>
#include <variant>

namespace mcph::config {

namespace fs = std::filesystem;

std::string stateDirectory(const std::string& configured, const EnvLookup& env) {
    if (std::optional<std::string> fromSystemd = env("STATE_DIRECTORY")) {
        const std::string first = fromSystemd->substr(0, fromSystemd->find(':'));
        if (!first.empty()) {
            std::error_code ec;
            return fs::absolute(fs::path(first), ec).lexically_normal().string();
        }
    }
    if (!configured.empty()) return configured;
    std::error_code ec;
    return (fs::current_path(ec) / "var").lexically_normal().string();
}

void applyStateDirectory(HostConfig& config, const EnvLookup& env) {
    config.server.stateDir = stateDirectory(config.server.stateDir, env);
    if (auto* server =
            std::get_if<auth::server::AuthorizationServerOptions>(&config.auth.settings)) {
        if (server->storeFile.empty()) {
            server->storeFile = (fs::path(config.server.stateDir) / "mcp-host-auth.db").string();
        }
    }
}

}  // namespace mcph::config
