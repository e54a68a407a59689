#include "app/Reloader.h"

#include <Poco/Logger.h>

#include <exception>
#include <set>
#include <variant>

#include "config/ConfigLoader.h"
#include "config/EffectiveConfig.h"

namespace mcph::app {

namespace {

using auth::server::AuthorizationServerOptions;

Poco::Logger& log() { return Poco::Logger::get("mcp-host"); }

// Keys a reload applies; every other changed key waits for a restart.
const std::set<std::string> kReloadable = {"logging.level", "server.tls.certificateFile",
                                           "server.tls.privateKeyFile", "auth.users"};

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

AuthorizationServerOptions* localOptions(config::HostConfig& c) {
    auto* o = std::get_if<AuthorizationServerOptions>(&c.auth.settings);
    return o && o->isLocal() ? o : nullptr;
}

}  // namespace

Reloader::Reloader(std::string configFile, config::HostConfig running,
                   std::string defaultPluginsDir, HostServer& server)
    : configFile_(std::move(configFile)),
      running_(std::move(running)),
      defaultPluginsDir_(std::move(defaultPluginsDir)),
      server_(server) {}

void Reloader::reload() {
    try {
        config::HostConfig next = running_;
        if (!configFile_.empty()) {
            config::LoadResult loaded = config::loadConfigFile(configFile_);
            if (!loaded.ok()) {
                for (const auto& problem : loaded.errors) log().error("reload: %s", problem);
                log().error("reload: %s has problems; nothing changed, the running settings stay",
                            configFile_);
                return;
            }
            for (const auto& warning : loaded.warnings) log().warning("reload: %s", warning);
            next = std::move(loaded.config);
            if (next.plugins.dir.empty()) next.plugins.dir = defaultPluginsDir_;
        }
        int changes = 0;
        // Key names only: values may be secrets.
        const auto before = config::flattenedConfig(running_);
        const auto after = config::flattenedConfig(next);
        std::set<std::string> changed;
        for (const auto& [key, value] : before) {
            auto it = after.find(key);
            if (it == after.end() || it->second != value) changed.insert(key);
        }
        for (const auto& [key, value] : after) {
            if (!before.count(key)) changed.insert(key);
        }
        std::vector<std::string> restartOnly;
        for (const auto& key : changed) {
            if (!kReloadable.count(key)) restartOnly.push_back(key);
        }
        if (!restartOnly.empty()) {
            log().warning("reload: changed, takes effect at the next restart: %s",
                          joined(restartOnly));
        }
        if (next.logging.level != running_.logging.level) {
            Poco::Logger::root().setLevel(next.logging.level);
            Poco::Logger::setLevel("", Poco::Logger::parseLevel(next.logging.level));
            log().notice("reload: logging.level %s -> %s", running_.logging.level,
                         next.logging.level);
            running_.logging.level = next.logging.level;
            ++changes;
        }
        reloadTls(next, changes);
        reloadUsers(next, changes);
        if (pluginRescan_) changes += static_cast<int>(pluginRescan_());
        if (changes == 0) {
            log().notice(restartOnly.empty()
                             ? "reload: nothing changed"
                             : "reload: nothing changed that applies without a restart");
        }
    } catch (const std::exception& e) {
        log().error("reload failed, the running settings stay: %s", std::string(e.what()));
    }
}

void Reloader::reloadTls(const config::HostConfig& next, int& changes) {
    TlsCredentials* tls = server_.tlsCredentials();
    if (!tls || !next.server.tls.enabled()) return;  // switching TLS on or off needs a restart
    try {
        const std::string now =
            tls->reload(next.server.tls.certificateFile, next.server.tls.privateKeyFile);
        running_.server.tls = next.server.tls;
        if (now.empty()) {
            log().information("reload: TLS certificate unchanged");
        } else {
            log().notice("reload: TLS certificate replaced, new connections get %s", now);
            ++changes;
        }
    } catch (const std::exception& e) {
        log().error("reload: TLS certificate kept: %s", std::string(e.what()));
    }
}

void Reloader::reloadUsers(const config::HostConfig& next, int& changes) {
    auth::server::AuthorizationServer* server = server_.authorizationServer();
    AuthorizationServerOptions* running = localOptions(running_);
    const auto* wanted = std::get_if<AuthorizationServerOptions>(&next.auth.settings);
    if (!server || !server->isLocal() || !running || !wanted || !wanted->isLocal()) return;
    try {
        const auth::server::UsersReload r = server->reloadUsers(wanted->usersFile);
        running->usersFile = wanted->usersFile;
        if (!r.anything() && r.grantsEnded == 0 && r.grantsNarrowed == 0) {
            log().information("reload: users file %s unchanged", r.file);
            return;
        }
        std::string what;
        if (!r.added.empty()) what += "added " + joined(r.added);
        if (!r.removed.empty())
            what += (what.empty() ? "" : "; ") + std::string("removed ") + joined(r.removed);
        if (!r.changed.empty())
            what += (what.empty() ? "" : "; ") + std::string("changed ") + joined(r.changed);
        log().notice("reload: users file %s: %s; stored grants: %z ended, %z narrowed", r.file,
                     what.empty() ? std::string("no user changed") : what, r.grantsEnded,
                     r.grantsNarrowed);
        ++changes;
    } catch (const std::exception& e) {
        log().error("reload: users file kept as it was: %s", std::string(e.what()));
    }
}

}  // namespace mcph::app
