#include "pluginhost/HostApi.h"

#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>

#include <cstring>
#include <type_traits>

#include "pluginhost/CallServices.h"
#include "pluginhost/ResourceUpdateRelay.h"
#include "pluginhost/ToolResult.h"

#include <atomic>
#include <mutex>

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

}  // namespace

void initHostApiBlock(HostApiBlock& block, const std::string& pluginName, ResourceUpdateRelay* updates) {
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
    std::strncpy(block.pluginName, pluginName.c_str(), sizeof block.pluginName - 1);
    block.resourceUpdates = updates;
}

}  // namespace mcph::pluginhost
