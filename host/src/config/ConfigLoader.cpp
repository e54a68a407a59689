#include "config/ConfigLoader.h"

#include <Poco/Exception.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "config/StateDirectory.h"
#include "config/sections/Sections.h"
#include "config/reader/Diagnostics.h"
#include "config/reader/EnvExpander.h"
#include "config/reader/JsonTextScanner.h"
#include "config/reader/ObjectReader.h"
#include "config/UrlChecks.h"

namespace mcph::config {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxConfigBytes = std::uintmax_t{1} << 20;

/// Turns commented JSON into a Poco object, or reports why it cannot.
Poco::JSON::Object::Ptr parseText(const std::string& text, Diagnostics& diagnostics) {
    const JsonTextScanner::Result scanned = JsonTextScanner::scan(text);
    if (scanned.error) {
        diagnostics.errorAt(scanned.errorPosition.line, scanned.errorPosition.column,
                            "invalid JSON: " + *scanned.error);
        return nullptr;
    }
    for (const JsonTextScanner::DuplicateKey& duplicate : scanned.duplicateKeys) {
        diagnostics.error(duplicate.keyPath, "duplicate key (again at line " +
                                                 std::to_string(duplicate.position.line) +
                                                 ", column " +
                                                 std::to_string(duplicate.position.column) + ")");
    }
    Poco::Dynamic::Var root;
    try {
        // Key order preserved so that problems are reported in file order.
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
        root = parser.parse(scanned.strictJson);
    } catch (const Poco::Exception& e) {
        // Only reachable for what the scanner does not check (e.g. invalid UTF-8).
        diagnostics.error("", "invalid JSON: " + e.message());
        return nullptr;
    }
    if (root.type() != typeid(Poco::JSON::Object::Ptr)) {
        diagnostics.error("", "expected a JSON object at the top level, got " + describeJson(root));
        return nullptr;
    }
    return root.extract<Poco::JSON::Object::Ptr>();
}

/// With redis.url, the host's own authorization server keeps its state in Redis: it needs the
/// secret that seals the shared signing key there, and a SQLite file would be a second store.
void checkSharedState(const HostConfig& config, Diagnostics& diagnostics) {
    const auto* own = std::get_if<auth::server::AuthorizationServerOptions>(&config.auth.settings);
    if (!config.redis.enabled() || !own) return;
    if (config.redis.signingKeySecret.empty()) {
        diagnostics.error("redis.signingKeySecret",
                          "required with redis.url and provider " +
                              quotedText(config.auth.provider) +
                              ": the signing key every instance shares is stored in Redis "
                              "encrypted with it (e.g. \"${MCPH_SIGNING_KEY_SECRET}\", at least "
                              "32 characters)");
    }
    if (!own->storeFile.empty()) {
        diagnostics.error("auth.store",
                          "not used with redis.url: the authorization server's state is in Redis");
    }
}

/// Hands the redis section to the authorization server, which builds its store from it.
void applySharedStore(HostConfig& config) {
    auto* own = std::get_if<auth::server::AuthorizationServerOptions>(&config.auth.settings);
    if (!own || !config.redis.enabled()) return;
    auth::server::SharedStoreOptions shared;
    shared.endpoint.url = config.redis.url;
    shared.endpoint.username = config.redis.username;
    shared.endpoint.password = config.redis.password;
    shared.keyPrefix = config.redis.keyPrefix;
    shared.signingKeySecret = config.redis.signingKeySecret;
    own->sharedStore = std::move(shared);
}

/// Rules that involve more than one section.
void checkAcrossSections(const HostConfig& config, Diagnostics& diagnostics) {
    const ServerConfig& server = config.server;
    const bool noAuth = config.auth.provider == "none";
    if (noAuth && !isLoopbackHost(server.host)) {
        if (config.auth.dangerouslyAllowUnauthenticatedNonLoopback) {
            diagnostics.warning(
                "auth.dangerouslyAllowUnauthenticatedNonLoopback",
                "authentication is OFF on a non-loopback address: anyone who can reach "
                "server.host can call every tool");
        } else {
            diagnostics.error(
                "auth.provider",
                "\"none\" (no authentication) is refused because server.host is not a loopback "
                "address; configure an auth provider, bind server.host to 127.0.0.1, or set "
                "auth.dangerouslyAllowUnauthenticatedNonLoopback to true");
        }
    } else if (noAuth && !server.publicUrl.empty()) {
        std::string ignored;
        const std::optional<ParsedUrl> url = parseAbsoluteUrl(server.publicUrl, ignored);
        if (url && !isLoopbackHost(url->host)) {
            diagnostics.warning(
                "auth.provider",
                "\"none\" (no authentication) with a non-loopback server.publicUrl: if a proxy "
                "exposes this server, anyone who can reach it can call every tool");
        }
    }
    // In proxy mode the host is an authorization server: codes, tokens and the sign-in page
    // travel over its public URL, which OAuth 2.1 requires to be https off loopback.
    if (std::holds_alternative<auth::server::AuthorizationServerOptions>(config.auth.settings) && !server.publicUrl.empty()) {
        std::string ignored;
        const std::optional<ParsedUrl> url = parseAbsoluteUrl(server.publicUrl, ignored);
        if (url && url->scheme != "https" && !isLoopbackHost(url->host)) {
            diagnostics.error("server.publicUrl",
                              "must be https in proxy mode (provider " + quotedText(config.auth.provider) +
                                  "): the host issues codes and tokens at this URL; plain http is only "
                                  "accepted on a loopback host");
        }
    }
    // A publicUrl that already ends with the MCP path would serve the endpoint at .../mcp/mcp.
    if (!server.publicUrl.empty()) {
        std::string ignored;
        const std::optional<ParsedUrl> url = parseAbsoluteUrl(server.publicUrl, ignored);
        const std::string& mcpPath = config.mcp.path;
        if (url && url->path.size() >= mcpPath.size() &&
            url->path.compare(url->path.size() - mcpPath.size(), mcpPath.size(), mcpPath) == 0) {
            diagnostics.error("server.publicUrl",
                              "ends with mcp.path " + quotedText(mcpPath) +
                                  ": give the base URL without it (the MCP endpoint is publicUrl "
                                  "followed by mcp.path, so it would end in " +
                                  quotedText(mcpPath + mcpPath) + ")");
        }
    }
    if (config.admin.enabled && config.admin.port != 0 && config.admin.port == server.port) {
        diagnostics.error("admin.port", "must differ from server.port (" +
                                            std::to_string(server.port) + ")");
    }
    if (config.admin.enabled && !isLoopbackHost(config.admin.host)) {
        diagnostics.warning("admin.host",
                            "not a loopback address: /metrics, /livez and /readyz are reachable "
                            "by anyone who can reach it (they need no authentication)");
    }
    checkSharedState(config, diagnostics);
    if (isWildcardHost(server.host) && server.publicUrl.empty()) {
        diagnostics.warning("server.publicUrl",
                            "not set while server.host listens on every address; the derived "
                            "URL uses a loopback address, which remote clients cannot reach");
    }
}

LoadResult finish(HostConfig config, const Diagnostics& diagnostics) {
    LoadResult result;
    result.config = std::move(config);
    result.errors = diagnostics.errors();
    result.warnings = diagnostics.warnings();
    return result;
}

}  // namespace

