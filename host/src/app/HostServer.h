#pragma once
// The running server: HTTP(S) listener, router, MCP endpoint and their shared state, built
// from a validated config and a tool registry. Used by the application and, in-process, by the
// integration tests.
#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timer.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/AuthMetricsEvents.h"
#include "app/AuthenticatorFactory.h"
#include "app/TlsCredentials.h"
#include "config/HostConfig.h"
#include "http/ClientAddress.h"
#include "http/EventDrivenHttpServer.h"
#include "http/ObservedHandler.h"
#include "http/OriginPolicy.h"
#include "http/Router.h"
#include "mcp/McpDispatcher.h"
#include "mcp/SessionRegistry.h"
#include "http/StreamableHttpEndpoint.h"
#include "mcphost/auth/Authenticator.h"
#include "ops/AccessLog.h"
#include "ops/AdminServer.h"
#include "ops/HostMetrics.h"
#include "ops/ServingState.h"
#include "pluginhost/OfferingRegistry.h"

namespace mcph::app {

class HostServer {
public:
    HostServer(const config::HostConfig& config, const pluginhost::OfferingRegistry& tools);
    ~HostServer();
    HostServer(const HostServer&) = delete;
    HostServer& operator=(const HostServer&) = delete;

    // What the admin listener's POST /plugins/rescan runs (answers its JSON). Before start().
    void setPluginRescan(std::function<std::string()> rescan) { pluginRescan_ = std::move(rescan); }

    // Binds and starts serving; throws Poco::Exception when the address cannot be bound.
    void start();
    // Graceful stop (drain): the listener closes at once (new connections are refused),
    // readiness turns to draining, open streams end, requests in flight get up to
    // server.drainSeconds to finish; then their connections are closed.
    void stop();

    unsigned short port() const { return port_; }
    const std::string& publicBaseUrl() const { return publicBaseUrl_; }
    const std::string& mcpUrl() const { return mcpUrl_; }
    std::size_t sessionCount() const { return sessions_.size(); }
    // Request connections open on the plain-TCP listener (idle or busy; streams not counted).
    std::size_t connectionCount() const { return eventServer_ ? eventServer_->connectionCount() : 0; }
    // The admin listener's port (/metrics, /livez, /readyz); 0 when it is not running.
    unsigned short adminPort() const { return admin_ ? admin_->port() : 0; }
    ops::HostMetrics& metrics() { return metrics_; }
    const ops::ServingState& servingState() const { return state_; }
    // For a reload (SIGHUP): the listener's certificate (null without TLS) and the host's own
    // authorization server (null unless it is one).
    TlsCredentials* tlsCredentials() { return tls_.get(); }
    auth::server::AuthorizationServer* authorizationServer() {
        return auth_.authorizationServer.get();
    }
    // Every path the router serves (for tests that must cover each route).
    const std::vector<std::string>& routePaths() const { return routePaths_; }

private:
    Poco::Net::ServerSocket bind();
    void sweepAuthStore(Poco::Timer& timer);
    void startAdmin();
    void observeRequests(http::Router& router);
    bool waitForRequestsInFlight(std::chrono::seconds limit);

    const config::HostConfig config_;
    const pluginhost::OfferingRegistry& tools_;
    const http::ClientAddress clientAddress_;  // who a request is from, behind trusted proxies too
    ops::HostMetrics metrics_;  // before everything that records into it
    ops::ServingState state_;
    const ops::AccessLog accessLog_;
    AuthMetricsEvents authEvents_{metrics_};  // the auth libraries' events, into metrics_
    std::unique_ptr<http::ObservedServices> observed_;
    std::atomic<bool> stopping_{false};
    mcp::SessionRegistry sessions_;
    const mcp::RequestStateKey stateKey_;
    AuthSetup auth_;
    std::string resourceMetadataJson_;
    std::unique_ptr<mcp::McpDispatcher> dispatcher_;
    std::unique_ptr<http::OriginPolicy> origins_;
    std::unique_ptr<http::EndpointServices> endpoint_;
    std::unique_ptr<http::SseStreamHub> hub_;  // after endpoint_: destroyed first (its callbacks use it)
    std::unique_ptr<TlsCredentials> tls_;  // before the listeners: outlives their handshakes
    Poco::ThreadPool threads_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;               // TLS listener
    std::unique_ptr<http::EventDrivenHttpServer> eventServer_;  // plain-TCP listener
    Poco::Net::ServerSocket tlsListener_;  // closed at the start of a drain
    std::vector<auth::server::AuthRoute> authRoutes_;  // the handlers refer to them
    std::unique_ptr<Poco::Timer> sweeper_;  // proxy mode: expired codes, tokens and registrations
    unsigned short port_ = 0;
    std::string publicBaseUrl_;
    std::string mcpUrl_;
    std::vector<std::string> routePaths_;
    std::function<std::string()> pluginRescan_;
    std::unique_ptr<ops::AdminServer> admin_;  // last: stops first, reads metrics_ and state_
};

}  // namespace mcph::app
