// mcphost/plugin.hpp: an optional, header-only C++17 layer over mcphost/plugin.h.
//
// Tools are plain functions (or captureless lambdas) that take a mcph::Call and fill a
// mcph::Result. This layer turns them into the C ABI's function pointers and guarantees that
// no exception reaches the host:
//   mcph::ToolError      an isError result with its message; invoke returns MCPH_OK (a tool
//                        error the model sees and may correct, e.g. a bad argument)
//   mcph::StatusError    thrown by Result when a host setter fails; invoke returns that status
//   anything else        an isError result with the exception's message; MCPH_ERR_FAILED
// In init, any exception refuses the load with its message as the reason.
//
// No JSON library comes with the SDK. With a 1.2 host, read arguments with call.argString(),
// argInt(), ... (by name or JSON Pointer) and build structured content with
// result.structuredString(), ...; otherwise parse call.arguments with the library you like, and
// build output JSON with it or with mcph::jsonString().
//
//   static void hello(const mcph::Call& call, mcph::Result& result) {
//       result.addText("Hello, " + std::string(call.userId) + "!");
//   }
//   static constexpr mcph_tool kTools[] = {
//       mcph::Tool("hello", mcph::invoke<hello>).description("Greets the caller."),
//   };
//   static constexpr mcph_plugin kPlugin = mcph::Plugin("hello", "1.0.0", kTools);
//   MCPH_PLUGIN_ENTRY(kPlugin)
//
// A lambda works too when it is constexpr and captures nothing: mcph::invoke<+kLambda>.
// Descriptors built here are constant-initialized, so they are static for the plugin's life.
#ifndef MCPHOST_PLUGIN_HPP
#define MCPHOST_PLUGIN_HPP

#if __cplusplus < 201703L
#error "mcphost/plugin.hpp needs C++17; C++ plugins may also use mcphost/plugin.h directly"
#endif

#include <mcphost/plugin.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace mcph {

// A tool-level failure: becomes an isError result carrying the message, status MCPH_OK.
class ToolError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A host setter refused (result too large, malformed JSON, ...). invoke returns the status.
class StatusError : public std::runtime_error {
  public:
    StatusError(mcph_status status, const char* what) : std::runtime_error(what), status_(status) {}
    mcph_status status() const noexcept { return status_; }

  private:
    mcph_status status_;
};

// The host's API table, as handed to init.
class Host {
  public:
    explicit Host(const mcph_host_api* api) noexcept : api_(api) {}

    uint32_t abiMinor() const noexcept { return api_->abi_minor; }
    const mcph_host_api* api() const noexcept { return api_; }
    // The host implements ABI 1.2 (argument accessors, structured builders, add/removeTool).
    bool has12() const noexcept {
        return api_->abi_minor >= 2 &&
               api_->struct_size >= offsetof(mcph_host_api, remove_tool) + sizeof(void*);
    }

    // ABI 1.2: adds (or replaces) one of this plugin's tools at run time; any thread, after init.
    // The descriptor is copied; its invoke and tool_data must stay valid. MCPH_ERR_UNSUPPORTED
    // on an older host.
    mcph_status addTool(const mcph_tool& tool) const {
        return has12() ? api_->add_tool(api_, &tool) : MCPH_ERR_UNSUPPORTED;
    }
    mcph_status removeTool(const char* name) const {
        return has12() ? api_->remove_tool(api_, name) : MCPH_ERR_UNSUPPORTED;
    }

    void log(mcph_log_level level, std::string_view message) const {
        const std::string terminated(message);
        api_->log(api_, level, terminated.c_str());
    }
    void debug(std::string_view message) const { log(MCPH_LOG_DEBUG, message); }
    void info(std::string_view message) const { log(MCPH_LOG_INFO, message); }
    void warning(std::string_view message) const { log(MCPH_LOG_WARNING, message); }
    void error(std::string_view message) const { log(MCPH_LOG_ERROR, message); }

  private:
    const mcph_host_api* api_;
};

// One tool call, as views into memory the host owns for the duration of the call: copy what
// you keep. Per-user data belongs under (issuer, userId), never under userId alone.
struct Call {
    std::string_view tool;
    std::string_view arguments;  // a JSON object, "{}" when the client sent none
    bool authenticated = false;  // false for the anonymous caller of auth provider "none"
    std::string_view userId;     // "anonymous" when not authenticated
    std::string_view issuer;
    std::string_view email;
    std::string_view name;
    std::string_view clientId;
    std::vector<std::string_view> scopes;
    std::string_view picture;     // ABI 1.2 hosts; "" otherwise
    std::string_view claimsJson;  // ABI 1.2 hosts: the verified claims as a JSON object; "{}"
    Host host{nullptr};
    void* state = nullptr;  // what the plugin's init function returned
    const mcph_call* raw = nullptr;  // the C call, for the host's argument accessors

