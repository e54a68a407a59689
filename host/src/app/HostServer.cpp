#include "app/HostServer.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <thread>

#include "app/AuthenticatorFactory.h"
#include "app/OpenFileLimit.h"
#include "config/ConfigLoader.h"
#include "http/AuthRouteHandler.h"
#include "http/HealthHandler.h"
#include "http/StaticJsonHandler.h"
#include "http/Router.h"
#include "pluginhost/LoadedPlugin.h"
#include "pluginhost/isolation/CallTimeouts.h"

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

// Seconds an idle keep-alive connection stays open on the plain-TCP listener.
constexpr int kKeepAliveSeconds = 60;

}  // namespace

HostServer::HostServer(const config::HostConfig& config, const pluginhost::OfferingRegistry& tools)
    : config_(config),
      tools_(tools),
      clientAddress_(config.server.trustedProxies, config.server.forwardedHeader),
      accessLog_(config.logging.accessLog),
      // The per-user cap applies to authenticated users; anonymous callers (provider "none",
      // loopback only) share the table's bound, with least-recently-used eviction of idle ones.
      sessions_(static_cast<std::size_t>(config.mcp.maxSessions), std::chrono::seconds(config.mcp.sessionIdleSeconds),
                static_cast<std::size_t>(config.mcp.maxSessionsPerUser)),
      stateKey_(config.mcp.requestStateSecret.empty() ? mcp::RequestStateKey::random()
                                                     : mcp::RequestStateKey::fromSecret(config.mcp.requestStateSecret)),
      threads_(2, config.server.threads + 1 /* the acceptor */, 60) {}

HostServer::~HostServer() {
    stop();
    pluginhost::disconnectCallTimeouts(this);
    tools_.resourceUpdates().disconnect(&sessions_);
    tools_.disconnect(&sessions_);
}

