#include "support/TestHost.h"

namespace mcph::testing {

config::HostConfig testConfig(const std::string& pluginsDir) {
    config::HostConfig c;
    c.server.host = "127.0.0.1";
    c.server.port = 0;
    c.server.threads = 32;
    c.plugins.dir = pluginsDir;
    c.logging.level = "warning";
    return c;
}

TestHost::TestHost(config::HostConfig config) : config_(std::move(config)) {
    // Like the main listener, the admin listener takes a free port: tests run side by side.
    config_.admin.port = 0;
    report_ = pluginhost::loadPluginDirectory(config_.plugins.dir, config_.plugins.settingsJson);
    registry_ = std::make_unique<pluginhost::OfferingRegistry>(report_);
    server_ = std::make_unique<app::HostServer>(config_, *registry_);
    server_->start();
}

TestHost::~TestHost() { stop(); }

void TestHost::stop() {
    if (server_) server_->stop();
}

}  // namespace mcph::testing
