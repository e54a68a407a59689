#pragma once
// MCP methods: JSON-RPC method name -> handler. Knows nothing of HTTP; the endpoint decides
// how answers travel.
#include <Poco/JSON/Object.h>

#include <memory>
#include <string>
#include <vector>

#include "mcp/JsonRpc.h"
#include "mcp/Session.h"
#include "pluginhost/CallServices.h"
#include "mcphost/auth/AuthContext.h"
#include "pluginhost/ToolInvoker.h"
#include "pluginhost/OfferingRegistry.h"

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
    std::shared_ptr<Session> session = nullptr;      // null on the stateless revision
    pluginhost::CallServices* services = nullptr;       // the way back to the client during a call
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
    McpDispatcher(const pluginhost::OfferingRegistry& tools, pluginhost::ToolInvoker invoker, ServerIdentity identity,
                  std::size_t pageSize);

    // initialize creates a session, so the endpoint calls it apart from the other methods.
    InitializeOutcome initialize(const Poco::JSON::Object::Ptr& params) const;  // throws RpcError
    Poco::JSON::Object::Ptr handleRequest(const Message& request, const RequestContext& ctx) const;  // throws RpcError, InsufficientScope
    void handleNotification(const Message& notification, const RequestContext& ctx) const;

    // The capabilities object of initialize (and server/discover).
    Poco::JSON::Object::Ptr capabilities() const;
    const ServerIdentity& identity() const { return identity_; }

private:
    Poco::JSON::Object::Ptr listTools(const Poco::JSON::Object::Ptr& params, const RequestContext& ctx) const;
    Poco::JSON::Object::Ptr callTool(const Poco::JSON::Object::Ptr& params, const RequestContext& ctx) const;
    // ResourceMethods.cpp
    Poco::JSON::Object::Ptr listResources(const Poco::JSON::Object::Ptr& params) const;
    Poco::JSON::Object::Ptr listResourceTemplates(const Poco::JSON::Object::Ptr& params) const;
    Poco::JSON::Object::Ptr readResource(const Poco::JSON::Object::Ptr& params, const RequestContext& ctx) const;
    Poco::JSON::Object::Ptr subscribe(const Poco::JSON::Object::Ptr& params, const RequestContext& ctx, bool on) const;
    // PromptMethods.cpp
    Poco::JSON::Object::Ptr listPrompts(const Poco::JSON::Object::Ptr& params) const;
    Poco::JSON::Object::Ptr getPrompt(const Poco::JSON::Object::Ptr& params, const RequestContext& ctx) const;
    Poco::JSON::Object::Ptr complete(const Poco::JSON::Object::Ptr& params, const RequestContext& ctx) const;
    Poco::JSON::Object::Ptr setLogLevel(const Poco::JSON::Object::Ptr& params, const RequestContext& ctx) const;

    // One page of `all` from the request's cursor: (first index, end index).
    std::pair<std::size_t, std::size_t> page(const Poco::JSON::Object::Ptr& params, std::size_t total, const char* method) const;

    const pluginhost::OfferingRegistry& tools_;
    const pluginhost::ToolInvoker invoker_;
    const ServerIdentity identity_;
    const std::size_t pageSize_;
};

}  // namespace mcph::mcp
