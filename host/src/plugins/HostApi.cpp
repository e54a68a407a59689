#include "plugins/HostApi.h"

#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>

#include <cstring>
#include <type_traits>

#include "plugins/ToolResult.h"

namespace mcph::plugins {
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
    Poco::JSON::Object::Ptr block = new Poco::JSON::Object;
    block->set("type", "text");
    block->set("text", std::string(text ? text : "", len));
    r->content->add(block);
    r->hasText = true;
    return MCPH_OK;
}

mcph_status addContentJson(mcph_result* r, const char* json, std::size_t len) {
    if (!r || !json) return MCPH_ERR_INVALID_ARGUMENT;
    if (!reserve(r, len)) return MCPH_ERR_TOO_LARGE;
    auto block = parseObject(json, len);
    if (!block || !block->has("type") || !block->get("type").isString()) return MCPH_ERR_INVALID_ARGUMENT;
    if (block->getValue<std::string>("type") == "text") r->hasText = true;
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

}  // namespace

void initHostApiBlock(HostApiBlock& block, const std::string& pluginName) {
    std::memset(&block, 0, sizeof block);
    block.api.struct_size = sizeof(mcph_host_api);
    block.api.abi_major = MCPH_ABI_MAJOR;
    block.api.abi_minor = MCPH_ABI_MINOR;
    block.api.result_add_text = addText;
    block.api.result_add_content_json = addContentJson;
    block.api.result_set_structured_json = setStructuredJson;
    block.api.result_set_error = setError;
    block.api.log = log;
    std::strncpy(block.pluginName, pluginName.c_str(), sizeof block.pluginName - 1);
}

}  // namespace mcph::plugins
