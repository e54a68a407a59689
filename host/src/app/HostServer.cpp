#include "app/HostServer.h"

#include <Poco/Logger.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include "app/AuthenticatorFactory.h"
#include "app/OpenFileLimit.h"
#include "config/ConfigLoader.h"
#include "http/AuthRouteHandler.h"
#include "http/HealthHandler.h"
#include "http/StaticJsonHandler.h"
#include "http/Router.h"

namespace mcph::app {
namespace {

Poco::Net::Context::Ptr tlsContext(const config::TlsConfig& tls) {
    Poco::Net::Context::Params params;
    params.privateKeyFile = tls.privateKeyFile;
    params.certificateFile = tls.certificateFile;
    params.verificationMode = Poco::Net::Context::VERIFY_NONE;  // clients authenticate with OAuth, not certificates
    params.cipherList = "HIGH:!aNULL:!MD5:!RC4";
    Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
    ctx->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                          Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
    return ctx;
}

}  // namespace

HostServer::HostServer(const config::HostConfig& config, const pluginhost::OfferingRegistry& tools)
    : config_(config),
      tools_(tools),
      clientAddress_(config.server.trustedProxies, config.server.forwardedHeader),
      // The per-user cap applies to authenticated users; anonymous callers (provider "none",
      // loopback only) share the table's bound, with least-recently-used eviction of idle ones.
      sessions_(static_cast<std::size_t>(config.mcp.maxSessions), std::chrono::seconds(config.mcp.sessionIdleSeconds),
                static_cast<std::size_t>(config.mcp.maxSessionsPerUser)),
      stateKey_(config.mcp.requestStateSecret.empty() ? mcp::RequestStateKey::random()
                                                     : mcp::RequestStateKey::fromSecret(config.mcp.requestStateSecret)),
      threads_(2, config.server.threads + 1 /* the acceptor */, 60) {}

HostServer::~HostServer() {
    stop();
    tools_.resourceUpdates().disconnect(&sessions_);
}

Poco::Net::ServerSocket HostServer::bind() {
    Poco::Net::SocketAddress address(config_.server.host, static_cast<Poco::UInt16>(config_.server.port));
    const int backlog = 256;
    if (config_.server.tls.enabled()) {
        Poco::Net::SecureServerSocket socket(tlsContext(config_.server.tls));
        socket.bind(address, true, false);  // SO_REUSEADDR only (see below)
        socket.listen(backlog);
        return socket;
    }
    Poco::Net::ServerSocket socket;
    // SO_REUSEADDR (a restart may bind while old connections sit in TIME_WAIT) but never
    // SO_REUSEPORT, which Poco's bind(address, true) also sets: with it a second instance on the
    // same port would start "successfully" and silently share the traffic, instead of failing
    // with "address in use".
    socket.bind(address, true, false);
    socket.listen(backlog);
    return socket;
}

void HostServer::start() {
    Poco::Net::ServerSocket socket = bind();
    port_ = socket.address().port();
    publicBaseUrl_ = config_.server.publicUrl.empty()
                         ? config::derivedBaseUrl(config_.server.host, port_, config_.server.tls.enabled())
                         : config_.server.publicUrl;
    mcpUrl_ = config::canonicalMcpUrl(publicBaseUrl_, config_.mcp.path);

    auth::server::AuthorizationServerSite site{publicBaseUrl_, mcpUrl_, {}};
    for (const auto* tool : tools_.tools()) {
        for (const auto& scope : tool->requiredScopes) site.toolScopes.push_back(scope);
    }
    auth_ = makeAuthSetup(config_.auth, site);
    mcp::ServerIdentity identity;
    identity.version = MCPH_VERSION;
    tools_.resourceUpdates().connect(&sessions_);  // plugins' resource updates reach the sessions
    dispatcher_ = std::make_unique<mcp::McpDispatcher>(tools_, pluginhost::ToolInvoker(), identity,
                                                        static_cast<std::size_t>(config_.mcp.pageSize));
    origins_ = std::make_unique<http::OriginPolicy>(config_.mcp.allowedOrigins, publicBaseUrl_,
                                                    config::isLoopbackHost(config_.server.host));
    // Built in place: it holds an atomic counter, so it cannot be moved.
    endpoint_.reset(new http::EndpointServices{*dispatcher_, sessions_, *auth_.authenticator, *origins_, stateKey_,
                                              config_.mcp.maxRequestBytes,
                                              std::chrono::seconds(config_.mcp.sseHeartbeatSeconds), stopping_});
    // Streams that hold a worker: half the workers at most; none on a pool so small that one
    // stream would stall it.
    endpoint_->maxOpenStreams = config_.server.threads >= 4 ? config_.server.threads / 2 : 0;
    // GET streams on plain TCP hold no thread: the event loop has them, bounded by the
    // open-file limit (raised to its hard limit first) and mcp.maxStreams.
    http::SseStreamHubOptions hubOptions;
    hubOptions.heartbeat = std::chrono::seconds(config_.mcp.sseHeartbeatSeconds);
    hubOptions.maxBufferedBytes = config_.mcp.streamBufferBytes;
    hub_ = std::make_unique<http::SseStreamHub>(hubOptions);
    endpoint_->hub = hub_.get();
    const std::size_t openFiles = raiseOpenFileLimit();
    const std::size_t streams = streamCapacity(static_cast<std::size_t>(config_.mcp.maxStreams), openFiles);
    endpoint_->maxLoopStreams = static_cast<int>(streams);
    auto& log = Poco::Logger::get("mcp-host");
    if (streams < static_cast<std::size_t>(config_.mcp.maxStreams) && !config_.server.tls.enabled()) {
        log.warning("open-file limit %z allows %z open streams, below mcp.maxStreams (%d): raise LimitNOFILE",
                    openFiles, streams, config_.mcp.maxStreams);
    } else {
        log.information("up to %z open streams (open-file limit %z)", streams, openFiles);
    }

    auto* router = new http::Router(config_.mcp.maxRequestBytes);  // owned by the HTTPServer
    http::EndpointServices& services = *endpoint_;
    router->addPath(config_.mcp.path, [&services] { return new http::StreamableHttpEndpoint(services); });
    router->addPath("/healthz", [this] { return new http::HealthHandler(stopping_); });
    if (auth_.resourceMetadata) {
        // RFC 9728: path-inserted for our resource, and at the root for clients that look there.
        resourceMetadataJson_ = auth_.resourceMetadata->toJson();
        const std::string& doc = resourceMetadataJson_;
        router->addPath(auth_.wellKnown->pathInserted, [&doc] { return new http::StaticJsonHandler(doc); });
        router->addPath(auth_.wellKnown->root, [&doc] { return new http::StaticJsonHandler(doc); });
    }
    if (auth_.authorizationServer) {
        authRoutes_ = auth_.authorizationServer->routes();
        for (const auto& route : authRoutes_) {
            router->addPath(route.path, [this, &route] { return new http::AuthRouteHandler(route, clientAddress_); });
        }
        sweeper_ = std::make_unique<Poco::Timer>(60'000, 600'000);
        sweeper_->start(Poco::TimerCallback<HostServer>(*this, &HostServer::sweepAuthStore));
    }

    routePaths_ = router->paths();

    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(config_.server.threads);
    params->setMaxQueued(config_.server.maxQueued);
    params->setKeepAlive(true);
    // Each connection holds a worker thread (Poco's model), so idle and stalled clients are
    // dropped quickly; internet-facing deployments belong behind a buffering proxy (README).
    params->setKeepAliveTimeout(Poco::Timespan(5, 0));
    params->setTimeout(Poco::Timespan(10, 0));
    params->setServerName("mcp-host");
    server_ = std::make_unique<Poco::Net::HTTPServer>(router, threads_, socket, params);
    server_->start();
}

void HostServer::sweepAuthStore(Poco::Timer& /*timer*/) {
    try {
        auth_.authorizationServer->sweep();
    } catch (const std::exception& e) {
        Poco::Logger::get("mcp-host.auth").warning("auth store sweep failed: %s", std::string(e.what()));
    }
}

void HostServer::stop() {
    if (!server_ || stopping_.exchange(true)) return;
    if (sweeper_) sweeper_->stop();
    sessions_.closeAll();      // GET streams end (their final chunk is queued)
    if (hub_) hub_->endAll();  // ... and the event loop sees each one out
    server_->stopAll(false);   // no new connections; waits for each request in flight
    threads_.joinAll();        // connection threads are done
    server_.reset();
}

}  // namespace mcph::app
