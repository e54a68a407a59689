#include "mcp/McpDispatcher.h"

#include "mcp/Cursor.h"
#include "mcp/ProtocolVersion.h"

namespace mcph::mcp {

McpDispatcher::McpDispatcher(const plugins::ToolRegistry& tools, plugins::ToolInvoker invoker, ServerIdentity identity,
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

    Poco::JSON::Object::Ptr toolsCap = new Poco::JSON::Object;
    toolsCap->set("listChanged", false);  // the tool set is fixed for the life of the process
    Poco::JSON::Object::Ptr capabilities = new Poco::JSON::Object;
    capabilities->set("tools", toolsCap);
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

Poco::JSON::Object::Ptr McpDispatcher::handleRequest(const Message& request, const RequestContext& ctx) const {
    const std::string& method = request.method;
    if (method == "ping") return new Poco::JSON::Object;
    if (method == "tools/list") return listTools(request.params, ctx);
    if (method == "tools/call") return callTool(request.params, ctx);
    if (method == "initialize") {
        throw RpcError{rpc::kInvalidRequest, "initialize: this session is already initialized"};
    }
    throw RpcError{rpc::kMethodNotFound, "Method not found: " + method};
}

void McpDispatcher::handleNotification(const Message&, const RequestContext&) const {
    // notifications/initialized is handled by the endpoint (it marks the session); the others
    // we know (cancelled, roots/list_changed) need no action while every call is synchronous,
    // and unknown ones are ignored as JSON-RPC requires.
}

Poco::JSON::Object::Ptr McpDispatcher::listTools(const Poco::JSON::Object::Ptr& params, const RequestContext& ctx) const {
    // A caller sees only the tools it may call: listing one it cannot run would only lead the
    // model into a 403. The order is the registry's, so cursors stay stable for one caller.
    std::vector<const plugins::ToolSpec*> all;
    for (const auto* tool : tools_.tools()) {
        if (ctx.auth.missingScopes(tool->requiredScopes).empty()) all.push_back(tool);
    }
    std::size_t offset = 0;
    if (params->has("cursor") && !params->isNull("cursor")) {
        if (!params->get("cursor").isString()) throw RpcError{rpc::kInvalidParams, "tools/list: \"cursor\" must be a string"};
        auto decoded = decodeCursor(params->getValue<std::string>("cursor"));
        if (!decoded || *decoded > all.size()) throw RpcError{rpc::kInvalidParams, "tools/list: invalid cursor"};
        offset = *decoded;
    }
    const std::size_t end = std::min(all.size(), offset + pageSize_);
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
    const plugins::ToolSpec* tool = tools_.find(name);
    if (!tool) throw RpcError{rpc::kInvalidParams, "Unknown tool: " + name};

    Poco::JSON::Object::Ptr arguments;
    if (params->has("arguments") && !params->isNull("arguments")) {
        arguments = params->getObject("arguments");
        if (!arguments) throw RpcError{rpc::kInvalidParams, "tools/call: \"arguments\" must be an object"};
    }
    // Fail closed: a tool that needs scopes is never run for a caller without them.
    if (!ctx.auth.missingScopes(tool->requiredScopes).empty()) throw InsufficientScope{tool->requiredScopes};
    return invoker_.call(*tool, arguments, ctx.auth);
}

}  // namespace mcph::mcp
