#include "fake_host.hpp"

#include <cstddef>

#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>
#include <utility>

namespace abitest {
namespace {

mcph_status addText(mcph_result* result, const char* text, size_t len) {
    if (result == nullptr || (text == nullptr && len > 0)) {
        return MCPH_ERR_INVALID_ARGUMENT;
    }
    result->texts.emplace_back(text, len);
    return MCPH_OK;
}

mcph_status addContentJson(mcph_result* result, const char* json, size_t len) {
    if (result == nullptr || json == nullptr) {
        return MCPH_ERR_INVALID_ARGUMENT;
    }
    result->contents.emplace_back(json, len);
    return MCPH_OK;
}

mcph_status setStructuredJson(mcph_result* result, const char* json, size_t len) {
    if (result == nullptr || json == nullptr) {
        return MCPH_ERR_INVALID_ARGUMENT;
    }
    result->structured = std::string(json, len);
    return MCPH_OK;
}

mcph_status setError(mcph_result* result, int32_t isError) {
    if (result == nullptr) {
        return MCPH_ERR_INVALID_ARGUMENT;
    }
    result->isError = isError != 0;
    return MCPH_OK;
}

}  // namespace

Caller Caller::anonymous() { return Caller(Fields{"anonymous", "", "", "", ""}, {}, false); }

Caller Caller::user(std::string issuer, std::string userId, std::vector<std::string> scopes,
                    std::string email, std::string name, std::string clientId) {
    return Caller(Fields{std::move(userId), std::move(issuer), std::move(email), std::move(name),
                         std::move(clientId)},
                  std::move(scopes), true);
}

Caller::Caller(Fields fields, std::vector<std::string> scopes, bool authenticated)
    : fields_(std::move(fields)), scopes_(std::move(scopes)), authenticated_(authenticated) {
    for (const auto& scope : scopes_) {
        scopePointers_.push_back(scope.c_str());
    }
    context_.struct_size = sizeof(mcph_auth_context);
    context_.authenticated = authenticated_ ? 1 : 0;
    context_.user_id = fields_.userId.c_str();
    context_.issuer = fields_.issuer.c_str();
    context_.email = fields_.email.c_str();
    context_.name = fields_.name.c_str();
    context_.client_id = fields_.clientId.c_str();
    context_.scopes = scopePointers_.empty() ? nullptr : scopePointers_.data();
    context_.scope_count = scopePointers_.size();
    context_.picture = "";
    context_.claims_json = "{}";
    context_.claims_len = 2;
}

std::string Outcome::text() const {
    std::string joined;
    for (const auto& block : result.texts) {
        joined += (joined.empty() ? "" : "\n") + block;
    }
    return joined;
}

LoadedPlugin::LoadedPlugin(const std::string& path) {
    handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr) {
        throw std::runtime_error("dlopen failed: " + std::string(dlerror()));
    }
    entry_ = reinterpret_cast<mcph_plugin_entry_fn>(dlsym(handle_, MCPH_ENTRY_SYMBOL));
    if (entry_ == nullptr) {
        dlclose(handle_);
        throw std::runtime_error(path + " has no " MCPH_ENTRY_SYMBOL);
    }
    // A 1.0 host: the table ends after `log`, so plugins see the 1.1 services as absent (and
    // the C++ layer's progress/log become no-ops) instead of calling NULL entries.
    descriptor_ = entry_(MCPH_ABI_MAJOR, 0);

    table_.api.struct_size = offsetof(mcph_host_api, log) + sizeof(table_.api.log);
    table_.api.abi_major = MCPH_ABI_MAJOR;
    table_.api.abi_minor = 0;
    table_.api.result_add_text = addText;
    table_.api.result_add_content_json = addContentJson;
    table_.api.result_set_structured_json = setStructuredJson;
    table_.api.result_set_error = setError;
    table_.api.log = &LoadedPlugin::log;
    table_.owner = this;
}

LoadedPlugin::~LoadedPlugin() {
    shutdown();
    dlclose(handle_);
}

mcph_status LoadedPlugin::init(const std::string& settingsJson, std::string* reason) {
    if (descriptor_->init == nullptr) {
        initialized_ = true;
        return MCPH_OK;
    }
    char err[256] = "(no reason given)";
    const mcph_status status =
        descriptor_->init(&table_.api, settingsJson.c_str(), &state_, err, sizeof(err));
    initialized_ = status == MCPH_OK;
    if (!initialized_ && reason != nullptr) {
        *reason = err;
    }
    return status;
}

void LoadedPlugin::shutdown() {
    if (initialized_ && descriptor_->shutdown != nullptr) {
        descriptor_->shutdown(state_);
    }
    initialized_ = false;
    state_ = nullptr;
}

Outcome LoadedPlugin::invoke(std::string_view tool, std::string_view argumentsJson,
                             const Caller& caller) {
    Outcome outcome;
    for (size_t i = 0; i < descriptor_->tool_count; ++i) {
        const mcph_tool& candidate = descriptor_->tools[i];
        if (tool == candidate.name) {
            const std::string toolName(tool);
            const std::string arguments(argumentsJson);  // NUL-terminated, though len is given
            const mcph_call call{sizeof(mcph_call),  toolName.c_str(), arguments.c_str(),
                                 arguments.size(),   caller.context(), state_,
                                 candidate.tool_data};
            outcome.status = candidate.invoke(&call, &outcome.result);
            return outcome;
        }
    }
    ADD_FAILURE() << "no tool named " << tool;
    outcome.status = MCPH_ERR_INVALID_ARGUMENT;
    return outcome;
}

std::vector<LogLine> LoadedPlugin::logs() const {
    const std::lock_guard<std::mutex> lock(logMutex_);
    return logs_;
}

void LoadedPlugin::log(const mcph_host_api* self, mcph_log_level level, const char* message) {
    LoadedPlugin* owner = reinterpret_cast<const Table*>(self)->owner;
    const std::lock_guard<std::mutex> lock(owner->logMutex_);
    owner->logs_.push_back(LogLine{level, message});
}

}  // namespace abitest
