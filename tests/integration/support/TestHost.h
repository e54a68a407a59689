#pragma once
// An mcp-host running in this process on 127.0.0.1, port 0, with the plugins of a directory.
#include <memory>
#include <string>

#include "app/HostServer.h"
#include "config/HostConfig.h"
#include "plugins/ToolRegistry.h"

namespace mcph::testing {

config::HostConfig testConfig(const std::string& pluginsDir);

class TestHost {
public:
    explicit TestHost(config::HostConfig config);
    ~TestHost();

    unsigned short port() const { return server_->port(); }
    app::HostServer& server() { return *server_; }
    const plugins::LoadReport& report() const { return report_; }
    const plugins::ToolRegistry& registry() const { return *registry_; }
    void stop();

private:
    config::HostConfig config_;
    plugins::LoadReport report_;
    std::unique_ptr<plugins::ToolRegistry> registry_;
    std::unique_ptr<app::HostServer> server_;
};

}  // namespace mcph::testing
