#include "http/StreamableHttpEndpoint.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>

#include "http/AuthOutcome.h"
#include "http/HttpUtil.h"
#include "mcp/ProtocolVersion.h"
#include "http/RequestChannel.h"
#include "http/SseWriter.h"

namespace mcph::http {

using namespace mcph::mcp;

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

namespace {

constexpr const char* kSessionHeader = "Mcp-Session-Id";
constexpr const char* kVersionHeader = "MCP-Protocol-Version";
// JSON-RPC codes the TypeScript SDK uses for transport-level refusals.
constexpr int kTransportError = -32000;
constexpr int kSessionNotFound = -32001;

void allowCrossOrigin(HTTPServerResponse& response, const std::string& origin) {
    response.set("Access-Control-Allow-Origin", origin);
    response.set("Vary", "Origin");
    // A browser client must be able to read the challenge and the session id.
    response.set("Access-Control-Expose-Headers", "WWW-Authenticate, Mcp-Session-Id, Mcp-Protocol-Version");
}

void sendChallenge(HTTPServerResponse& response, const auth::AuthDecision& decision) {
    if (!decision.wwwAuthenticate.empty()) response.set("WWW-Authenticate", decision.wwwAuthenticate);
    if (decision.httpStatus == 503) response.set("Retry-After", "30");  // our authorization server is unreachable
    const auto status = static_cast<HTTPResponse::HTTPStatus>(decision.httpStatus);
    http::sendRpcError(response, status, kTransportError,
                       decision.errorDescription.empty() ? std::string("Unauthorized") : decision.errorDescription);
}

void sendTooManyStreams(HTTPServerResponse& response) {
    response.set("Retry-After", "30");
    http::sendRpcError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, kTransportError,
                       "Service Unavailable: too many open streams");
}

// A session's GET stream as the event loop holds it.
class ConnectionSink final : public StreamSink {
public:
    explicit ConnectionSink(std::shared_ptr<SseConnection> connection) : connection_(std::move(connection)) {}
    bool deliver(const std::string& eventId, const std::string& data) override {
        return connection_->send(SseWriter::eventText(eventId, data));
    }
    void end() override { connection_->end(); }

private:
    std::shared_ptr<SseConnection> connection_;
};

// Writes one JSON-RPC reply as JSON or as a one-event SSE stream, as the client asked.
void sendReply(HTTPServerResponse& response, bool asSse, const std::string& body) {
    if (!asSse) {
        http::sendJson(response, HTTPResponse::HTTP_OK, body);
        return;
    }
    SseWriter sse(response);
    sse.event(body);
}

}  // namespace

void StreamableHttpEndpoint::handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) {
    try {
        if (!s_.origins.hostAllowed(request.getHost())) {
            http::sendRpcError(response, HTTPResponse::HTTP_FORBIDDEN, kTransportError, "Forbidden: Host not allowed");
            return;
        }
        const std::string origin = request.get("Origin", "");
        if (!s_.origins.originAllowed(origin)) {
            http::sendRpcError(response, HTTPResponse::HTTP_FORBIDDEN, kTransportError, "Forbidden: Origin not allowed");
            return;
        }
        // CORS only ever answers for an origin the check above already allowed, so it cannot
        // open the endpoint to a page the Origin check refuses.
        if (!origin.empty()) allowCrossOrigin(response, origin);
        const std::string& method = request.getMethod();
        if (method == "OPTIONS" && !origin.empty()) {
            response.set("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
            response.set("Access-Control-Allow-Headers",
                         "authorization, content-type, accept, mcp-protocol-version, mcp-session-id, last-event-id, "
                         "mcp-method, mcp-name");
            response.set("Access-Control-Max-Age", "600");
            response.setStatusAndReason(HTTPResponse::HTTP_NO_CONTENT);
            response.send();
            return;
        }
        if (method != "POST" && method != "GET" && method != "DELETE") {
            response.set("Allow", "GET, POST, DELETE, OPTIONS");
            http::sendRpcError(response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, kTransportError, "Method not allowed");
            return;
        }
        // A POST without a session may be a stateless (2026-07-28) request: its version is
        // checked against its _meta there, with that revision's errors.
        const bool maybeStateless = method == "POST" && !request.has(kSessionHeader);
        if (request.has(kVersionHeader) && !isSupportedProtocolVersion(request.get(kVersionHeader)) && !maybeStateless) {
            http::sendRpcError(response, HTTPResponse::HTTP_BAD_REQUEST, kTransportError,
                               "Bad Request: unsupported MCP-Protocol-Version " + request.get(kVersionHeader));
            return;
        }
        // Two Authorization headers are refused, never decided on one of them.
        const std::optional<std::string> authorization = http::soleHeader(request, "Authorization");
        auth::AuthDecision decision =
            authorization ? s_.authenticator.authenticate(*authorization)
                          : s_.authenticator.invalidRequest("more than one Authorization header");
        if (s_.metrics) s_.metrics->authOutcome(authOutcomeOf(decision));
        if (!decision.context) {
            sendChallenge(response, decision);
            return;
        }
        if (method == "POST") handlePost(request, response, *decision.context);
        if (method == "GET") handleGet(request, response, *decision.context);
        if (method == "DELETE") handleDelete(request, response, *decision.context);
    } catch (const Poco::Net::NetException&) {
        // The client went away mid-reply; nothing left to tell it.
    } catch (const std::exception& e) {
        Poco::Logger::get("mcp-host.http").error(std::string("MCP request failed: ") + e.what());
        if (!response.sent()) {
            http::sendRpcError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, rpc::kInternalError, "Internal error");
        }
    }
}

