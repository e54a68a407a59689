#include "pluginhost/HostApi.h"

#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Logger.h>

#include <cstring>
#include <type_traits>

#include <cmath>
#include <sstream>

#include "pluginhost/CallServices.h"
#include "pluginhost/JsonPointer.h"
#include "pluginhost/ResourceUpdateRelay.h"
#include "pluginhost/ToolChangeRelay.h"
#include "pluginhost/ToolResult.h"

namespace mcph::pluginhost {
namespace {

static_assert(std::is_standard_layout_v<HostApiBlock>, "log() casts the table back to its block");

// Counts bytes toward the result limit; refuses the addition when it would pass it.
bool reserve(mcph_result* r, std::size_t len) {
    if (len > r->limit || r->bytes > r->limit - len) return false;
    r->bytes += len;
    return true;
}

Poco::JSON::Object::Ptr parseObject(const char* json, std::size_t len) {
    try {
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));  // keep the plugin's key order
        auto v = parser.parse(std::string(json, len));
        if (v.type() == typeid(Poco::JSON::Object::Ptr)) return v.extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception&) {
    }
    return nullptr;
}

mcph_status addText(mcph_result* r, const char* text, std::size_t len) {
    if (!r || (!text && len)) return MCPH_ERR_INVALID_ARGUMENT;
    if (!reserve(r, len)) return MCPH_ERR_TOO_LARGE;
    std::string value(text ? text : "", len);
    Poco::JSON::Object::Ptr block = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    switch (r->kind) {
        case ResultKind::ResourceContents:
            // One text content of the resource being read.
            block->set("uri", r->uri);
            if (!r->mimeType.empty()) block->set("mimeType", r->mimeType);
            block->set("text", value);
            break;
        case ResultKind::PromptMessages: {
            Poco::JSON::Object::Ptr content = new Poco::JSON::Object;
            content->set("type", "text");
            content->set("text", value);
            block->set("role", "user");
            block->set("content", content);
            break;
        }
        default:
            block->set("type", "text");
            block->set("text", value);
    }
    r->content->add(block);
    r->hasText = true;
    return MCPH_OK;
}

mcph_status addContentJson(mcph_result* r, const char* json, std::size_t len) {
    if (!r || !json) return MCPH_ERR_INVALID_ARGUMENT;
    if (!reserve(r, len)) return MCPH_ERR_TOO_LARGE;
    auto block = parseObject(json, len);
    if (!block) return MCPH_ERR_INVALID_ARGUMENT;
    switch (r->kind) {
        case ResultKind::ResourceContents:
            // {uri, mimeType?, text | blob}
            if (!block->has("uri") || !block->get("uri").isString()) return MCPH_ERR_INVALID_ARGUMENT;
            if (!block->has("text") && !block->has("blob")) return MCPH_ERR_INVALID_ARGUMENT;
            break;
        case ResultKind::PromptMessages:
            if (!block->has("role") || !block->getObject("content")) return MCPH_ERR_INVALID_ARGUMENT;
            break;
        default:
            if (!block->has("type") || !block->get("type").isString()) return MCPH_ERR_INVALID_ARGUMENT;
            if (block->getValue<std::string>("type") == "text") r->hasText = true;
    }
    r->content->add(block);
    return MCPH_OK;
}

mcph_status setStructuredJson(mcph_result* r, const char* json, std::size_t len) {
    if (!r || !json) return MCPH_ERR_INVALID_ARGUMENT;
    if (!reserve(r, len)) return MCPH_ERR_TOO_LARGE;
    auto obj = parseObject(json, len);
    if (!obj) return MCPH_ERR_INVALID_ARGUMENT;
    r->structured = obj;
    return MCPH_OK;
}

mcph_status setError(mcph_result* r, int32_t isError) {
    if (!r) return MCPH_ERR_INVALID_ARGUMENT;
    r->isError = isError != 0;
    return MCPH_OK;
}

void log(const mcph_host_api* self, mcph_log_level level, const char* message) {
    if (!self || !message) return;
    const auto* block = reinterpret_cast<const HostApiBlock*>(self);
    auto& logger = Poco::Logger::get(std::string("plugin.") + block->pluginName);
    switch (level) {
        case MCPH_LOG_DEBUG: logger.debug(message); break;
        case MCPH_LOG_INFO: logger.information(message); break;
        case MCPH_LOG_WARNING: logger.warning(message); break;
        default: logger.error(message); break;
    }
}

