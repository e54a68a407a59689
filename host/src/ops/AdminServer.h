#pragma once
// The admin listener: its own socket (admin.host, loopback by default, so metrics are never
// public by accident) serving
//   GET /metrics  Prometheus text exposition 0.0.4
//   GET /livez    200 while the process serves (no dependency is checked: a restart fixes nothing
//                 a dependency breaks)
//   GET /readyz   200 once plugins are loaded and the auth keys and store answer; 503 with the
//                 reason while starting or draining
//   POST /plugins/rescan  rescans plugins.dir now and answers what changed, as JSON (when the
//                 host registered the rescan: setPluginRescan)
// on a small thread pool of its own, so probes are answered even when every worker of the
// public listener is busy.
#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <functional>
#include <memory>
#include <string>

#include "ops/HostMetrics.h"
#include "ops/ServingState.h"

namespace mcph::ops {

class AdminServer {
  public:
    AdminServer(const HostMetrics& metrics, const ServingState& state);
    ~AdminServer();
    AdminServer(const AdminServer&) = delete;
    AdminServer& operator=(const AdminServer&) = delete;

    // What POST /plugins/rescan runs; returns its JSON answer. Set before start().
    void setPluginRescan(std::function<std::string()> rescan) { pluginRescan_ = std::move(rescan); }

    // Binds host:port (0: a free port) and serves; throws Poco::Exception when it cannot bind.
    void start(const std::string& host, int port);
    void stop();
    unsigned short port() const { return port_; }

  private:
    const HostMetrics& metrics_;
    const ServingState& state_;
    std::function<std::string()> pluginRescan_;
    Poco::ThreadPool threads_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    unsigned short port_ = 0;
};

}  // namespace mcph::ops