std::shared_ptr<Session> StreamableHttpEndpoint::requireSession(HTTPServerRequest& request, HTTPServerResponse& response,
                                                                const auth::AuthContext& auth) {
    if (!request.has(kSessionHeader)) {
        http::sendRpcError(response, HTTPResponse::HTTP_BAD_REQUEST, kTransportError,
                           "Bad Request: Mcp-Session-Id header is required");
        return nullptr;
    }
    auto session = s_.sessions.find(request.get(kSessionHeader));
    if (!session || session->principal() != auth.principalKey()) {
        http::sendRpcError(response, HTTPResponse::HTTP_NOT_FOUND, kSessionNotFound, "Session not found");
        return nullptr;
    }
    return session;
}

void StreamableHttpEndpoint::handlePost(HTTPServerRequest& request, HTTPServerResponse& response,
                                        const auth::AuthContext& auth) {
    if (http::mediaTypeOf(request.getContentType()) != "application/json") {
        http::sendRpcError(response, HTTPResponse::HTTP_UNSUPPORTED_MEDIA_TYPE, kTransportError,
                           "Unsupported Media Type: Content-Type must be application/json");
        return;
    }
    const bool jsonOk = http::accepts(request, "application/json");
    const bool sseOk = http::accepts(request, "text/event-stream");
    if (!jsonOk && !sseOk) {
        http::sendRpcError(response, HTTPResponse::HTTP_NOT_ACCEPTABLE, kTransportError,
                           "Not Acceptable: Accept must include application/json or text/event-stream");
        return;
    }
    const bool asSse = !jsonOk;  // replies that are one event only: the client accepts nothing else
    auto body = http::readBody(request, s_.maxRequestBytes);
    if (!body) {
        http::sendRpcError(response, HTTPResponse::HTTP_REQUESTENTITYTOOLARGE, kTransportError,
                           "Payload Too Large: the limit is " + std::to_string(s_.maxRequestBytes) + " bytes");
        return;
    }
    Message message = parseMessage(*body);
    if (message.kind == MessageKind::Invalid) {
        http::sendJson(response, HTTPResponse::HTTP_BAD_REQUEST, serializeError(message.id, message.errorCode, message.errorMessage));
        return;
    }

    if (isStatelessRequest(request, message)) {
        handleStatelessPost(request, response, auth, message, sseOk, asSse);
        return;
    }

    if (message.kind == MessageKind::Request && message.method == "initialize") {
        InitializeOutcome init;
        OperationRecord operation(s_.metrics, s_.pluginOfTool, message);
        try {
            init = s_.dispatcher.initialize(message.params);
        } catch (const RpcError& e) {
            operation.error(e.code);
            sendReply(response, asSse, serializeError(message.id, e.code, e.message));
            return;
        }
        // Anonymous callers (provider "none", loopback only) are no one user: only the table's
        // bound applies to them, so local load and many local clients are not capped per user.
        auto session = s_.sessions.create(auth.principalKey(), init.protocolVersion, init.clientInfo, auth.authenticated);
        if (!session) {
            response.set("Retry-After", "30");
            http::sendRpcError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, kTransportError,
                               "Service Unavailable: too many open sessions");
            return;
        }
        if (message.params->getObject("capabilities")) session->setClientCapabilities(message.params->getObject("capabilities"));
        response.set(kSessionHeader, session->id());
        sendReply(response, asSse, serializeResult(message.id, init.result));
        return;
    }

    auto session = requireSession(request, response, auth);
    if (!session) return;
    RequestContext ctx{auth, request.get(kVersionHeader, session->protocolVersion()), session};

    if (message.kind != MessageKind::Request) {
        if (message.kind == MessageKind::Notification) {
            if (message.method == "notifications/initialized") session->markInitialized();
            s_.dispatcher.handleNotification(message, ctx);
        }
        // The client's answer to a request we sent (sampling, elicitation, roots); a stray or
        // late one is dropped.
        if (message.kind == MessageKind::Response && message.id.isString()) {
            session->deliverResponse(message.id.toString(), message);
        }
        response.setStatusAndReason(HTTPResponse::HTTP_ACCEPTED);
        response.setContentLength(0);
        response.send();
        return;
    }

    RequestChannel::Options channelOptions;
    channelOptions.sseAllowed = sseOk;
    channelOptions.sseOnly = asSse;
    channelOptions.session = session;
    if (auto meta = message.params->getObject("_meta"); meta && meta->has("progressToken")) {
        const Poco::Dynamic::Var token = meta->get("progressToken");
        if (token.isString() || token.isInteger()) channelOptions.progressToken = token;
    }
    const std::string callKey = idKey(message.id);
    channelOptions.cancelled = session->beginCall(callKey);
    struct CallEnd {
        Session& session;
        const std::string& key;
        ~CallEnd() { session.endCall(key); }
    } callEnd{*session, callKey};
    RequestChannel channel(response, channelOptions);
    ctx.services = &channel;

    std::string reply;
    OperationRecord operation(s_.metrics, s_.pluginOfTool, message);
    try {
        Poco::JSON::Object::Ptr result = s_.dispatcher.handleRequest(message, ctx);
        operation.result(result);
        reply = serializeResult(message.id, result);
    } catch (const RpcError& e) {
        operation.error(e.code);
        reply = serializeError(message.id, e.code, e.message);
    } catch (const InsufficientScope& e) {
        operation.error("insufficient_scope");
        sendScopeChallenge(response, auth, e);
        return;
    } catch (const pluginhost::InputRequired&) {
        // Only 2026-07-28 answers "input required"; here requests for input go to the client on
        // this stream, so a plugin returning MCPH_ERR_INPUT_REQUIRED simply failed.
        operation.error(message.method == "tools/call" ? "tool_error" : "-32603");
        reply = message.method == "tools/call"
                    ? serializeResult(message.id, pluginhost::toolErrorResult(
                                                      "Tool \"" + message.params->optValue<std::string>("name", "") +
                                                      "\" failed: input required"))
                    : serializeError(message.id, rpc::kInternalError, message.method + " failed: input required");
    } catch (const pluginhost::CapabilityMissing&) {
        operation.error(rpc::kInternalError);
        reply = serializeError(message.id, rpc::kInternalError, message.method + " failed: unsupported");
    }
    // A cancelled request gets no response (cancellation.mdx); its stream just ends.
    if (channelOptions.cancelled->load() && channel.streaming()) return;
    channel.finish(reply);
}