    bool hasScope(std::string_view scope) const {
        return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
    }

    // ---- ABI 1.2: arguments by name ("text") or JSON Pointer ("/options/limit"). Absent:
    // nullopt. Present with another type: throws ToolError naming the argument (the model sees
    // it and can correct the call). On an older host: throws StatusError(UNSUPPORTED). ----
    int argType(const char* path) const { return needs12()->arg_type(raw, path); }
    bool hasArg(const char* path) const { return argType(path) != MCPH_JSON_ABSENT; }
    std::optional<std::string> argString(const char* path) const {
        const char* value = nullptr;
        size_t len = 0;
        if (!found(needs12()->arg_string(raw, path, &value, &len), path, "a string")) return {};
        return std::string(value, len);
    }
    std::optional<int64_t> argInt(const char* path) const {
        int64_t value = 0;
        if (!found(needs12()->arg_int(raw, path, &value), path, "an integer")) return {};
        return value;
    }
    std::optional<double> argNumber(const char* path) const {
        double value = 0;
        if (!found(needs12()->arg_number(raw, path, &value), path, "a number")) return {};
        return value;
    }
    std::optional<bool> argBool(const char* path) const {
        int32_t value = 0;
        if (!found(needs12()->arg_bool(raw, path, &value), path, "true or false")) return {};
        return value != 0;
    }
    // Any value as JSON text.
    std::optional<std::string> argJson(const char* path) const {
        const char* json = nullptr;
        size_t len = 0;
        if (!found(needs12()->arg_json(raw, path, &json, &len), path, "JSON")) return {};
        return std::string(json, len);
    }

  private:
    const mcph_host_api* needs12() const {
        if (!host.has12()) throw StatusError(MCPH_ERR_UNSUPPORTED, "the host is older than ABI 1.2");
        return host.api();
    }
    static bool found(mcph_status status, const char* path, const char* expected) {
        if (status == MCPH_OK) return true;
        if (status == MCPH_ERR_NOT_FOUND) return false;
        if (status == MCPH_ERR_WRONG_TYPE) {
            throw ToolError(std::string("argument \"") + path + "\" must be " + expected);
        }
        throw StatusError(status, "reading an argument failed");
    }

  public:
    template <class T>
    T& stateAs() const {
        return *static_cast<T*>(state);
    }
};

// The result being built; every setter copies, so temporaries are fine to pass.
class Result {
  public:
    Result(const mcph_host_api* api, mcph_result* handle) noexcept : api_(api), handle_(handle) {}

    Result& addText(std::string_view text) {
        check(api_->result_add_text(handle_, text.data(), text.size()), "adding text failed");
        return *this;
    }
    // One content block given as a JSON object (image, audio, resource_link, ...).
    Result& addContentJson(std::string_view json) {
        check(api_->result_add_content_json(handle_, json.data(), json.size()),
              "adding a content block failed");
        return *this;
    }
    Result& setStructuredJson(std::string_view json) {
        check(api_->result_set_structured_json(handle_, json.data(), json.size()),
              "setting structured content failed");
        return *this;
    }
    // ---- ABI 1.2: structured content member by member ("/name", "/items/-" appends).
    // Throws StatusError on an older host or a refused path. ----
    Result& structuredString(const char* path, std::string_view value) {
        check(needs12()->structured_set_string(handle_, path, value.data(), value.size()),
              "setting structured content failed");
        return *this;
    }
    Result& structuredInt(const char* path, int64_t value) {
        check(needs12()->structured_set_int(handle_, path, value), "setting structured content failed");
        return *this;
    }
    Result& structuredNumber(const char* path, double value) {
        check(needs12()->structured_set_number(handle_, path, value),
              "setting structured content failed");
        return *this;
    }
    Result& structuredBool(const char* path, bool value) {
        check(needs12()->structured_set_bool(handle_, path, value ? 1 : 0),
              "setting structured content failed");
        return *this;
    }
    // Any JSON value given as text.
    Result& structuredJson(const char* path, std::string_view json) {
        check(needs12()->structured_set_json(handle_, path, json.data(), json.size()),
              "setting structured content failed");
        return *this;
    }

