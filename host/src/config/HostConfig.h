#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace mcph::config {

/// The validated configuration of the host. Every field holds its default until the config
/// says otherwise; see the Configuration section of README.md for what each key means.

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

/// Which claims carry the identity, for IdPs that do not use the usual names.
struct ClaimNames {
    std::string userId = "sub";
    std::string email = "email";
    std::string name = "name";
    std::string scopes = "scope";  ///< `scp` is read too when this one is absent
    std::string clientId = "client_id";  ///< `azp` is read too when this one is absent
};

/// RFC 7662 introspection, for authorization servers that issue opaque access tokens.
struct IntrospectionSettings {
    std::string endpoint;  ///< "" = from the issuer's metadata
    std::string clientId;
    std::string clientSecret;
};

/// Native DCR mode ("oidc" and its presets): the host is a protected resource; clients
/// register and sign in at `issuer`, and the host verifies their access tokens.
struct OidcSettings {
    std::string preset = "oidc";  ///< which provider name filled this in
    std::string issuer;           ///< exact, as the authorization server's metadata states it
    std::string audience;         ///< "" = the canonical MCP URL
    std::string jwksUrl;          ///< "" = jwks_uri from the issuer's metadata
    std::vector<std::string> scopes = {"openid", "email", "profile"};
    std::vector<std::string> algorithms = {"RS256", "ES256"};
    int leewaySeconds = 60;
    std::string tokenFormat = "jwt";  ///< "jwt" or "opaque" (then introspection)
    IntrospectionSettings introspection;
    ClaimNames claims;
    bool allowInsecureHttp = false;  ///< http:// issuer and endpoints (local tests only)
};

/// One alternative per auth provider; the registry in config/AuthProviders.cpp maps the
/// `auth.provider` name to the function that validates its keys and fills its alternative.
using AuthProviderSettings = std::variant<NoAuthSettings, OidcSettings>;

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