void StreamableHttpEndpoint::handleGet(HTTPServerRequest& request, HTTPServerResponse& response,
                                       const auth::AuthContext& auth) {
    if (!http::accepts(request, "text/event-stream")) {
        http::sendRpcError(response, HTTPResponse::HTTP_NOT_ACCEPTABLE, kTransportError,
                           "Not Acceptable: the GET stream is text/event-stream");
        return;
    }
    auto session = requireSession(request, response, auth);
    if (!session) return;
    // Last-Event-ID resumes either a POST response stream or this session's GET stream ("g.<n>").
    std::optional<std::uint64_t> resumeAfter;
    if (request.has("Last-Event-ID")) {
        auto parsed = EventStream::parseEventId(request.get("Last-Event-ID"));
        if (!parsed || parsed->first != session->standaloneEvents()->id()) {
            resumeStream(request, response, *session);
            return;
        }
        resumeAfter = parsed->second;
    }
    // A plain-TCP stream goes to the event loop (SseStreamHub.h); a TLS one keeps its thread.
    if (s_.hub && !request.secure() && dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request)) {
        streamOnEventLoop(request, response, session, resumeAfter);
        return;
    }
    if (s_.openStreams.fetch_add(1) >= s_.maxOpenStreams) {
        s_.openStreams.fetch_sub(1);
        sendTooManyStreams(response);
        return;
    }
    struct StreamSlot {
        std::atomic<int>& count;
        ~StreamSlot() { count.fetch_sub(1); }
    } slot{s_.openStreams};
    // A resuming client's previous stream is gone (it would not reconnect otherwise): take over.
    const auto generation = session->attachStream(resumeAfter.has_value());
    if (!generation) {
        http::sendRpcError(response, HTTPResponse::HTTP_CONFLICT, kTransportError,
                           "Conflict: this session already has a GET stream open");
        return;
    }
    struct Detach {
        Session& session;
        std::uint64_t generation;
        ~Detach() { session.detachStream(generation); }
    } detach{*session, *generation};
    const auto& events = session->standaloneEvents();
    SseWriter sse(response);
    sse.comment("stream open");
    if (resumeAfter) {
        for (const auto& [id, data] : events->after(*resumeAfter, std::chrono::milliseconds(0))) sse.event(id, data);
    }
    while (!s_.stopping.load() && session->streamCurrent(*generation)) {
        if (auto message = session->nextMessage(s_.streamKeepAlive, *generation)) {
            // Kept with its id before it is written, so a message lost with the connection
            // is replayed to the client that resumes.
            sse.event(events->append(*message), *message);
            continue;
        }
        // Idle: keep proxies from cutting the stream, notice a departed client, and keep the
        // session from expiring while someone is listening.
        if (!session->streamCurrent(*generation) || !s_.sessions.find(session->id())) break;
        sse.comment("keep-alive");
    }
}