bool isLogLevel(const std::string& level) {
    for (const char* known : {"debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"}) {
        if (level == known) return true;
    }
    return false;
}

mcph_status progress(mcph_result* r, double value, double total, const char* message) {
    if (!r) return MCPH_ERR_INVALID_ARGUMENT;
    if (!(value > r->lastProgress)) return MCPH_ERR_INVALID_ARGUMENT;  // must increase (also refuses NaN)
    r->lastProgress = value;
    if (r->services) r->services->progress(value, total < 0 ? std::nullopt : std::optional<double>(total), message ? message : "");
    return MCPH_OK;
}

mcph_status clientLog(mcph_result* r, const char* level, const char* logger, const char* data, std::size_t len) {
    if (!r || !level || !data || !isLogLevel(level)) return MCPH_ERR_INVALID_ARGUMENT;
    // Any JSON value: wrapped, because the parser takes only objects and arrays at the top.
    auto wrapped = parseObject(("{\"v\":" + std::string(data, len) + "}").c_str(), len + 6);
    if (!wrapped || !wrapped->has("v")) return MCPH_ERR_INVALID_ARGUMENT;
    const Poco::Dynamic::Var value = wrapped->get("v");
    if (r->services) r->services->log(level, logger ? logger : "", value);
    return MCPH_OK;
}

int32_t isCancelled(mcph_result* r) { return r && r->services && r->services->cancelled() ? 1 : 0; }

bool isValidKey(const char* key) {
    std::size_t n = 0;
    for (; key[n] && n <= 64; ++n) {
        const char c = key[n];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
        if (!ok) return false;
    }
    return n >= 1 && n <= 64;
}

mcph_status requestInput(mcph_result* r, const char* key, const char* method, const char* params, std::size_t len,
                         const char** answer, std::size_t* answerLen) {
    if (!r || !key || !method || !answer || !answerLen || !isValidKey(key)) return MCPH_ERR_INVALID_ARGUMENT;
    *answer = nullptr;
    *answerLen = 0;
    const std::string m = method;
    if (m != "sampling/createMessage" && m != "elicitation/create" && m != "roots/list") return MCPH_ERR_INVALID_ARGUMENT;
    Poco::JSON::Object::Ptr paramsObj = params ? parseObject(params, len) : Poco::JSON::Object::Ptr(new Poco::JSON::Object);
    if (!paramsObj) return MCPH_ERR_INVALID_ARGUMENT;
    if (!r->services) return MCPH_ERR_UNSUPPORTED;
    InputAnswer got = r->services->requestInput(key, m, paramsObj);
    if (got.status == MCPH_OK || got.status == MCPH_ERR_FAILED) {
        r->answers.push_back(std::move(got.json));
        *answer = r->answers.back().c_str();
        *answerLen = r->answers.back().size();
    }
    return got.status;
}

mcph_status resourceUpdated(const mcph_host_api* self, const char* uri) {
    if (!self || !uri || !*uri) return MCPH_ERR_INVALID_ARGUMENT;
    const auto* block = reinterpret_cast<const HostApiBlock*>(self);
    if (block->resourceUpdates) block->resourceUpdates->publish(uri);
    return MCPH_OK;
}

// ---- 1.2: argument accessors ----

// The call's result, when `call` is the one the host handed over (not a copy).
mcph_result* frameResult(const mcph_call* call) {
    if (!call) return nullptr;
    const auto* frame = reinterpret_cast<const CallFrame*>(call);
    return frame->self == call ? frame->result : nullptr;
}

// The value at `path` in the call's arguments; the status when there is none to give.
mcph_status argumentAt(const mcph_call* call, const char* path, Poco::Dynamic::Var& out) {
    mcph_result* r = frameResult(call);
    if (!r || !path) return MCPH_ERR_INVALID_ARGUMENT;
    if (!r->arguments) {
        const auto* frame = reinterpret_cast<const CallFrame*>(call);
        auto parsed = parseObject(frame->argumentsJson->data(), frame->argumentsJson->size());
        r->arguments = parsed ? Poco::Dynamic::Var(parsed) : Poco::Dynamic::Var(Poco::JSON::Object::Ptr(new Poco::JSON::Object));
    }
    const auto tokens = parseJsonPath(path);
    if (!tokens) return MCPH_ERR_INVALID_ARGUMENT;
    auto found = resolveJsonPath(*r->arguments, *tokens);
    if (!found) return MCPH_ERR_NOT_FOUND;
    out = std::move(*found);
    return MCPH_OK;
}

