#pragma once

#include <cstddef>
#include <map>
#include <utility>
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
    /// Signs the 2026-07-28 requestState; "" = a random key per process (a retry must then reach
    /// the same instance). Several instances behind a balancer share one.
    std::string requestStateSecret;
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

/// Proxy mode: how the host learns who signed in upstream, at its /oauth/callback.
struct UpstreamIdentitySettings {
    /// "idToken": the OIDC ID token from the code exchange, checked at the upstream JWKS
    /// (audience = our upstream client id, so a token issued to another client is refused);
    /// "accessToken": the upstream access token is a JWT, checked the same way;
    /// "userinfo": GET userInfoUrl with the upstream access token (GitHub /user, Google userinfo).
    std::string method = "idToken";
    std::string jwksUrl;   ///< JWT methods
    std::string issuer;    ///< JWT methods: the exact `iss`
    std::string audience;  ///< JWT methods: "" = the upstream client id
    std::vector<std::string> algorithms = {"RS256", "ES256"};
    int leewaySeconds = 60;     ///< JWT methods: clock skew allowed on exp, nbf, iat
    std::string userInfoUrl;    ///< userinfo method
    std::string userEmailsUrl;  ///< GitHub: the emails list, read when /user shows no email
    ClaimNames claims;          ///< where id, email and name are (GitHub: "id", "email", "name")
};

/// Proxy mode: the upstream identity provider and the one client registered there.
struct UpstreamSettings {
    std::string authEndpoint;
    std::string tokenEndpoint;
    std::string issuer;  ///< the upstream issuer ("" when the provider has none, e.g. GitHub)
    std::string clientId;
    std::string clientSecret;
    std::string tokenEndpointAuthMethod = "client_secret_post";  ///< or "client_secret_basic"
    std::vector<std::string> scopes = {"openid", "email", "profile"};
    std::vector<std::pair<std::string, std::string>> extraAuthorizeParams;  ///< config order
    bool pkce = true;             ///< send the host's own S256 challenge upstream
    bool forwardResource = true;  ///< send the client's `resource` (the MCP URL) upstream
    bool nonce = true;            ///< OIDC nonce, checked in the ID token
    UpstreamIdentitySettings identity;
};

/// Client ID Metadata Documents: an https URL as client_id, fetched by the host.
struct CimdSettings {
    bool enabled = true;
    bool allowPrivateAddresses = false;  ///< loopback / private targets (local tests only)
    bool allowHttp = false;              ///< http:// document URLs (local tests only)
    int cacheSeconds = 3600;
    std::size_t maxBytes = 5 * 1024;
};

/// Proxy mode ("proxy" and its presets auth0, google, github, okta, entra) and "local": the
/// host is the authorization server MCP clients see, and issues its own tokens.
struct ProxySettings {
    std::string preset = "proxy";  ///< which provider name filled this in
    UpstreamSettings upstream;     ///< unused by "local"
    /// "local": absolute path of the users file; "" = var/users.json under the working directory,
    /// created with an "admin" user and a random password on first start.
    std::string usersFile;
    /// Scopes MCP clients may be granted by the host; empty = every scope a loaded tool requires.
    std::vector<std::string> mcpScopes;
    std::string storeFile;  ///< SQLite database, absolute; "" = var/mcp-host-auth.db under the working directory
    int accessTokenSeconds = 3600;
    int refreshTokenDays = 30;
    int refreshGraceSeconds = 60;  ///< the immediately previous refresh token still works this long
    int authorizationCodeSeconds = 60;
    int loginTimeoutSeconds = 600;  ///< consent + upstream sign-in must finish within this
    int maxClients = 10000;
    int unusedClientHours = 24;  ///< registrations that never got a token are removed after this
    int registrationsPerMinute = 30;  ///< per client address
    bool allowInsecureHttp = false;   ///< http:// upstream URLs (local tests only)
    CimdSettings cimd;
};

/// One alternative per auth provider; the registry in config/AuthProviders.cpp maps the
/// `auth.provider` name to the function that validates its keys and fills its alternative.
using AuthProviderSettings = std::variant<NoAuthSettings, OidcSettings, ProxySettings>;

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
