// The host side of the ABI for the contract test: dlopen a plugin, hand it a host API table
// that records what it is given, and drive init / invoke / shutdown. No real host involved.
#ifndef MCPH_TESTS_ABI_FAKE_HOST_HPP
#define MCPH_TESTS_ABI_FAKE_HOST_HPP

#include <mcphost/plugin.h>

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The opaque result handle, as this fake host defines it.
struct mcph_result {
    std::vector<std::string> texts;
    std::vector<std::string> contents;
    std::optional<std::string> structured;
    bool isError = false;
};

namespace abitest {

// Who is calling: owns the strings an mcph_auth_context points at.
class Caller {
  public:
    // What the host passes for auth provider "none".
    static Caller anonymous();
    static Caller user(std::string issuer, std::string userId, std::vector<std::string> scopes = {},
                       std::string email = "", std::string name = "", std::string clientId = "");

    const mcph_auth_context* context() const { return &context_; }
    Caller(const Caller& other) : Caller(other.fields_, other.scopes_, other.authenticated_) {}
    Caller& operator=(const Caller&) = delete;

  private:
    struct Fields {
        std::string userId, issuer, email, name, clientId;
    };
    Caller(Fields fields, std::vector<std::string> scopes, bool authenticated);

    Fields fields_;
    std::vector<std::string> scopes_;
    bool authenticated_;
    std::vector<const char*> scopePointers_;
    mcph_auth_context context_{};
};

struct Outcome {
    mcph_status status = MCPH_OK;
    mcph_result result;

    std::string text() const;  // all text blocks joined with "\n"
};

struct LogLine {
    mcph_log_level level;
    std::string message;
};

// One loaded plugin. Throws std::runtime_error when it cannot be loaded or has no entry.
class LoadedPlugin {
  public:
    explicit LoadedPlugin(const std::string& path);
    ~LoadedPlugin();  // shutdown (if initialized), then dlclose
    LoadedPlugin(const LoadedPlugin&) = delete;
    LoadedPlugin& operator=(const LoadedPlugin&) = delete;

    mcph_plugin_entry_fn entry() const { return entry_; }
    const mcph_plugin* descriptor() const { return descriptor_; }

    // Calls init; on failure returns the status and stores the plugin's reason in *reason.
    mcph_status init(const std::string& settingsJson, std::string* reason = nullptr);
    void shutdown();

    // Runs a tool the way the host would; fails the current test if no such tool exists.
    Outcome invoke(std::string_view tool, std::string_view argumentsJson,
                   const Caller& caller = Caller::anonymous());

    std::vector<LogLine> logs() const;

  private:
    struct Table {
        mcph_host_api api;  // first: the plugin's `self` pointer is this table
        LoadedPlugin* owner;
    };
    static void log(const mcph_host_api* self, mcph_log_level level, const char* message);

    void* handle_ = nullptr;
    mcph_plugin_entry_fn entry_ = nullptr;
    const mcph_plugin* descriptor_ = nullptr;
    Table table_{};
    void* state_ = nullptr;
    bool initialized_ = false;
    mutable std::mutex logMutex_;
    std::vector<LogLine> logs_;
};

// The plugin paths this test was built with.
namespace paths {
inline const std::string echo = ECHO_PLUGIN;
inline const std::string whoami = WHOAMI_PLUGIN;
inline const std::string notes = NOTES_PLUGIN;
inline const std::string slow = SLOW_PLUGIN;
inline const std::string oldHeader = OLD_HEADER_PLUGIN;
inline const std::string cxxLayer = CXX_LAYER_PLUGIN;
inline const std::string badDir = BAD_PLUGIN_DIR;
}  // namespace paths

}  // namespace abitest

#endif  // MCPH_TESTS_ABI_FAKE_HOST_HPP
