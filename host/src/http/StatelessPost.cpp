// The 2026-07-28 revision on the same endpoint: no initialize and no sessions; every request
// carries its protocol version and client capabilities in _meta, names its method (and target)
// in the Mcp-Method / Mcp-Name headers, and gets a result with resultType. Input from the
// client travels as "input required" results (InputRequests).
#include <Poco/JSON/Array.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>

#include "http/HttpUtil.h"
#include "mcp/InputRequests.h"
#include "mcp/LogLevel.h"
#include "mcp/ProtocolVersion.h"
#include "http/RequestChannel.h"
#include "http/StreamableHttpEndpoint.h"

namespace mcph::http {

using namespace mcph::mcp;

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

namespace {

constexpr const char* kMetaVersion = "io.modelcontextprotocol/protocolVersion";
constexpr const char* kMetaCapabilities = "io.modelcontextprotocol/clientCapabilities";
constexpr const char* kMetaLogLevel = "io.modelcontextprotocol/logLevel";
constexpr const char* kMetaServerInfo = "io.modelcontextprotocol/serverInfo";
constexpr const char* kMetaSubscriptionId = "io.modelcontextprotocol/subscriptionId";
// How long clients may cache list results and reads. Lists change only when plugins change
// them, which a subscriptions/listen stream announces; resource contents change any time, so
// reads get no caching hint.
constexpr int kListTtlMs = 300000;
constexpr int kReadTtlMs = 0;

bool isRemovedMethod(const std::string& method) {
    return method == "initialize" || method == "ping" || method == "logging/setLevel" || method == "resources/subscribe" ||
           method == "resources/unsubscribe";
}

// The name a request's Mcp-Name header must carry, or "" when the method has none.
std::string targetOf(const Message& message) {
    const auto& p = message.params;
    if (message.method == "tools/call" || message.method == "prompts/get") return p->optValue<std::string>("name", "");
    if (message.method == "resources/read") return p->optValue<std::string>("uri", "");
    return "";
}

bool namesTarget(const std::string& method) {
    return method == "tools/call" || method == "prompts/get" || method == "resources/read";
}

void sendError(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const Message& message, int code,
               const std::string& text, const Poco::JSON::Object::Ptr& data = nullptr) {
    http::sendJson(response, status, serializeError(message.id, code, text, data));
}

}  // namespace

bool StreamableHttpEndpoint::isStatelessRequest(const HTTPServerRequest& request, const Message& message) {
    if (request.has("Mcp-Session-Id")) return false;
    const std::string header = request.get("MCP-Protocol-Version", "");
    // 2026-07-28, or a version we will refuse as that revision does. initialize comes here
    // only this way: a stateful client sends it before it has a version to put in the header.
    if (!header.empty() && !isSupportedProtocolVersion(header)) return true;
    if (message.kind == MessageKind::Request && message.method == "initialize") return false;
    if (message.kind == MessageKind::Request && message.method == "server/discover") return true;
    auto meta = message.params ? message.params->getObject("_meta") : nullptr;
    return meta && meta->has(kMetaVersion);
}

void StreamableHttpEndpoint::handleStatelessPost(HTTPServerRequest& request, HTTPServerResponse& response,
                                                 const auth::AuthContext& auth, const Message& message, bool sseOk,
                                                 bool sseOnly) {
    if (message.kind != MessageKind::Request) {
        // No session for a notification or response to belong to: accepted and dropped.
        response.setStatusAndReason(HTTPResponse::HTTP_ACCEPTED);
        response.setContentLength(0);
        response.send();
        return;
    }
    // Every request states its revision and what the client can do (SEP-2575).
    auto meta = message.params->getObject("_meta");
    if (!meta || !meta->has(kMetaVersion) || !meta->get(kMetaVersion).isString() || !meta->getObject(kMetaCapabilities)) {
        sendError(response, HTTPResponse::HTTP_BAD_REQUEST, message, rpc::kInvalidParams,
                  "Invalid params: _meta must carry io.modelcontextprotocol/protocolVersion and clientCapabilities");
        return;
    }
    const std::string version = meta->getValue<std::string>(kMetaVersion);
    // The headers repeat what the body says, so that intermediaries can route on them; a
    // disagreement is refused before anything else (transports: HeaderMismatch).
    if (request.get("MCP-Protocol-Version", "") != version) {
        sendError(response, HTTPResponse::HTTP_BAD_REQUEST, message, rpc::kHeaderMismatch,
                  "Header mismatch: MCP-Protocol-Version must equal _meta io.modelcontextprotocol/protocolVersion");
        return;
    }
    if (request.get("Mcp-Method", "") != message.method) {
        sendError(response, HTTPResponse::HTTP_BAD_REQUEST, message, rpc::kHeaderMismatch,
                  "Header mismatch: Mcp-Method must equal the request's method");
        return;
    }
    if (namesTarget(message.method) && request.get("Mcp-Name", "") != targetOf(message)) {
        sendError(response, HTTPResponse::HTTP_BAD_REQUEST, message, rpc::kHeaderMismatch,
                  "Header mismatch: Mcp-Name must equal the request's name (or uri)");
        return;
    }
    if (version != kStatelessProtocolVersion) {
        Poco::JSON::Object::Ptr data = new Poco::JSON::Object;
        Poco::JSON::Array::Ptr supported = new Poco::JSON::Array;
        supported->add(std::string(kStatelessProtocolVersion));
        data->set("supported", supported);
        data->set("requested", version);
        sendError(response, HTTPResponse::HTTP_BAD_REQUEST, message, rpc::kUnsupportedProtocolVersion,
                  "Unsupported protocol version: " + version, data);
        return;
    }
    if (isRemovedMethod(message.method)) {
        sendError(response, HTTPResponse::HTTP_NOT_FOUND, message, rpc::kMethodNotFound,
                  "Method not found: " + message.method + " (not part of " + version + ")");
        return;
    }
    if (message.method == "subscriptions/listen") {
        listen(response, message, sseOk);
        return;
    }

    Poco::JSON::Object::Ptr result;
    if (message.method == "server/discover") {
        result = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        Poco::JSON::Array::Ptr versions = new Poco::JSON::Array;
        versions->add(std::string(kStatelessProtocolVersion));
        result->set("supportedVersions", versions);
        Poco::JSON::Object::Ptr caps = s_.dispatcher.capabilities();
        if (auto resources = caps->getObject("resources")) resources->remove("subscribe");  // subscriptions/listen instead
        caps->remove("logging");  // per-request logLevel instead of logging/setLevel
        result->set("capabilities", caps);
        if (!s_.dispatcher.identity().instructions.empty()) result->set("instructions", s_.dispatcher.identity().instructions);
    }

    RequestChannel::Options options;
    options.sseAllowed = sseOk;
    options.sseOnly = sseOnly;
    options.logThreshold = meta->has(kMetaLogLevel) ? logSeverity(meta->optValue<std::string>(kMetaLogLevel, "")) : -1;
    if (meta->has("progressToken")) {
        const Poco::Dynamic::Var token = meta->get("progressToken");
        if (token.isString() || token.isInteger()) options.progressToken = token;
    }
    options.cancelled = std::make_shared<std::atomic<bool>>(false);
    std::optional<InputRequests> inputs;
    try {
        inputs.emplace(s_.stateKey, meta->getObject(kMetaCapabilities), message.params, message.method, targetOf(message));
    } catch (const RpcError& e) {
        sendError(response, HTTPResponse::HTTP_OK, message, e.code, e.message);
        return;
    }
    options.inputs = &*inputs;
    RequestChannel channel(response, options);
    RequestContext ctx{auth, version, nullptr, &channel};

    std::string reply;
    OperationRecord operation(s_.metrics, s_.pluginOfTool, message);
    try {
        if (!result) result = s_.dispatcher.handleRequest(message, ctx);
        operation.result(result);
    } catch (const RpcError& e) {
        operation.error(e.code);
        if (e.code == rpc::kMethodNotFound && !channel.streaming()) {
            sendError(response, HTTPResponse::HTTP_NOT_FOUND, message, e.code, e.message);
            return;
        }
        channel.finish(serializeError(message.id, e.code, e.message));
        return;
    } catch (const pluginhost::InputRequired&) {
        if (!inputs->anyPending()) {
            channel.finish(serializeError(message.id, rpc::kInternalError, "The call asked for input but named none"));
            return;
        }
        result = inputs->inputRequiredResult();
    } catch (const pluginhost::CapabilityMissing& e) {
        operation.error(rpc::kMissingRequiredClientCapability);
        Poco::JSON::Object::Ptr required = new Poco::JSON::Object;
        for (const auto& capability : e.capabilities) required->set(capability, Poco::JSON::Object::Ptr(new Poco::JSON::Object));
        Poco::JSON::Object::Ptr data = new Poco::JSON::Object;
        data->set("requiredCapabilities", required);
        const std::string error = serializeError(message.id, rpc::kMissingRequiredClientCapability,
                                                 "Missing required client capability", data);
        if (channel.streaming()) {
            channel.finish(error);
        } else {
            http::sendJson(response, HTTPResponse::HTTP_BAD_REQUEST, error);
        }
        return;
    } catch (const InsufficientScope& e) {
        operation.error("insufficient_scope");
        sendScopeChallenge(response, auth, e);  // raised before the tool runs: nothing was streamed
        return;
    }

    if (!result->has("resultType")) result->set("resultType", "complete");
    const std::string& m = message.method;
    if (m == "tools/list" || m == "prompts/list" || m == "resources/list" || m == "resources/templates/list" ||
        m == "resources/read") {
        // CacheableResult (SEP-2549): tools/list depends on the caller's scopes, so anything
        // served to a signed-in caller is private.
        result->set("ttlMs", m == "resources/read" ? kReadTtlMs : kListTtlMs);
        result->set("cacheScope", auth.authenticated ? "private" : "public");
    }
    Poco::JSON::Object::Ptr resultMeta = result->getObject("_meta");
    if (!resultMeta) {
        resultMeta = new Poco::JSON::Object;
        result->set("_meta", resultMeta);
    }
    Poco::JSON::Object::Ptr serverInfo = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    serverInfo->set("name", s_.dispatcher.identity().name);
    serverInfo->set("version", s_.dispatcher.identity().version);
    resultMeta->set(kMetaServerInfo, serverInfo);
    channel.finish(serializeResult(message.id, result));
}

void StreamableHttpEndpoint::listen(HTTPServerResponse& response, const Message& message, bool sseOk) {
    if (!sseOk) {
        sendError(response, HTTPResponse::HTTP_NOT_ACCEPTABLE, message, rpc::kInvalidRequest,
                  "subscriptions/listen answers with a stream: Accept must include text/event-stream");
        return;
    }
    auto wanted = message.params->getObject("notifications");
    std::vector<std::string> uris;
    ListenFilter filter;
    if (wanted) {
        if (auto list = wanted->getArray("resourceSubscriptions")) {
            for (std::size_t i = 0; i < list->size() && i < 1024; ++i) {
                if (list->get(i).isString()) uris.push_back(list->get(i).toString());
            }
        }
        auto flag = [&wanted](const char* name) {
            return wanted->has(name) && wanted->get(name).isBoolean() && wanted->getValue<bool>(name);
        };
        filter.toolsListChanged = flag("toolsListChanged");
        filter.resourcesListChanged = flag("resourcesListChanged");
        filter.promptsListChanged = flag("promptsListChanged");
    }
    if (s_.openStreams.fetch_add(1) >= s_.maxOpenStreams) {
        s_.openStreams.fetch_sub(1);
        response.set("Retry-After", "30");
        sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, message, -32000,
                  "Service Unavailable: too many open streams");
        return;
    }
    struct StreamSlot {
        std::atomic<int>& count;
        ~StreamSlot() { count.fetch_sub(1); }
    } slot{s_.openStreams};
    auto listener = s_.sessions.openListener(uris, filter);
    struct Close {
        SessionRegistry& registry;
        std::shared_ptr<Session> listener;
        ~Close() { registry.closeListener(listener); }
    } close{s_.sessions, listener};