    // Marks the result as a tool error, adding `message` as a text block when it is not empty.
    Result& setError(std::string_view message = {}) {
        if (!message.empty()) {
            addText(message);
        }
        check(api_->result_set_error(handle_, 1), "marking the result as an error failed");
        return *this;
    }

    // ---- ABI 1.1: talking to the client during the call. On a 1.0 host, progress and log
    // do nothing, cancelled() is false, and requestInput throws StatusError(UNSUPPORTED). ----

    // Reports progress (only sent when the client asked for it); `total` < 0: unknown.
    Result& progress(double value, double total = -1, const char* message = nullptr) {
        if (has11()) {
            check(api_->progress(handle_, value, total, message), "reporting progress failed");
        }
        return *this;
    }
    // A log message for the client; `level` is an MCP level ("info", "warning", ...).
    Result& log(const char* level, std::string_view text, const char* logger = nullptr) {
        if (has11()) {
            const std::string data = jsonStringOf(text);
            check(api_->client_log(handle_, level, logger, data.data(), data.size()),
                  "sending a log message failed");
        }
        return *this;
    }
    bool cancelled() const { return has11() && api_->is_cancelled(handle_) != 0; }
    // Asks the client ("sampling/createMessage", "elicitation/create", "roots/list") under
    // `key` and returns its result object as JSON text. Throws StatusError otherwise; let it
    // propagate: MCPH_ERR_INPUT_REQUIRED must reach the host, which asks the client and calls
    // the tool again, and this request is then answered at once.
    std::string requestInput(const char* key, const char* method, std::string_view paramsJson) {
        InputReply reply = askInput(key, method, paramsJson);
        if (reply.status == MCPH_ERR_FAILED) {
            throw ToolError("the client refused the request: " + reply.json);
        }
        check(reply.status, "the client did not answer the request for input");
        return reply.json;
    }
    // The same without throwing, to ask several things in one round: collect the replies,
    // and when any is MCPH_ERR_INPUT_REQUIRED, throw inputRequired() after asking them all.
    struct InputReply {
        mcph_status status;
        std::string json;
    };
    InputReply askInput(const char* key, const char* method, std::string_view paramsJson) {
        if (!has11()) {
            return {MCPH_ERR_UNSUPPORTED, {}};
        }
        const char* answer = nullptr;
        size_t len = 0;
        const mcph_status status = api_->request_input(handle_, key, method, paramsJson.data(),
                                                       paramsJson.size(), &answer, &len);
        return {status, answer != nullptr ? std::string(answer, len) : std::string()};
    }
    static StatusError inputRequired() {
        return StatusError(MCPH_ERR_INPUT_REQUIRED, "input required");
    }

  private:
    static void check(mcph_status status, const char* what) {
        if (status != MCPH_OK) {
            throw StatusError(status, what);
        }
    }
    bool has11() const noexcept {
        return api_->struct_size >= offsetof(mcph_host_api, resource_updated) + sizeof(void*);
    }
    const mcph_host_api* needs12() const {
        if (!Host(api_).has12()) throw StatusError(MCPH_ERR_UNSUPPORTED, "the host is older than ABI 1.2");
        return api_;
    }
    static std::string jsonStringOf(std::string_view text);

    const mcph_host_api* api_;
    mcph_result* handle_;
};

// `text` as a JSON string literal, quotes included. The input must be UTF-8; bytes >= 0x80 pass
// through unchanged, control characters are escaped.
inline std::string jsonString(std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    for (const char ch : text) {
        const auto byte = static_cast<unsigned char>(ch);
        switch (ch) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            default:
                if (byte < 0x20) {
                    out += "\\u00";
                    out += kHex[byte >> 4];
                    out += kHex[byte & 0xF];
                } else {
                    out += ch;
                }
        }
    }
    out += '"';
    return out;
}

inline std::string Result::jsonStringOf(std::string_view text) { return jsonString(text); }

