#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace mcph::config {

/// The validated configuration of the host. Every field holds its default until the config
/// says otherwise; see etc/CONFIG.md for what each key means.

struct TlsConfig {
    std::string certificateFile;  ///< absolute path, PEM
    std::string privateKeyFile;   ///< absolute path, PEM

    bool enabled() const { return !certificateFile.empty(); }
};

struct ServerConfig {
    std::string host = "127.0.0.1";
    int port = 8080;  ///< 0: pick a free port
    /// Normalized (no trailing slash), or empty: then derive it once the port is bound,
    /// with derivedBaseUrl(host, boundPort, tls.enabled()) from config/UrlChecks.h.
    std::string publicUrl;
    int threads = 64;
    int maxQueued = 256;
    TlsConfig tls;
};

struct McpConfig {
    std::string path = "/mcp";
    std::vector<std::string> allowedOrigins;  ///< normalized scheme://host[:port]
    std::size_t maxRequestBytes = std::size_t{4} << 20;
    int pageSize = 100;
    int sessionIdleSeconds = 1800;
    int maxSessions = 10000;
};

struct PluginsConfig {
    std::string dir;  ///< absolute path; empty when neither the config nor the caller set one
    std::map<std::string, std::string> settingsJson;  ///< plugin name → serialized JSON object
};

/// Provider "none": no settings.
struct NoAuthSettings {};

/// One alternative per auth provider; the registry in config/AuthProviders.cpp maps the
/// `auth.provider` name to the function that validates its keys and fills its alternative.
using AuthProviderSettings = std::variant<NoAuthSettings>;

struct AuthConfig {
    std::string provider = "none";
    bool dangerouslyAllowUnauthenticatedNonLoopback = false;
    AuthProviderSettings settings;
};

struct LoggingConfig {
    std::string level = "information";  ///< a Poco level name, lower case
};

struct HostConfig {
    ServerConfig server;
    McpConfig mcp;
    PluginsConfig plugins;
    AuthConfig auth;
    LoggingConfig logging;
};

struct LoadResult {
    HostConfig config;  ///< meaningful only when ok()
    std::vector<std::string> errors;
    std::vector<std::string> warnings;

    bool ok() const { return errors.empty(); }
};

}  // namespace mcph::config