void StreamableHttpEndpoint::streamOnEventLoop(HTTPServerRequest& request, HTTPServerResponse& response,
                                               const std::shared_ptr<Session>& session,
                                               std::optional<std::uint64_t> resumeAfter) {
    if (s_.loopStreams.fetch_add(1) >= s_.maxLoopStreams) {
        s_.loopStreams.fetch_sub(1);
        sendTooManyStreams(response);
        return;
    }
    // Released when the connection ends, whenever that is; until then it counts.
    std::atomic<int>& slots = s_.loopStreams;
    const auto generation = session->attachStream(resumeAfter.has_value());
    if (!generation) {
        slots.fetch_sub(1);
        http::sendRpcError(response, HTTPResponse::HTTP_CONFLICT, kTransportError,
                           "Conflict: this session already has a GET stream open");
        return;
    }
    try {
        SseWriter sse(response);
        sse.comment("stream open");
        if (resumeAfter) {
            for (const auto& [id, data] : session->standaloneEvents()->after(*resumeAfter, std::chrono::milliseconds(0)))
                sse.event(id, data);
        }
    } catch (...) {
        session->detachStream(*generation);
        slots.fetch_sub(1);
        throw;
    }
    // The head and replay are flushed; Poco's connection loop ends once its socket is gone.
    Poco::Net::StreamSocket socket = static_cast<Poco::Net::HTTPServerRequestImpl&>(request).detachSocket();
    const std::uint64_t gen = *generation;
    auto connection = s_.hub->adopt(std::move(socket), [session, gen, &slots] {
        session->detachStream(gen);
        slots.fetch_sub(1);
    });
    // Messages posted meanwhile were queued on the session: the sink takes them first.
    if (!session->setStreamSink(gen, std::make_shared<ConnectionSink>(connection))) connection->end();
}

void StreamableHttpEndpoint::sendScopeChallenge(HTTPServerResponse& response, const auth::AuthContext& auth,
                                                const InsufficientScope& e) {
    // Name every scope the client needs from now on: what it holds plus what the tool needs
    // (VS Code replaces its whole scope set with the challenged one).
    std::vector<std::string> wanted = auth.scopes;
    for (const auto& scope : e.required) {
        if (!auth.hasScope(scope)) wanted.push_back(scope);
    }
    if (s_.metrics) s_.metrics->authOutcome("insufficient_scope");
    sendChallenge(response, s_.authenticator.insufficientScope(wanted));
}

void StreamableHttpEndpoint::resumeStream(HTTPServerRequest& request, HTTPServerResponse& response, Session& session) {
    // SEP-1699: replay what the client missed on a POST response stream, then keep streaming
    // it until the request is answered.
    auto parsed = EventStream::parseEventId(request.get("Last-Event-ID"));
    auto stream = parsed ? session.findEventStream(parsed->first) : nullptr;
    if (!stream) {
        http::sendRpcError(response, HTTPResponse::HTTP_NOT_FOUND, kTransportError,
                           "Not Found: no stream to resume for that Last-Event-ID");
        return;
    }
    if (s_.openStreams.fetch_add(1) >= s_.maxOpenStreams) {
        s_.openStreams.fetch_sub(1);
        sendTooManyStreams(response);
        return;
    }
    struct StreamSlot {
        std::atomic<int>& count;
        ~StreamSlot() { count.fetch_sub(1); }
    } slot{s_.openStreams};
    SseWriter sse(response);
    std::uint64_t last = parsed->second;
    while (!s_.stopping.load() && !session.closed()) {
        const bool done = stream->finished();
        auto events = stream->after(last, s_.streamKeepAlive);
        for (const auto& [id, data] : events) {
            if (!data.empty()) sse.event(id, data);
            last = EventStream::parseEventId(id)->second;
        }
        if (done && events.empty()) break;
        if (events.empty()) sse.comment("keep-alive");
    }
}

void StreamableHttpEndpoint::handleDelete(HTTPServerRequest& request, HTTPServerResponse& response,
                                          const auth::AuthContext& auth) {
    auto session = requireSession(request, response, auth);
    if (!session) return;
    s_.sessions.remove(session->id());
    response.setStatusAndReason(HTTPResponse::HTTP_OK);
    response.setContentLength(0);
    response.send();
}

}  // namespace mcph::http
