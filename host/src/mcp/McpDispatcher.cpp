#include "mcp/McpDispatcher.h"

#include "mcp/Cursor.h"
#include "mcp/ProtocolVersion.h"

namespace mcph::mcp {

McpDispatcher::McpDispatcher(const pluginhost::OfferingRegistry& tools, pluginhost::ToolInvoker invoker, ServerIdentity identity,
                             std::size_t pageSize)
    : tools_(tools), invoker_(invoker), identity_(std::move(identity)), pageSize_(pageSize) {}

InitializeOutcome McpDispatcher::initialize(const Poco::JSON::Object::Ptr& params) const {
    if (!params->has("protocolVersion") || !params->get("protocolVersion").isString()) {
        throw RpcError{rpc::kInvalidParams, "initialize: \"protocolVersion\" must be a string"};
    }
    if (params->has("capabilities") && !params->getObject("capabilities")) {
        throw RpcError{rpc::kInvalidParams, "initialize: \"capabilities\" must be an object"};
    }
    InitializeOutcome out;
    out.protocolVersion = negotiateProtocolVersion(params->getValue<std::string>("protocolVersion"));
    out.clientInfo = params->getObject("clientInfo");

    Poco::JSON::Object::Ptr capabilities = this->capabilities();
    Poco::JSON::Object::Ptr serverInfo = new Poco::JSON::Object;
    serverInfo->set("name", identity_.name);
    serverInfo->set("version", identity_.version);

    out.result = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out.result->set("protocolVersion", out.protocolVersion);
    out.result->set("capabilities", capabilities);
    out.result->set("serverInfo", serverInfo);
    if (!identity_.instructions.empty()) out.result->set("instructions", identity_.instructions);
    return out;
}

Poco::JSON::Object::Ptr McpDispatcher::capabilities() const {
    // Plugins may change what they serve at run time (and plugins may come and go): every
    // change is announced with notifications/<list>/list_changed.
    auto changingList = [] {
        Poco::JSON::Object::Ptr cap = new Poco::JSON::Object;
        cap->set("listChanged", true);
        return cap;
    };
    const auto offerings = tools_.snapshot();
    Poco::JSON::Object::Ptr capabilities = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    capabilities->set("tools", changingList());
    const bool anyResources = !offerings->resources().empty() || !offerings->resourceTemplates().empty();
    if (anyResources) {
        Poco::JSON::Object::Ptr resources = changingList();
        resources->set("subscribe", true);
        capabilities->set("resources", resources);
    }
    if (!offerings->prompts().empty()) capabilities->set("prompts", changingList());
    if (anyResources || !offerings->prompts().empty()) capabilities->set("completions", Poco::JSON::Object::Ptr(new Poco::JSON::Object));
    capabilities->set("logging", Poco::JSON::Object::Ptr(new Poco::JSON::Object));
    return capabilities;
}

std::pair<std::size_t, std::size_t> McpDispatcher::page(const Poco::JSON::Object::Ptr& params, std::size_t total,
                                                        const char* method) const {
    std::size_t offset = 0;
    if (params->has("cursor") && !params->isNull("cursor")) {
        if (!params->get("cursor").isString()) throw RpcError{rpc::kInvalidParams, std::string(method) + ": \"cursor\" must be a string"};
        auto decoded = decodeCursor(params->getValue<std::string>("cursor"));
        if (!decoded || *decoded > total) throw RpcError{rpc::kInvalidParams, std::string(method) + ": invalid cursor"};
        offset = *decoded;
    }
    return {offset, std::min(total, offset + pageSize_)};
}

Poco::JSON::Object::Ptr McpDispatcher::handleRequest(const Message& request, const RequestContext& ctx) const {
    const std::string& method = request.method;
    if (method == "ping") return new Poco::JSON::Object;
    if (method == "tools/list") return listTools(request.params, ctx);
    if (method == "tools/call") return callTool(request.params, ctx);
    if (method == "resources/list") return listResources(request.params);
    if (method == "resources/templates/list") return listResourceTemplates(request.params);
    if (method == "resources/read") return readResource(request.params, ctx);
    if (method == "resources/subscribe") return subscribe(request.params, ctx, true);
    if (method == "resources/unsubscribe") return subscribe(request.params, ctx, false);
    if (method == "prompts/list") return listPrompts(request.params);
    if (method == "prompts/get") return getPrompt(request.params, ctx);
    if (method == "completion/complete") return complete(request.params, ctx);
    if (method == "logging/setLevel") return setLogLevel(request.params, ctx);
    if (method == "initialize") {
        throw RpcError{rpc::kInvalidRequest, "initialize: this session is already initialized"};
    }
    throw RpcError{rpc::kMethodNotFound, "Method not found: " + method};
}

void McpDispatcher::handleNotification(const Message& notification, const RequestContext& ctx) const {
    // notifications/initialized is handled by the endpoint (it marks the session); unknown
    // notifications are ignored as JSON-RPC requires.
    if (notification.method == "notifications/cancelled" && ctx.session && notification.params->has("requestId")) {
        const Poco::Dynamic::Var id = notification.params->get("requestId");
        if (id.isString() || id.isInteger()) ctx.session->cancelCall(idKey(id));
    }
}

Poco::JSON::Object::Ptr McpDispatcher::listTools(const Poco::JSON::Object::Ptr& params, const RequestContext& ctx) const {
    // A caller sees only the tools it may call: listing one it cannot run would only lead the
    // model into a 403. The order is the registry's, so cursors stay stable for one caller.
    const auto offerings = tools_.snapshot();
    std::vector<const pluginhost::ToolSpec*> all;
    for (const auto* tool : offerings->tools()) {
        if (ctx.auth.missingScopes(tool->requiredScopes).empty()) all.push_back(tool);
    }
    const auto [offset, end] = page(params, all.size(), "tools/list");
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (std::size_t i = offset; i < end; ++i) list->add(all[i]->toListEntry());
    Poco::JSON::Object::Ptr result = new Poco::JSON::Object;
    result->set("tools", list);
    if (end < all.size()) result->set("nextCursor", encodeCursor(end));
    return result;
}

Poco::JSON::Object::Ptr McpDispatcher::callTool(const Poco::JSON::Object::Ptr& params, const RequestContext& ctx) const {
    if (!params->has("name") || !params->get("name").isString()) {
        throw RpcError{rpc::kInvalidParams, "tools/call: \"name\" must be a string"};
    }
    const std::string name = params->getValue<std::string>("name");
    // Held to the end of the call: the tool's plugin stays loaded whatever changes meanwhile.
    const auto offerings = tools_.snapshot();
    const pluginhost::ToolSpec* tool = offerings->find(name);
    if (!tool) throw RpcError{rpc::kInvalidParams, "Unknown tool: " + name};

    Poco::JSON::Object::Ptr arguments;
    if (params->has("arguments") && !params->isNull("arguments")) {
        arguments = params->getObject("arguments");
        if (!arguments) throw RpcError{rpc::kInvalidParams, "tools/call: \"arguments\" must be an object"};
    }
    // Fail closed: a tool that needs scopes is never run for a caller without them.
    if (!ctx.auth.missingScopes(tool->requiredScopes).empty()) throw InsufficientScope{tool->requiredScopes};
    return invoker_.call(*tool, arguments, ctx.auth, ctx.services);
}

}  // namespace mcph::mcp
