#include "pluginhost/ToolInvoker.h"

#include <Poco/Logger.h>

#include <sstream>

#include "pluginhost/CallServices.h"
#include "pluginhost/JsonSchemaCheck.h"
#include "pluginhost/LoadedPlugin.h"
#include "pluginhost/ToolResult.h"
#include "pluginhost/isolation/InProcessDeadline.h"
#include "pluginhost/isolation/PluginWorker.h"

namespace mcph::pluginhost {
namespace {

std::string toJson(const Poco::JSON::Object::Ptr& obj) {
    std::ostringstream out;
    obj->stringify(out);
    return out.str();
}

// The C view of an AuthContext; the strings stay owned by `auth` for the call's duration.
struct CAuthView {
    std::vector<const char*> scopes;
    mcph_auth_context ctx{};

    explicit CAuthView(const auth::AuthContext& auth) {
        for (const auto& s : auth.scopes) scopes.push_back(s.c_str());
        ctx.struct_size = sizeof(mcph_auth_context);
        ctx.authenticated = auth.authenticated ? 1 : 0;
        ctx.user_id = auth.userId.c_str();
        ctx.issuer = auth.issuer.c_str();
        ctx.email = auth.email.c_str();
        ctx.name = auth.name.c_str();
        ctx.client_id = auth.clientId.c_str();
        ctx.scopes = scopes.empty() ? nullptr : scopes.data();
        ctx.scope_count = scopes.size();
        ctx.picture = auth.picture.c_str();
        ctx.claims_json = auth.claimsJson.empty() ? "{}" : auth.claimsJson.c_str();
        ctx.claims_len = auth.claimsJson.empty() ? 2 : auth.claimsJson.size();
    }
};

}  // namespace

const char* statusName(mcph_status status) {
    switch (status) {
        case MCPH_ERR_INPUT_REQUIRED: return "input required";
        case MCPH_ERR_NOT_FOUND: return "not found";
        case MCPH_ERR_INVALID_ARGUMENT: return "invalid argument";
        case MCPH_ERR_FAILED: return "failed";
        case MCPH_ERR_UNSUPPORTED: return "unsupported";
        case MCPH_ERR_NO_MEMORY: return "out of memory";
        case MCPH_ERR_TOO_LARGE: return "result too large";
        case MCPH_ERR_CANCELLED: return "cancelled";
        default: return "unknown status";
    }
}

mcph_status invokePlugin(LoadedPlugin& plugin, mcph_invoke_fn fn, const std::string& name, void* data,
                         const std::string& argumentsJson, const auth::AuthContext& auth, mcph_result& result,
                         double timeoutSeconds) {
    const double timeout = timeoutSeconds > 0 ? timeoutSeconds : plugin.callTimeoutSeconds;
    if (plugin.worker) return plugin.worker->invoke(result.kind, name, argumentsJson, auth, timeout, result);
    if (timeout > 0) {
        // Only a plugin the registry owns can outlive the call it timed out of.
        if (auto owned = plugin.weak_from_this().lock()) {
            return invokeWithDeadline(std::move(owned), fn, name, data, argumentsJson, auth, timeout, result);
        }
    }
    return invokeInThisThread(plugin, fn, name, data, argumentsJson, auth, result);
}

mcph_status invokeInThisThread(LoadedPlugin& plugin, mcph_invoke_fn fn, const std::string& name, void* data,
                               const std::string& argumentsJson, const auth::AuthContext& auth, mcph_result& result) {
    CAuthView authView(auth);
    CallFrame frame{};
    mcph_call& call = frame.call;
    call.struct_size = sizeof(mcph_call);
    call.tool_name = name.c_str();
    call.arguments_json = argumentsJson.c_str();
    call.arguments_len = argumentsJson.size();
    call.auth = &authView.ctx;
    call.plugin_state = plugin.state;
    call.tool_data = data;
    frame.self = &frame.call;
    frame.result = &result;
    frame.argumentsJson = &argumentsJson;
    std::unique_lock<std::mutex> serial(plugin.invokeMutex, std::defer_lock);
    if (plugin.serialized) serial.lock();
    try {
        return fn(&call, &result);
    } catch (...) {
        // The ABI forbids this; a C++ plugin that breaks the rule must not take the host down.
        Poco::Logger::get("mcp-host.tools").error("\"" + name + "\" threw across the C ABI");
        return MCPH_ERR_FAILED;
    }
}

Poco::JSON::Object::Ptr toolErrorResult(const std::string& message) {
    Poco::JSON::Object::Ptr block = new Poco::JSON::Object;
    block->set("type", "text");
    block->set("text", message);
    Poco::JSON::Array::Ptr content = new Poco::JSON::Array;
    content->add(block);
    Poco::JSON::Object::Ptr result = new Poco::JSON::Object;
    result->set("content", content);
    result->set("isError", true);
    return result;
}

Poco::JSON::Object::Ptr ToolInvoker::call(const ToolSpec& tool, const Poco::JSON::Object::Ptr& arguments,
                                          const auth::AuthContext& auth, CallServices* services) const {
    const std::string args = arguments ? toJson(arguments) : std::string("{}");
    mcph_result result;
    result.limit = maxResultBytes_;
    result.services = services;
    const mcph_status status =
        invokePlugin(*tool.plugin, tool.invoke, tool.name, tool.toolData, args, auth, result, tool.callTimeoutSeconds);
    if (status == MCPH_ERR_INPUT_REQUIRED) throw InputRequired{};
    if (status == MCPH_ERR_UNSUPPORTED && services && !services->missingCapabilities().empty()) {
        throw CapabilityMissing{services->missingCapabilities()};
    }

    if (status != MCPH_OK) {
        // Keep what the tool said (often the most useful part), and make sure it reads as an error.
        std::string message = "Tool \"" + tool.name + "\" failed: " + statusName(status);
        if (result.hasText) {
            Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
            out->set("content", result.content);
            out->set("isError", true);
            return out;
        }
        return toolErrorResult(message);
    }
    if (tool.outputSchema && !result.isError && !result.structured) {
        return toolErrorResult("Tool \"" + tool.name + "\" declares an output schema but returned no structured content");
    }
    if (tool.outputSchema && !result.isError) {
        // The schema is a promise to the client: a result that breaks it never goes out as valid.
        if (auto why = checkAgainstSchema(Poco::Dynamic::Var(result.structured), tool.outputSchema)) {
            return toolErrorResult("Tool \"" + tool.name + "\" returned structured content that does not match its output schema: " + *why);
        }
    }

    Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
    if (result.structured && !result.hasText) {
        // Clients that read only text still get the data (tools.mdx: SHOULD also return text).
        Poco::JSON::Object::Ptr block = new Poco::JSON::Object;
        block->set("type", "text");
        block->set("text", toJson(result.structured));
        result.content->add(block);
    }
    out->set("content", result.content);
    if (result.structured) out->set("structuredContent", result.structured);
    if (result.isError) out->set("isError", true);
    return out;
}

}  // namespace mcph::pluginhost
