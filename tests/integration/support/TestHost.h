#pragma once
// An mcp-host running in this process on 127.0.0.1, port 0, with the plugins of a directory.
#include <memory>
#include <string>

#include "app/HostServer.h"
#include "config/HostConfig.h"
#include "pluginhost/OfferingRegistry.h"

namespace mcph::testing {

config::HostConfig testConfig(const std::string& pluginsDir);

class TestHost {
public:
    explicit TestHost(config::HostConfig config);
    ~TestHost();

    unsigned short port() const { return server_->port(); }
    app::HostServer& server() { return *server_; }
    const pluginhost::LoadReport& report() const { return report_; }
    const pluginhost::OfferingRegistry& registry() const { return *registry_; }
    void stop();

private:
    config::HostConfig config_;
    pluginhost::LoadReport report_;
    std::unique_ptr<pluginhost::OfferingRegistry> registry_;
    std::unique_ptr<app::HostServer> server_;
};

}  // namespace mcph::testing