namespace detail {

// What the C plugin_state points at: the host table plus the author's own state.
struct Context {
    const mcph_host_api* host = nullptr;
    void* user = nullptr;
};

inline Call makeCall(const mcph_call& call, const Context& context) {
    const mcph_auth_context& auth = *call.auth;
    Call view{};
    view.tool = call.tool_name;
    view.arguments = std::string_view(call.arguments_json, call.arguments_len);
    view.authenticated = auth.authenticated != 0;
    view.userId = auth.user_id;
    view.issuer = auth.issuer;
    view.email = auth.email;
    view.name = auth.name;
    view.clientId = auth.client_id;
    view.scopes.assign(auth.scopes, auth.scopes + auth.scope_count);
    if (MCPH_HAS_FIELD(&auth, mcph_auth_context, claims_len) && auth.picture && auth.claims_json) {
        view.picture = auth.picture;
        view.claimsJson = std::string_view(auth.claims_json, auth.claims_len);
    } else {
        view.claimsJson = "{}";
    }
    view.host = Host(context.host);
    view.state = context.user;
    view.raw = &call;
    return view;
}

// Reports a caught exception without allocating, so it works even after bad_alloc.
inline mcph_status fail(const mcph_host_api* host, mcph_result* result, const char* message,
                        mcph_status status) noexcept {
    host->result_add_text(result, message, std::strlen(message));
    host->result_set_error(result, 1);
    return status;
}

inline void copyReason(char* err, size_t errSize, const char* reason) noexcept {
    if (err != nullptr && errSize > 0) {
        const size_t n = std::min(std::strlen(reason), errSize - 1);
        std::memcpy(err, reason, n);
        err[n] = '\0';
    }
}

template <auto InitFn>
mcph_status init(const mcph_host_api* host, const char* settingsJson, void** pluginState, char* err,
                 size_t errSize) noexcept {
    try {
        auto context = std::make_unique<Context>();
        context->host = host;
        if constexpr (!std::is_null_pointer_v<decltype(InitFn)>) {
            context->user =
                InitFn(Host(host), std::string_view(settingsJson ? settingsJson : "{}"));
        }
        *pluginState = context.release();
        return MCPH_OK;
    } catch (const std::exception& e) {
        copyReason(err, errSize, e.what());
    } catch (...) {
        copyReason(err, errSize, "init threw an unknown exception");
    }
    return MCPH_ERR_FAILED;
}

template <auto ShutdownFn>
void shutdown(void* pluginState) noexcept {
    std::unique_ptr<Context> context(static_cast<Context*>(pluginState));
    if (!context) {
        return;
    }
    if constexpr (!std::is_null_pointer_v<decltype(ShutdownFn)>) {
        try {
            ShutdownFn(context->user);
        } catch (...) {
            context->host->log(context->host, MCPH_LOG_ERROR, "shutdown threw an exception");
        }
    }
}

}  // namespace detail

// The C invoke function for a handler `void f(const Call&, Result&)`, or one that returns a
// std::string to be added as a text block.
template <auto Handler>
mcph_status invoke(const mcph_call* call, mcph_result* handle) noexcept {
    const auto* context = static_cast<const detail::Context*>(call->plugin_state);
    try {
        const Call view = detail::makeCall(*call, *context);
        Result result(context->host, handle);
        using Returned = std::invoke_result_t<decltype(Handler), const Call&, Result&>;
        if constexpr (std::is_void_v<Returned>) {
            Handler(view, result);
        } else {
            result.addText(Handler(view, result));
        }
        return MCPH_OK;
    } catch (const ToolError& e) {
        return detail::fail(context->host, handle, e.what(), MCPH_OK);
    } catch (const StatusError& e) {
        return detail::fail(context->host, handle, e.what(), e.status());
    } catch (const std::exception& e) {
        return detail::fail(context->host, handle, e.what(), MCPH_ERR_FAILED);
    } catch (...) {
        return detail::fail(context->host, handle, "the tool threw an unknown exception",
                            MCPH_ERR_FAILED);
    }
}

// Tool annotations: hints for clients, never trusted for security. Unset unless called.
class Annotations {
  public:
    constexpr Annotations()
        : a_{sizeof(mcph_tool_annotations),
             nullptr,
             MCPH_HINT_UNSET,
             MCPH_HINT_UNSET,
             MCPH_HINT_UNSET,
             MCPH_HINT_UNSET} {}
    constexpr Annotations& title(const char* value) {
        a_.title = value;
        return *this;
    }
    constexpr Annotations& readOnly(bool value = true) { return set(a_.read_only_hint, value); }
    constexpr Annotations& destructive(bool value = true) {
        return set(a_.destructive_hint, value);
    }
    constexpr Annotations& idempotent(bool value = true) { return set(a_.idempotent_hint, value); }
    constexpr Annotations& openWorld(bool value = true) { return set(a_.open_world_hint, value); }
    constexpr operator mcph_tool_annotations() const { return a_; }