LoadResult loadConfigText(const std::string& jsonText, const std::string& sourceName,
                          const std::string& baseDir) {
    Diagnostics diagnostics(sourceName);
    HostConfig config;
    const Poco::JSON::Object::Ptr root = parseText(jsonText, diagnostics);
    if (root.isNull()) {
        return finish(std::move(config), diagnostics);
    }
    const EnvLookup env = processEnvironment();
    ObjectReader reader(root, "", diagnostics, env);
    if (std::optional<ObjectReader> server = reader.object("server")) {
        readServerSection(*server, config.server, baseDir);
    }
    if (std::optional<ObjectReader> mcp = reader.object("mcp")) {
        readMcpSection(*mcp, config.mcp);
    }
    if (std::optional<ObjectReader> plugins = reader.object("plugins")) {
        readPluginsSection(*plugins, config.plugins, baseDir);
    }
    if (std::optional<ObjectReader> auth = reader.object("auth")) {
        readAuthSection(*auth, config.auth, baseDir);
    }
    if (std::optional<ObjectReader> logging = reader.object("logging")) {
        readLoggingSection(*logging, config.logging);
    }
    if (std::optional<ObjectReader> admin = reader.object("admin")) {
        readAdminSection(*admin, config.admin);
    }
    if (std::optional<ObjectReader> redis = reader.object("redis")) {
        readRedisSection(*redis, config.redis);
    }
    reader.finish();
    checkAcrossSections(config, diagnostics);
    applyStateDirectory(config, env);
    applySharedStore(config);
    return finish(std::move(config), diagnostics);
}

LoadResult loadConfigFile(const std::string& path) {
    Diagnostics diagnostics(path);
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (!fs::exists(status)) {
        diagnostics.error("", "cannot read the config file: it does not exist");
    } else if (!fs::is_regular_file(status)) {
        diagnostics.error("", "cannot read the config file: not a regular file");
    } else if (fs::file_size(path, ec) > kMaxConfigBytes) {
        diagnostics.error("", "cannot read the config file: larger than 1 MiB");
    }
    if (!diagnostics.errors().empty()) {
        return finish(HostConfig{}, diagnostics);
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    if (in) {
        text << in.rdbuf();
    }
    if (!in) {
        const int err = errno;
        diagnostics.error("",
                          "cannot read the config file: " + std::generic_category().message(err));
        return finish(HostConfig{}, diagnostics);
    }
    const std::string baseDir = fs::absolute(fs::path(path), ec).parent_path().string();
    return loadConfigText(text.str(), path, baseDir);
}

HostConfig embeddedDefaults(const std::string& pluginsDir) {
    HostConfig config;
    config.plugins.dir = pluginsDir;
    // Real OAuth out of the box, with no external account: the host's own sign-in page and a
    // first-run admin user (see AuthorizationServerOptions::usersFile).
    config.auth.provider = "local";
    auth::server::AuthorizationServerOptions local;
    local.providerName = "local";
    config.auth.settings = local;
    applyStateDirectory(config, processEnvironment());
    return config;
}

}  // namespace mcph::config
