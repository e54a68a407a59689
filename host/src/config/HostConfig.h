#pragma once

#include <cstddef>
#include <map>
#include <utility>
#include <string>
#include <variant>
#include <vector>

#include "config/IpNetwork.h"
#include "pluginhost/isolation/RunPolicy.h"
#include "mcphost/auth/ResourceServerOptions.h"
#include "mcphost/auth/server/AuthorizationServerOptions.h"

namespace mcph::config {

/// The validated configuration of the host. Every field holds its default until the config
/// says otherwise; see the Configuration section of README.md for what each key means.
/// A new key also goes into config/EffectiveConfig.cpp (--print-config, and what a reload
/// compares) and etc/mcp-host.json (tests/service checks the two agree).

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
    /// Where the host keeps its state (the auth store, the first-run users file): absolute, or
    /// empty for `var/` under the working directory. $STATE_DIRECTORY (systemd) wins over
    /// `server.stateDir`; see stateDirectory() in config/StateDirectory.h.
    std::string stateDir;
    int threads = 64;
    int maxQueued = 256;
    /// On SIGTERM, how long requests in flight may take to finish once the listener is closed.
    int drainSeconds = 30;
    TlsConfig tls;
    /// Peers whose Forwarded / X-Forwarded-For headers name the client (reverse proxies);
    /// empty: the TCP peer is always the client.
    std::vector<IpNetwork> trustedProxies;
    /// `server.forwardedHeader`: "X-Forwarded-For" (nginx, HAProxy) or "Forwarded" (RFC 7239).
    ForwardedHeader forwardedHeader = ForwardedHeader::XForwardedFor;
};

struct McpConfig {
    std::string path = "/mcp";
    std::vector<std::string> allowedOrigins;  ///< normalized scheme://host[:port]
    std::size_t maxRequestBytes = std::size_t{4} << 20;
    int pageSize = 100;
    int sessionIdleSeconds = 1800;
    /// Above maxStreams, so a new client still gets a session while every stream is open.
    int maxSessions = 20000;
    /// One user's sessions past this evict that user's least recently used idle one.
    int maxSessionsPerUser = 32;
    /// Open GET streams (event loop, plain TCP); the open-file limit may lower it at start.
    int maxStreams = 10000;
    /// A comment on a stream quiet this long, so proxies do not cut it.
    int sseHeartbeatSeconds = 20;
    /// A stream whose reader falls this far behind is closed (the client resumes).
    std::size_t streamBufferBytes = std::size_t{1} << 20;
    /// Signs the 2026-07-28 requestState; "" = a random key per process (a retry must then reach
    /// the same instance). Several instances behind a balancer share one.
    std::string requestStateSecret;
};

struct PluginsConfig {
    std::string dir;  ///< absolute path; empty when neither the config nor the caller set one
    std::map<std::string, std::string> settingsJson;  ///< plugin name → serialized JSON object
    bool watch = true;  ///< rescan `dir` when a plugin file in it changes (inotify)
    pluginhost::RunPolicy run;  ///< isolation, callTimeoutSeconds, limits, overrides
};

/// Provider "none": no settings.
struct NoAuthSettings {};

/// What the provider reader filled in (config/providers/): auth's own option structs, so the
/// auth libraries read checked fields and no config struct mirrors theirs.
/// ResourceServerOptions: native mode (oidc, workos, keycloak, supabase), the host verifies
/// another issuer's tokens. AuthorizationServerOptions: proxy mode (proxy, auth0, google,
/// github, okta, entra) and local, the host is the authorization server clients see.
using AuthProviderSettings =
    std::variant<NoAuthSettings, auth::ResourceServerOptions, auth::server::AuthorizationServerOptions>;

struct AuthConfig {
    std::string provider = "none";  ///< the provider's name, as the config gave it
    bool dangerouslyAllowUnauthenticatedNonLoopback = false;
    AuthProviderSettings settings;
};

struct LoggingConfig {
    std::string level = "information";  ///< a Poco level name, lower case
    std::string format = "text";        ///< "text" or "json" (one JSON object per line)
    bool accessLog = true;              ///< one line per HTTP request on mcp-host.access
};

/// The admin listener: /metrics, /livez, /readyz on a socket of its own (ops/AdminServer.h).
struct AdminConfig {
    bool enabled = true;
    std::string host = "127.0.0.1";
    /// 9464, the port OpenTelemetry's Prometheus exporters use (9090 is Prometheus's own).
    int port = 9464;
    /// Set when the file names admin.port: that port is then required. The default port, when
    /// taken, only costs a warning (the host serves without the admin listener).
    bool portRequired = false;
};

/// `redis`: the state several instances behind one balancer share (README "Several
/// instances"). No url: one instance, with the SQLite file of auth.store.
struct RedisConfig {
    std::string url;       ///< "redis://host:port" or "unix:///path/redis.sock"; "" = none
    std::string username;  ///< ACL user; "" = the default user
    std::string password;  ///< AUTH password; "" = none
    std::string keyPrefix = "mcph:";
    /// Encrypts the shared signing key in Redis (at least 32 characters); required with the
    /// host's own authorization server (proxy or local).
    std::string signingKeySecret;

    bool enabled() const { return !url.empty(); }
};

struct HostConfig {
    ServerConfig server;
    McpConfig mcp;
    PluginsConfig plugins;
    AuthConfig auth;
    LoggingConfig logging;
    AdminConfig admin;
    RedisConfig redis;
};

struct LoadResult {
    HostConfig config;  ///< meaningful only when ok()
    std::vector<std::string> errors;
    std::vector<std::string> warnings;

    bool ok() const { return errors.empty(); }
};

}  // namespace mcph::config
