#pragma once
// MCP methods: JSON-RPC method name -> handler. Knows nothing of HTTP; the endpoint decides
// how answers travel.
#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "mcp/JsonRpc.h"
#include "mcphost/auth/AuthContext.h"
#include "plugins/ToolInvoker.h"
#include "plugins/ToolRegistry.h"

namespace mcph::mcp {

struct ServerIdentity {
    std::string name = "mcp-host";
    std::string version;
    std::string instructions;  // empty: none sent
};

// What the caller brings to one request.
struct RequestContext {
    const auth::AuthContext& auth;
    std::string protocolVersion;
};

// Thrown when the caller lacks scopes a tool requires; the endpoint answers 403
// insufficient_scope so the client can step up.
struct InsufficientScope {
    std::vector<std::string> required;  // every scope the tool needs, not only the missing ones
};

struct InitializeOutcome {
    Poco::JSON::Object::Ptr result;
    std::string protocolVersion;
    Poco::JSON::Object::Ptr clientInfo;
};

class McpDispatcher {
public:
    McpDispatcher(const plugins::ToolRegistry& tools, plugins::ToolInvoker invoker, ServerIdentity identity,
                  std::size_t pageSize);

    // initialize creates a session, so the endpoint calls it apart from the other methods.
    InitializeOutcome initialize(const Poco::JSON::Object::Ptr& params) const;  // throws RpcError
    Poco::JSON::Object::Ptr handleRequest(const Message& request, const RequestContext& ctx) const;  // throws RpcError, InsufficientScope
    void handleNotification(const Message& notification, const RequestContext& ctx) const;

private:
    Poco::JSON::Object::Ptr listTools(const Poco::JSON::Object::Ptr& params, const RequestContext& ctx) const;
    Poco::JSON::Object::Ptr callTool(const Poco::JSON::Object::Ptr& params, const RequestContext& ctx) const;

    const plugins::ToolRegistry& tools_;
    const plugins::ToolInvoker invoker_;
    const ServerIdentity identity_;
    const std::size_t pageSize_;
};

}  // namespace mcph::mcp
