#pragma once
// The running server: HTTP(S) listener, router, MCP endpoint and their shared state, built
// from a validated config and a tool registry. Used by the application and, in-process, by the
// integration tests.
#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timer.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "app/AuthenticatorFactory.h"
#include "config/HostConfig.h"
#include "http/ClientAddress.h"
#include "http/OriginPolicy.h"
#include "mcp/McpDispatcher.h"
#include "mcp/SessionRegistry.h"
#include "http/StreamableHttpEndpoint.h"
#include "mcphost/auth/Authenticator.h"
#include "pluginhost/OfferingRegistry.h"

namespace mcph::app {

class HostServer {
public:
    HostServer(const config::HostConfig& config, const pluginhost::OfferingRegistry& tools);
    ~HostServer();
    HostServer(const HostServer&) = delete;
    HostServer& operator=(const HostServer&) = delete;

    // Binds and starts serving; throws Poco::Exception when the address cannot be bound.
    void start();
    // Graceful stop: open streams end, no new connections, requests in flight finish.
    void stop();

    unsigned short port() const { return port_; }
    const std::string& publicBaseUrl() const { return publicBaseUrl_; }
    const std::string& mcpUrl() const { return mcpUrl_; }
    std::size_t sessionCount() const { return sessions_.size(); }
    // Every path the router serves (for tests that must cover each route).
    const std::vector<std::string>& routePaths() const { return routePaths_; }

private:
    Poco::Net::ServerSocket bind();
    void sweepAuthStore(Poco::Timer& timer);

    const config::HostConfig config_;
    const pluginhost::OfferingRegistry& tools_;
    const http::ClientAddress clientAddress_;  // who a request is from, behind trusted proxies too
    std::atomic<bool> stopping_{false};
    mcp::SessionRegistry sessions_;
    const mcp::RequestStateKey stateKey_;
    AuthSetup auth_;
    std::string resourceMetadataJson_;
    std::unique_ptr<mcp::McpDispatcher> dispatcher_;
    std::unique_ptr<http::OriginPolicy> origins_;
    std::unique_ptr<http::EndpointServices> endpoint_;
    std::unique_ptr<http::SseStreamHub> hub_;  // after endpoint_: destroyed first (its callbacks use it)
    Poco::ThreadPool threads_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    std::vector<auth::server::AuthRoute> authRoutes_;  // the handlers refer to them
    std::unique_ptr<Poco::Timer> sweeper_;  // proxy mode: expired codes, tokens and registrations
    unsigned short port_ = 0;
    std::string publicBaseUrl_;
    std::string mcpUrl_;
    std::vector<std::string> routePaths_;
};

}  // namespace mcph::app
