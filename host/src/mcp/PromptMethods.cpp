// prompts/list, prompts/get, completion/complete and logging/setLevel.
#include <Poco/JSON/Array.h>

#include <sstream>

#include "mcp/Cursor.h"
#include "mcp/McpDispatcher.h"
#include "mcp/LogLevel.h"
#include "pluginhost/LoadedPlugin.h"
#include "pluginhost/ToolResult.h"

namespace mcph::mcp {
namespace {

constexpr std::size_t kMaxCompletionValues = 100;  // completion.mdx: at most 100 per response

std::string toJson(const Poco::JSON::Object::Ptr& obj) {
    std::ostringstream out;
    obj->stringify(out);
    return out.str();
}

Poco::JSON::Object::Ptr noCompletions() {
    Poco::JSON::Object::Ptr completion = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    completion->set("values", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
    completion->set("total", 0);
    completion->set("hasMore", false);
    Poco::JSON::Object::Ptr result = new Poco::JSON::Object;
    result->set("completion", completion);
    return result;
}

}  // namespace

Poco::JSON::Object::Ptr McpDispatcher::listPrompts(const Poco::JSON::Object::Ptr& params) const {
    const auto offerings = tools_.snapshot();
    const auto& all = offerings->prompts();
    const auto [offset, end] = page(params, all.size(), "prompts/list");
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (std::size_t i = offset; i < end; ++i) list->add(all[i]->toListEntry());
    Poco::JSON::Object::Ptr result = new Poco::JSON::Object;
    result->set("prompts", list);
    if (end < all.size()) result->set("nextCursor", encodeCursor(end));
    return result;
}

Poco::JSON::Object::Ptr McpDispatcher::getPrompt(const Poco::JSON::Object::Ptr& params, const RequestContext& ctx) const {
    if (!params->has("name") || !params->get("name").isString()) {
        throw RpcError{rpc::kInvalidParams, "prompts/get: \"name\" must be a string"};
    }
    const std::string name = params->getValue<std::string>("name");
    const auto offerings = tools_.snapshot();  // held until the prompt returns
    const pluginhost::PromptSpec* prompt = offerings->findPrompt(name);
    if (!prompt) throw RpcError{rpc::kInvalidParams, "Unknown prompt: " + name};
    Poco::JSON::Object::Ptr arguments = new Poco::JSON::Object;
    if (params->has("arguments") && !params->isNull("arguments")) {
        arguments = params->getObject("arguments");
        if (!arguments) throw RpcError{rpc::kInvalidParams, "prompts/get: \"arguments\" must be an object"};
    }
    for (const auto& [key, value] : *arguments) {
        if (!value.isString()) throw RpcError{rpc::kInvalidParams, "prompts/get: argument \"" + key + "\" must be a string"};
    }
    for (const auto& arg : prompt->arguments) {
        if (arg.required && !arguments->has(arg.name)) {
            throw RpcError{rpc::kInvalidParams, "prompts/get: missing required argument \"" + arg.name + "\""};
        }
    }
    mcph_result result;
    result.kind = ResultKind::PromptMessages;
    result.limit = invoker_.maxResultBytes();
    result.services = ctx.services;
    const mcph_status status =
        pluginhost::invokePlugin(*prompt->plugin, prompt->get, prompt->name, prompt->data, toJson(arguments), ctx.auth, result);
    if (status == MCPH_ERR_INPUT_REQUIRED) throw pluginhost::InputRequired{};
    if (status != MCPH_OK) {
        throw RpcError{rpc::kInternalError, "Prompt \"" + name + "\" failed: " + pluginhost::statusName(status)};
    }
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    if (!prompt->description.empty()) out->set("description", prompt->description);
    out->set("messages", result.content);
    return out;
}

Poco::JSON::Object::Ptr McpDispatcher::complete(const Poco::JSON::Object::Ptr& params, const RequestContext& ctx) const {
    auto ref = params->getObject("ref");
    auto argument = params->getObject("argument");
    if (!ref || !ref->has("type") || !argument || !argument->has("name")) {
        throw RpcError{rpc::kInvalidParams, "completion/complete: \"ref\" and \"argument\" are required"};
    }
    const std::string type = ref->optValue<std::string>("type", "");
    const auto offerings = tools_.snapshot();  // held until the completion returns
    pluginhost::LoadedPlugin* owner = nullptr;
    std::string target;
    if (type == "ref/prompt") {
        target = ref->optValue<std::string>("name", "");
        const auto* prompt = offerings->findPrompt(target);
        if (!prompt) throw RpcError{rpc::kInvalidParams, "completion/complete: unknown prompt \"" + target + "\""};
        owner = prompt->plugin;
    } else if (type == "ref/resource") {
        target = ref->optValue<std::string>("uri", "");
        const auto* tmpl = offerings->findTemplate(target);
        if (!tmpl) throw RpcError{rpc::kInvalidParams, "completion/complete: unknown resource template \"" + target + "\""};
        owner = tmpl->plugin;
    } else {
        throw RpcError{rpc::kInvalidParams, "completion/complete: unknown ref type \"" + type + "\""};
    }
    if (!owner->complete) return noCompletions();

    mcph_result result;
    result.kind = ResultKind::Completion;
    result.limit = invoker_.maxResultBytes();
    result.services = ctx.services;
    const mcph_status status = pluginhost::invokePlugin(*owner, owner->complete, target, nullptr, toJson(params), ctx.auth, result);
    if (status != MCPH_OK || !result.structured) return noCompletions();
    // Keep only what the schema allows: strings, at most 100 of them.
    auto values = result.structured->getArray("values");
    Poco::JSON::Array::Ptr kept = new Poco::JSON::Array;
    std::size_t count = 0;
    for (std::size_t i = 0; values && i < values->size(); ++i) {
        if (!values->get(i).isString()) continue;
        if (count++ < kMaxCompletionValues) kept->add(values->get(i));
    }
    Poco::JSON::Object::Ptr completion = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    completion->set("values", kept);
    if (result.structured->has("total") && result.structured->get("total").isInteger()) {
        completion->set("total", result.structured->get("total"));
    }
    completion->set("hasMore", count > kMaxCompletionValues || result.structured->optValue<bool>("hasMore", false));
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
    out->set("completion", completion);
    return out;
}

Poco::JSON::Object::Ptr McpDispatcher::setLogLevel(const Poco::JSON::Object::Ptr& params, const RequestContext& ctx) const {
    const int severity = params->has("level") && params->get("level").isString()
                             ? logSeverity(params->getValue<std::string>("level"))
                             : -1;
    if (severity < 0) throw RpcError{rpc::kInvalidParams, "logging/setLevel: \"level\" must be an MCP log level (debug ... emergency)"};
    if (ctx.session) ctx.session->setLogLevel(severity);
    return new Poco::JSON::Object;
}

}  // namespace mcph::mcp
