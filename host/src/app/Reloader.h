#pragma once
// What SIGHUP does: reads the config file again and applies what can change without a restart
// (logging.level, the TLS certificate and key, the `local` users file, then the rescan of
// plugins.dir), logs each change or "nothing changed", and names the changed keys that wait for a
// restart. A file that no longer validates changes nothing: its problems are logged and the
// running settings stay.
#include <functional>
#include <string>

#include "app/HostServer.h"
#include "config/HostConfig.h"

namespace mcph::app {

class Reloader {
  public:
    // `configFile`: "" when the host runs on its embedded defaults (then only the users file
    // is read again). `defaultPluginsDir` fills plugins.dir as at start.
    Reloader(std::string configFile, config::HostConfig running, std::string defaultPluginsDir,
             HostServer& server);

    // Called on every reload after the rest (LivePluginDirectory's rescan); returns how many
    // plugins it added, replaced or removed.
    void setPluginRescan(std::function<std::size_t()> rescan) { pluginRescan_ = std::move(rescan); }

    // Never throws: every failure is a log line and the running settings stay.
    void reload();

  private:
    void reloadUsers(const config::HostConfig& next, int& changes);
    void reloadTls(const config::HostConfig& next, int& changes);

    const std::string configFile_;
    config::HostConfig running_;  // what is in effect, restart-only keys as at start
    const std::string defaultPluginsDir_;
    HostServer& server_;
    std::function<std::size_t()> pluginRescan_;
};

}  // namespace mcph::app