bool isNumber(const Poco::Dynamic::Var& v) { return v.isNumeric() && !v.isBoolean(); }

std::string toJsonText(const Poco::Dynamic::Var& v) {
    std::ostringstream out;
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) {
        v.extract<Poco::JSON::Object::Ptr>()->stringify(out);
    } else if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
        v.extract<Poco::JSON::Array::Ptr>()->stringify(out);
    } else {
        Poco::JSON::Stringifier::stringify(v, out);
    }
    return out.str();
}

int32_t argType(const mcph_call* call, const char* path) {
    Poco::Dynamic::Var v;
    if (argumentAt(call, path, v) != MCPH_OK) return MCPH_JSON_ABSENT;
    if (v.isEmpty()) return MCPH_JSON_NULL;
    if (v.isBoolean()) return MCPH_JSON_BOOL;
    if (isNumber(v)) return MCPH_JSON_NUMBER;
    if (v.isString()) return MCPH_JSON_STRING;
    if (v.type() == typeid(Poco::JSON::Array::Ptr)) return MCPH_JSON_ARRAY;
    return MCPH_JSON_OBJECT;
}

// Keeps `text` until the call ends and hands it out.
void handOut(const mcph_call* call, std::string text, const char** out, std::size_t* len) {
    auto& texts = frameResult(call)->argumentTexts;
    texts.push_back(std::move(text));
    *out = texts.back().c_str();
    if (len) *len = texts.back().size();
}

mcph_status argString(const mcph_call* call, const char* path, const char** value, std::size_t* len) {
    if (!value) return MCPH_ERR_INVALID_ARGUMENT;
    Poco::Dynamic::Var v;
    if (const mcph_status s = argumentAt(call, path, v); s != MCPH_OK) return s;
    if (!v.isString()) return MCPH_ERR_WRONG_TYPE;
    handOut(call, v.extract<std::string>(), value, len);
    return MCPH_OK;
}

mcph_status argInt(const mcph_call* call, const char* path, int64_t* value) {
    if (!value) return MCPH_ERR_INVALID_ARGUMENT;
    Poco::Dynamic::Var v;
    if (const mcph_status s = argumentAt(call, path, v); s != MCPH_OK) return s;
    if (!isNumber(v)) return MCPH_ERR_WRONG_TYPE;
    if (v.isInteger()) {
        // Poco keeps large positive values unsigned; anything past int64 does not fit.
        if (!v.isSigned() && v.convert<Poco::UInt64>() > static_cast<Poco::UInt64>(INT64_MAX)) return MCPH_ERR_WRONG_TYPE;
        *value = v.convert<Poco::Int64>();
        return MCPH_OK;
    }
    const double d = v.convert<double>();
    // 2^63 is the first double past int64; integral doubles below it convert exactly.
    if (!std::isfinite(d) || std::trunc(d) != d || d < -9223372036854775808.0 || d >= 9223372036854775808.0) {
        return MCPH_ERR_WRONG_TYPE;
    }
    *value = static_cast<int64_t>(d);
    return MCPH_OK;
}

mcph_status argNumber(const mcph_call* call, const char* path, double* value) {
    if (!value) return MCPH_ERR_INVALID_ARGUMENT;
    Poco::Dynamic::Var v;
    if (const mcph_status s = argumentAt(call, path, v); s != MCPH_OK) return s;
    if (!isNumber(v)) return MCPH_ERR_WRONG_TYPE;
    *value = v.convert<double>();
    return MCPH_OK;
}

mcph_status argBool(const mcph_call* call, const char* path, int32_t* value) {
    if (!value) return MCPH_ERR_INVALID_ARGUMENT;
    Poco::Dynamic::Var v;
    if (const mcph_status s = argumentAt(call, path, v); s != MCPH_OK) return s;
    if (!v.isBoolean()) return MCPH_ERR_WRONG_TYPE;
    *value = v.extract<bool>() ? 1 : 0;
    return MCPH_OK;
}

mcph_status argJson(const mcph_call* call, const char* path, const char** json, std::size_t* len) {
    if (!json) return MCPH_ERR_INVALID_ARGUMENT;
    Poco::Dynamic::Var v;
    if (const mcph_status s = argumentAt(call, path, v); s != MCPH_OK) return s;
    handOut(call, toJsonText(v), json, len);
    return MCPH_OK;
}

// ---- 1.2: structured content builders ----

