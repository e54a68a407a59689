// resources/list, resources/templates/list, resources/read, resources/(un)subscribe.
#include <Poco/JSON/Array.h>

#include <sstream>

#include "mcp/Cursor.h"
#include "mcp/McpDispatcher.h"
#include "pluginhost/LoadedPlugin.h"
#include "pluginhost/ToolResult.h"

namespace mcph::mcp {
namespace {

constexpr int kResourceNotFound = -32002;  // resources.mdx

std::string requireUri(const Poco::JSON::Object::Ptr& params, const char* method) {
    if (!params->has("uri") || !params->get("uri").isString() || params->getValue<std::string>("uri").empty()) {
        throw RpcError{rpc::kInvalidParams, std::string(method) + ": \"uri\" must be a non-empty string"};
    }
    return params->getValue<std::string>("uri");
}

}  // namespace

Poco::JSON::Object::Ptr McpDispatcher::listResources(const Poco::JSON::Object::Ptr& params) const {
    const auto offerings = tools_.snapshot();
    const auto& all = offerings->resources();
    const auto [offset, end] = page(params, all.size(), "resources/list");
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (std::size_t i = offset; i < end; ++i) list->add(all[i]->toListEntry());
    Poco::JSON::Object::Ptr result = new Poco::JSON::Object;
    result->set("resources", list);
    if (end < all.size()) result->set("nextCursor", encodeCursor(end));
    return result;
}

Poco::JSON::Object::Ptr McpDispatcher::listResourceTemplates(const Poco::JSON::Object::Ptr& params) const {
    const auto offerings = tools_.snapshot();
    const auto& all = offerings->resourceTemplates();
    const auto [offset, end] = page(params, all.size(), "resources/templates/list");
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (std::size_t i = offset; i < end; ++i) list->add(all[i]->toListEntry());
    Poco::JSON::Object::Ptr result = new Poco::JSON::Object;
    result->set("resourceTemplates", list);
    if (end < all.size()) result->set("nextCursor", encodeCursor(end));
    return result;
}

Poco::JSON::Object::Ptr McpDispatcher::readResource(const Poco::JSON::Object::Ptr& params, const RequestContext& ctx) const {
    const std::string uri = requireUri(params, "resources/read");
    Poco::JSON::Object::Ptr args = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    args->set("uri", uri);
    pluginhost::LoadedPlugin* plugin = nullptr;
    mcph_invoke_fn fn = nullptr;
    std::string name, mimeType;
    void* data = nullptr;
    const auto offerings = tools_.snapshot();  // held until the read returns
    if (const auto* r = offerings->findResource(uri)) {
        plugin = r->plugin, fn = r->read, name = r->name, mimeType = r->mimeType, data = r->data;
    } else {
        for (const auto* t : offerings->resourceTemplates()) {
            auto vars = t->match(uri);
            if (!vars) continue;
            Poco::JSON::Object::Ptr variables = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            for (const auto& [k, v] : *vars) variables->set(k, v);
            args->set("variables", variables);
            plugin = t->plugin, fn = t->read, name = t->name, mimeType = t->mimeType, data = t->data;
            break;
        }
    }
    // 2026-07-28 moved "not found" to Invalid params (-32602).
    const int notFound = ctx.protocolVersion == "2026-07-28" ? rpc::kInvalidParams : kResourceNotFound;
    if (!plugin) throw RpcError{notFound, "Resource not found: " + uri};

    std::ostringstream argsJson;
    args->stringify(argsJson);
    mcph_result result;
    result.kind = ResultKind::ResourceContents;
    result.uri = uri;
    result.mimeType = mimeType;
    result.limit = invoker_.maxResultBytes();
    result.services = ctx.services;
    const mcph_status status = pluginhost::invokePlugin(*plugin, fn, name, data, argsJson.str(), ctx.auth, result);
    if (status == MCPH_ERR_INPUT_REQUIRED) throw pluginhost::InputRequired{};
    if (status == MCPH_ERR_NOT_FOUND) throw RpcError{notFound, "Resource not found: " + uri};
    if (status != MCPH_OK) {
        throw RpcError{rpc::kInternalError, "Reading " + uri + " failed: " + pluginhost::statusName(status)};
    }
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
    out->set("contents", result.content);
    return out;
}

Poco::JSON::Object::Ptr McpDispatcher::subscribe(const Poco::JSON::Object::Ptr& params, const RequestContext& ctx, bool on) const {
    const char* method = on ? "resources/subscribe" : "resources/unsubscribe";
    const std::string uri = requireUri(params, method);
    if (!ctx.session) throw RpcError{rpc::kMethodNotFound, std::string("Method not found: ") + method};
    if (on) {
        ctx.session->subscribe(uri);
    } else {
        ctx.session->unsubscribe(uri);
    }
    return new Poco::JSON::Object;
}

}  // namespace mcph::mcp
