#pragma once
// The MCP endpoint over Streamable HTTP (transports.mdx): POST carries one JSON-RPC message,
// GET opens the server-to-client SSE stream, DELETE ends a session. Transport rules live here;
// method semantics live in McpDispatcher.
#include <Poco/Net/HTTPRequestHandler.h>

#include <atomic>
#include <chrono>
#include <memory>

#include "http/OperationRecord.h"
#include "http/OriginPolicy.h"
#include "http/SseStreamHub.h"
#include "mcp/McpDispatcher.h"
#include "mcp/RequestStateKey.h"
#include "mcp/SessionRegistry.h"
#include "mcphost/auth/Authenticator.h"

namespace mcph::http {

struct EndpointServices {
    const mcp::McpDispatcher& dispatcher;
    mcp::SessionRegistry& sessions;
    auth::Authenticator& authenticator;
    const OriginPolicy& origins;
    const mcp::RequestStateKey& stateKey;  // signs the 2026-07-28 requestState
    std::size_t maxRequestBytes;
    std::chrono::milliseconds streamKeepAlive{15000};
    const std::atomic<bool>& stopping;  // set at shutdown: open streams end
    // Streams that hold a worker thread (a TLS listener's GET streams, resumed POST streams,
    // 2026-07-28 listeners): past this many, new ones get 503 so streams can never starve the
    // requests that do the work.
    int maxOpenStreams = 32;
    std::atomic<int> openStreams{0};
    // Plain-TCP GET streams live on this event loop and hold no thread; null: none do.
    SseStreamHub* hub = nullptr;
    int maxLoopStreams = 10000;  // mcp.maxStreams: past this many, 503 with Retry-After
    std::atomic<int> loopStreams{0};
    // Operation and authentication metrics; null: none are recorded.
    ops::HostMetrics* metrics = nullptr;
    PluginOfTool pluginOfTool{};  // tools/call: which plugin a tool's calls count against
};

class StreamableHttpEndpoint final : public Poco::Net::HTTPRequestHandler {
public:
    explicit StreamableHttpEndpoint(EndpointServices& services) : s_(services) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    void handlePost(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, const auth::AuthContext& auth);
    void handleGet(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, const auth::AuthContext& auth);
    void handleDelete(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, const auth::AuthContext& auth);

    // StatelessPost.cpp: the 2026-07-28 revision (no sessions; version and capabilities in
    // each request's _meta).
    static bool isStatelessRequest(const Poco::Net::HTTPServerRequest& request, const mcp::Message& message);
    void handleStatelessPost(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                             const auth::AuthContext& auth, const mcp::Message& message, bool sseOk, bool sseOnly);
    void listen(Poco::Net::HTTPServerResponse& response, const mcp::Message& message, bool sseOk);

    // 403 insufficient_scope, so the client can step up (both protocol families).
    void sendScopeChallenge(Poco::Net::HTTPServerResponse& response, const auth::AuthContext& auth, const mcp::InsufficientScope& e);

    // The session's GET stream on the event loop: head and replay written here, then the socket
    // leaves this worker thread.
    void streamOnEventLoop(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                           const std::shared_ptr<mcp::Session>& session, std::optional<std::uint64_t> resumeAfter);

    // GET with Last-Event-ID: resumes a POST response stream of the session.
    void resumeStream(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, mcp::Session& session);

    // The caller's session, or null after answering 400 (no id) / 404 (unknown, or another
    // principal's: never reveal that it exists).
    std::shared_ptr<mcp::Session> requireSession(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                                            const auth::AuthContext& auth);

    EndpointServices& s_;
};

}  // namespace mcph::http