mcph_status structuredSet(mcph_result* r, const char* path, const Poco::Dynamic::Var& value, std::size_t bytes) {
    if (!r || !path || !*path) return MCPH_ERR_INVALID_ARGUMENT;
    const auto tokens = parseJsonPath(path);
    if (!tokens || tokens->empty()) return MCPH_ERR_INVALID_ARGUMENT;
    if (!reserve(r, bytes + tokens->size())) return MCPH_ERR_TOO_LARGE;
    if (!r->structured) r->structured = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    return assignJsonPath(r->structured, *tokens, value) ? MCPH_OK : MCPH_ERR_INVALID_ARGUMENT;
}

mcph_status structuredSetString(mcph_result* r, const char* path, const char* value, std::size_t len) {
    if (!value && len) return MCPH_ERR_INVALID_ARGUMENT;
    return structuredSet(r, path, std::string(value ? value : "", len), len);
}

mcph_status structuredSetInt(mcph_result* r, const char* path, int64_t value) {
    return structuredSet(r, path, Poco::Int64(value), 8);
}

mcph_status structuredSetNumber(mcph_result* r, const char* path, double value) {
    if (!std::isfinite(value)) return MCPH_ERR_INVALID_ARGUMENT;  // JSON has no NaN or infinity
    return structuredSet(r, path, value, 8);
}

mcph_status structuredSetBool(mcph_result* r, const char* path, int32_t value) {
    return structuredSet(r, path, value != 0, 1);
}

mcph_status structuredSetJson(mcph_result* r, const char* path, const char* json, std::size_t len) {
    if (!json) return MCPH_ERR_INVALID_ARGUMENT;
    // Any JSON value: wrapped, because the parser takes only objects and arrays at the top.
    auto wrapped = parseObject(("{\"v\":" + std::string(json, len) + "}").c_str(), len + 6);
    if (!wrapped || !wrapped->has("v")) return MCPH_ERR_INVALID_ARGUMENT;
    return structuredSet(r, path, wrapped->get("v"), len);
}

// ---- 1.2: the plugin's own tools ----

mcph_status addTool(const mcph_host_api* self, const mcph_tool* tool) {
    if (!self || !tool) return MCPH_ERR_INVALID_ARGUMENT;
    const auto* block = reinterpret_cast<const HostApiBlock*>(self);
    if (!block->toolChanges) return MCPH_ERR_UNSUPPORTED;
    return block->toolChanges->addTool(self, tool);
}

mcph_status removeTool(const mcph_host_api* self, const char* name) {
    if (!self || !name) return MCPH_ERR_INVALID_ARGUMENT;
    const auto* block = reinterpret_cast<const HostApiBlock*>(self);
    if (!block->toolChanges) return MCPH_ERR_UNSUPPORTED;
    return block->toolChanges->removeTool(self, name);
}

}  // namespace

void initHostApiBlock(HostApiBlock& block, const std::string& pluginName, ResourceUpdateRelay* updates,
                      ToolChangeRelay* toolChanges) {
    std::memset(&block, 0, sizeof block);
    block.api.struct_size = sizeof(mcph_host_api);
    block.api.abi_major = MCPH_ABI_MAJOR;
    block.api.abi_minor = MCPH_ABI_MINOR;
    block.api.result_add_text = addText;
    block.api.result_add_content_json = addContentJson;
    block.api.result_set_structured_json = setStructuredJson;
    block.api.result_set_error = setError;
    block.api.log = log;
    block.api.progress = progress;
    block.api.client_log = clientLog;
    block.api.is_cancelled = isCancelled;
    block.api.request_input = requestInput;
    block.api.resource_updated = resourceUpdated;
    block.api.arg_type = argType;
    block.api.arg_string = argString;
    block.api.arg_int = argInt;
    block.api.arg_number = argNumber;
    block.api.arg_bool = argBool;
    block.api.arg_json = argJson;
    block.api.structured_set_string = structuredSetString;
    block.api.structured_set_int = structuredSetInt;
    block.api.structured_set_number = structuredSetNumber;
    block.api.structured_set_bool = structuredSetBool;
    block.api.structured_set_json = structuredSetJson;
    block.api.add_tool = addTool;
    block.api.remove_tool = removeTool;
    std::strncpy(block.pluginName, pluginName.c_str(), sizeof block.pluginName - 1);
    block.resourceUpdates = updates;
    block.toolChanges = toolChanges;
}

}  // namespace mcph::pluginhost