  private:
    constexpr Annotations& set(int32_t& hint, bool value) {
        hint = value ? MCPH_HINT_TRUE : MCPH_HINT_FALSE;
        return *this;
    }
    mcph_tool_annotations a_;
};

// A tool descriptor. Every pointer given here must have static storage duration.
class Tool {
  public:
    constexpr Tool(const char* name, mcph_invoke_fn fn)
        : t_{sizeof(mcph_tool), name,    nullptr, nullptr, nullptr, nullptr,
             nullptr,           nullptr, 0,       fn,      nullptr, 0.0} {}
    constexpr Tool& title(const char* value) {
        t_.title = value;
        return *this;
    }
    constexpr Tool& description(const char* value) {
        t_.description = value;
        return *this;
    }
    constexpr Tool& inputSchema(const char* json) {
        t_.input_schema_json = json;
        return *this;
    }
    constexpr Tool& outputSchema(const char* json) {
        t_.output_schema_json = json;
        return *this;
    }
    constexpr Tool& annotations(const mcph_tool_annotations* value) {
        t_.annotations = value;
        return *this;
    }
    template <size_t N>
    constexpr Tool& requiredScopes(const char* const (&scopes)[N]) {
        t_.required_scopes = scopes;
        t_.required_scope_count = N;
        return *this;
    }
    // 1.2: this tool's own call timeout (replaces plugins.callTimeoutSeconds); 0: the host's.
    constexpr Tool& callTimeoutSeconds(double seconds) {
        t_.call_timeout_seconds = seconds;
        return *this;
    }
    constexpr operator mcph_tool() const { return t_; }

  private:
    mcph_tool t_;
};

// The plugin descriptor. Init and shutdown always go through this layer (it keeps the host
// table for Result); give your own with onInit<f>() and onShutdown<g>():
//   void* f(const mcph::Host&, std::string_view settingsJson);  // throw to refuse the load
//   void g(void* state);                                         // what f returned
class Plugin {
  public:
    template <size_t N>
    constexpr Plugin(const char* name, const char* version, const mcph_tool (&tools)[N])
        : p_{MCPH_PLUGIN_MAGIC,
             sizeof(mcph_plugin),
             MCPH_ABI_MAJOR,
             MCPH_ABI_MINOR,
             name,
             version,
             nullptr,
             0,
             &detail::init<nullptr>,
             &detail::shutdown<nullptr>,
             tools,
             N,
             nullptr,
             0,
             nullptr,
             0,
             nullptr,
             0,
             nullptr} {}
    constexpr Plugin& description(const char* value) {
        p_.description = value;
        return *this;
    }
    // Have the host run this plugin's invokes one at a time.
    constexpr Plugin& serialized() {
        p_.flags |= MCPH_PLUGIN_SERIALIZED;
        return *this;
    }
    // ABI 1.1 offerings: arrays with static storage duration.
    template <size_t N>
    constexpr Plugin& resources(const mcph_resource (&items)[N]) {
        p_.resources = items;
        p_.resource_count = N;
        return *this;
    }
    template <size_t N>
    constexpr Plugin& resourceTemplates(const mcph_resource_template (&items)[N]) {
        p_.resource_templates = items;
        p_.resource_template_count = N;
        return *this;
    }
    template <size_t N>
    constexpr Plugin& prompts(const mcph_prompt (&items)[N]) {
        p_.prompts = items;
        p_.prompt_count = N;
        return *this;
    }
    // completion/complete for this plugin's prompts and templates (use invoke<f>).
    constexpr Plugin& complete(mcph_invoke_fn fn) {
        p_.complete = fn;
        return *this;
    }
    template <auto InitFn>
    constexpr Plugin& onInit() {
        p_.init = &detail::init<InitFn>;
        return *this;
    }
    template <auto ShutdownFn>
    constexpr Plugin& onShutdown() {
        p_.shutdown = &detail::shutdown<ShutdownFn>;
        return *this;
    }
    constexpr operator mcph_plugin() const { return p_; }

  private:
    mcph_plugin p_;
};

}  // namespace mcph

// Defines the exported entry function returning `descriptor` (a static mcph_plugin).
#define MCPH_PLUGIN_ENTRY(descriptor)                                                    \
    extern "C" MCPH_EXPORT const mcph_plugin* mcph_plugin_entry_v1(uint32_t, uint32_t) { \
        return &(descriptor);                                                            \
    }

#endif  // MCPHOST_PLUGIN_HPP