    // The acknowledgement names what this stream will carry: every list change asked for (the
    // host announces them all) and resource updates for the URIs asked for.
    Poco::JSON::Object::Ptr accepted = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    if (filter.toolsListChanged) accepted->set("toolsListChanged", true);
    if (filter.resourcesListChanged) accepted->set("resourcesListChanged", true);
    if (filter.promptsListChanged) accepted->set("promptsListChanged", true);
    Poco::JSON::Array::Ptr acceptedUris = new Poco::JSON::Array;
    for (const auto& uri : uris) acceptedUris->add(uri);
    accepted->set("resourceSubscriptions", acceptedUris);
    Poco::JSON::Object::Ptr ackMeta = new Poco::JSON::Object;
    ackMeta->set(kMetaSubscriptionId, listener->id());
    Poco::JSON::Object::Ptr ack = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    ack->set("notifications", accepted);
    ack->set("_meta", ackMeta);

    SseWriter sse(response);
    sse.event(serializeNotification("notifications/subscriptions/acknowledged", ack));
    while (!s_.stopping.load() && !listener->closed()) {
        if (auto next = listener->nextMessage(s_.streamKeepAlive)) {
            sse.event(*next);
            continue;
        }
        sse.comment("keep-alive");  // throws once the client has gone, which ends the stream
    }
}

}  // namespace mcph::http