Poco::Net::ServerSocket HostServer::bind() {
    Poco::Net::SocketAddress address(config_.server.host, static_cast<Poco::UInt16>(config_.server.port));
    const int backlog = 256;
    if (config_.server.tls.enabled()) {
        Poco::Net::Context::Ptr context = tlsContext(config_.server.tls);
        // The pair is handed out per handshake, so a reload (SIGHUP) can replace it.
        tls_ = std::make_unique<TlsCredentials>(config_.server.tls.certificateFile,
                                                config_.server.tls.privateKeyFile);
        tls_->attach(context->sslContext());
        Poco::Net::SecureServerSocket socket(context);
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

void HostServer::startAdmin() {
    if (!config_.admin.enabled) return;
    admin_ = std::make_unique<ops::AdminServer>(metrics_, state_);
    admin_->setPluginRescan(pluginRescan_);
    try {
        admin_->start(config_.admin.host, config_.admin.port);
    } catch (const Poco::Exception& e) {
        admin_.reset();
        const std::string where = config_.admin.host + ":" + std::to_string(config_.admin.port);
        if (config_.admin.portRequired) {
            throw Poco::IOException("admin listener " + where + ": " + e.displayText());
        }
        // Only the default port: another program may hold it, which must not stop the host.
        Poco::Logger::get("mcp-host").warning(
            "admin listener: cannot listen on %s (%s); serving without /metrics, /livez and "
            "/readyz: set admin.port",
            where, e.displayText());
    }
}

void HostServer::observeRequests(http::Router& router) {
    observed_.reset(new http::ObservedServices{metrics_, accessLog_, state_});
    const http::ObservedServices& observed = *observed_;
    router.setWrapper([&observed](std::unique_ptr<Poco::Net::HTTPRequestHandler> handler,
                                  const std::string& route) {
        return new http::ObservedHandler(std::move(handler), route, observed);
    });
    endpoint_->metrics = &metrics_;
    endpoint_->pluginOfTool = [this](const std::string& tool) {
        const auto offerings = tools_.snapshot();
        const pluginhost::ToolSpec* spec = offerings->find(tool);
        return spec && spec->plugin ? spec->plugin->name : std::string();
    };
    pluginhost::connectCallTimeouts(this, [this](const std::string& plugin) { metrics_.pluginTimeout(plugin); });
    sessions_.onSessionEnded([this](mcp::SessionRegistry::Clock::duration lived) {
        metrics_.sessionEnded(std::chrono::duration<double>(lived).count());
    });
    metrics_.watch("mcp_host_open_sessions", "MCP sessions open now.",
                   [this] { return static_cast<double>(sessions_.size()); });
    const http::EndpointServices& endpoint = *endpoint_;
    metrics_.watch("mcp_host_open_sse_streams", "SSE streams open now (GET, resumed and listen streams).",
                   [&endpoint] { return static_cast<double>(endpoint.loopStreams.load() + endpoint.openStreams.load()); });
}

void HostServer::start() {
    startAdmin();  // first: /livez answers and /readyz says "starting" while the rest comes up
    Poco::Net::ServerSocket socket = bind();
    port_ = socket.address().port();
    publicBaseUrl_ = config_.server.publicUrl.empty()
                         ? config::derivedBaseUrl(config_.server.host, port_, config_.server.tls.enabled())
                         : config_.server.publicUrl;
    mcpUrl_ = config::canonicalMcpUrl(publicBaseUrl_, config_.mcp.path);

    auth::server::AuthorizationServerSite site{publicBaseUrl_, mcpUrl_, {}, &authEvents_};
    for (const auto* tool : tools_.snapshot()->tools()) {
        for (const auto& scope : tool->requiredScopes) site.toolScopes.push_back(scope);
    }
    auth_ = makeAuthSetup(config_.auth, site);
    mcp::ServerIdentity identity;
    identity.version = MCPH_VERSION;
    tools_.resourceUpdates().connect(&sessions_);  // plugins' resource updates reach the sessions
    // ... and so do changes of what is served (list_changed notifications).
    tools_.connect(&sessions_);
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
    // Under the public URL's path: a reverse proxy at https://example.com/tools passes
    // /tools/mcp on as it is, like the OAuth routes under the same base.
    router->addPath(config::publicBasePath(publicBaseUrl_) + config_.mcp.path,
                    [&services] { return new http::StreamableHttpEndpoint(services); });
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
        // A shared store that cannot serve makes this instance unready, so a balancer that
        // probes /readyz sends the requests that need it elsewhere.
        auth::server::AuthorizationServer* authServer = auth_.authorizationServer.get();
        state_.addCheck("auth store", [authServer] { return authServer->storeProblem(); });
        sweeper_ = std::make_unique<Poco::Timer>(60'000, 600'000);
        sweeper_->start(Poco::TimerCallback<HostServer>(*this, &HostServer::sweepAuthStore));
    }

    routePaths_ = router->paths();
    observeRequests(*router);

    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(config_.server.threads);
    params->setMaxQueued(config_.server.maxQueued);
    params->setKeepAlive(true);
    params->setTimeout(Poco::Timespan(10, 0));
    params->setServerName("mcp-host");
    // The socket listens already: connections from now on wait in its backlog.
    state_.set(ops::ServingState::Phase::Ready);
    if (config_.server.tls.enabled()) {
        // TLS: Poco's HTTPServer, a worker thread per connection (EventDrivenHttpServer.h says
        // why), so idle clients are dropped quickly; large deployments terminate TLS at a proxy.
        params->setKeepAliveTimeout(Poco::Timespan(5, 0));
        tlsListener_ = socket;  // the same socket: a drain closes it
        server_ = std::make_unique<Poco::Net::HTTPServer>(router, threads_, socket, params);
        server_->start();
        return;
    }
    // Plain TCP: an idle keep-alive connection costs a socket, not a thread, so it may stay
    // open as long as clients expect (their pools keep connections for seconds to minutes).
    params->setKeepAliveTimeout(Poco::Timespan(kKeepAliveSeconds, 0));
    http::EventDrivenHttpServerOptions options;
    options.workerThreads = config_.server.threads;
    options.maxConnections = connectionCapacity(openFiles, streams);
    options.params = params;
    eventServer_ = std::make_unique<http::EventDrivenHttpServer>(
        Poco::Net::HTTPRequestHandlerFactory::Ptr(router), socket, options);
    eventServer_->start();
}

void HostServer::sweepAuthStore(Poco::Timer& /*timer*/) {
    try {
        auth_.authorizationServer->sweep();
    } catch (const std::exception& e) {
        Poco::Logger::get("mcp-host.auth").warning("auth store sweep failed: %s", std::string(e.what()));
    }
}

bool HostServer::waitForRequestsInFlight(std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (metrics_.requestsInFlight().value() > 0) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

void HostServer::stop() {
    if ((!server_ && !eventServer_) || stopping_.exchange(true)) {
        if (admin_) admin_->stop();
        return;
    }
    state_.set(ops::ServingState::Phase::Draining);  // /readyz and /healthz answer 503
    // New connections are refused at once rather than left waiting in the backlog of a socket
    // nobody accepts from: a balancer or client moves on at once.
    if (eventServer_) eventServer_->stopAccepting();
    if (server_) {
        server_->stop();        // the acceptor thread ends (within its 250 ms poll)...
        tlsListener_.close();   // ... and Poco would keep the socket open until destroyed
    }
    if (sweeper_) sweeper_->stop();
    sessions_.closeAll();      // GET streams end (their final chunk is queued)
    if (hub_) hub_->endAll();  // ... and the event loop sees each one out
    const bool drained = waitForRequestsInFlight(std::chrono::seconds(config_.server.drainSeconds));
    if (!drained) {
        Poco::Logger::get("mcp-host").warning(
            "drain: " + std::to_string(metrics_.requestsInFlight().value()) +
            " requests still running after server.drainSeconds (" +
            std::to_string(config_.server.drainSeconds) + " s); closing their connections");
    }
    if (eventServer_) eventServer_->stop();  // idle connections close; workers finish
    if (server_) {
        server_->stopAll(!drained);  // past the limit: connections in flight are shut down
        threads_.joinAll();          // connection threads are done
        server_.reset();
    }
    if (admin_) admin_->stop();
}

}  // namespace mcph::app
