#include "plugins/ToolInvoker.h"

#include <Poco/Logger.h>

#include <sstream>

#include "plugins/LoadedPlugin.h"
#include "plugins/ToolResult.h"

namespace mcph::plugins {
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
    }
};

const char* statusName(mcph_status status) {
    switch (status) {
        case MCPH_ERR_INVALID_ARGUMENT: return "invalid argument";
        case MCPH_ERR_FAILED: return "failed";
        case MCPH_ERR_UNSUPPORTED: return "unsupported";
        case MCPH_ERR_NO_MEMORY: return "out of memory";
        case MCPH_ERR_TOO_LARGE: return "result too large";
        case MCPH_ERR_CANCELLED: return "cancelled";
        default: return "unknown status";
    }
}

}  // namespace

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
                                          const auth::AuthContext& auth) const {
    const std::string args = arguments ? toJson(arguments) : std::string("{}");
    CAuthView authView(auth);
    mcph_call call{};
    call.struct_size = sizeof(mcph_call);
    call.tool_name = tool.name.c_str();
    call.arguments_json = args.c_str();
    call.arguments_len = args.size();
    call.auth = &authView.ctx;
    call.plugin_state = tool.plugin->state;
    call.tool_data = tool.toolData;

    mcph_result result;
    result.limit = maxResultBytes_;
    mcph_status status = MCPH_ERR_FAILED;
    {
        std::unique_lock<std::mutex> serial(tool.plugin->invokeMutex, std::defer_lock);
        if (tool.plugin->serialized) serial.lock();
        try {
            status = tool.invoke(&call, &result);
        } catch (...) {
            // The ABI forbids this; a C++ plugin that breaks the rule must not take the host down.
            Poco::Logger::get("mcp-host.tools").error("tool \"" + tool.name + "\" threw across the C ABI");
            status = MCPH_ERR_FAILED;
        }
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

}  // namespace mcph::plugins
