#include "config/ConfigSections.h"

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <sstream>

#include "config/AuthProviders.h"
#include "config/ConfigPaths.h"
#include "config/Suggest.h"
#include "config/UrlChecks.h"

namespace mcph::config {

namespace {

constexpr std::int64_t kMiB = std::int64_t{1} << 20;

void readTls(ObjectReader& tls, TlsConfig& out, const std::string& baseDir) {
    for (const auto& [key, other] :
         {std::pair<const char*, const char*>{"certificateFile", "privateKeyFile"},
          {"privateKeyFile", "certificateFile"}}) {
        if (tls.has(key) && !tls.has(other)) {
            tls.diagnostics().error(tls.pathOf(other),
                                    "required when " + tls.pathOf(key) + " is set");
        }
    }
    std::optional<std::string> cert = readExistingPath(tls, "certificateFile", baseDir, false);
    std::optional<std::string> key = readExistingPath(tls, "privateKeyFile", baseDir, false);
    if (cert && key) {
        out.certificateFile = *cert;
        out.privateKeyFile = *key;
    }
    tls.finish();
}

std::string unknownProviderProblem(const ConfigString& provider) {
    std::vector<std::string> names;
    std::string list;
    for (const AuthProvider& p : authProviders()) {
        names.emplace_back(p.name);
        list += (list.empty() ? "" : ", ") + names.back();
    }
    std::string problem = "unknown provider " + provider.shown();
    if (std::optional<std::string> match = closestMatch(provider.value, names)) {
        problem += " (did you mean " + quotedText(*match) + "?)";
    }
    return problem + "; known: " + list;
}

}  // namespace

void readServerSection(ObjectReader& server, ServerConfig& out, const std::string& baseDir) {
    if (std::optional<ConfigString> host = server.string("host")) {
        if (isValidHost(host->value)) {
            out.host = host->value;
        } else {
            const bool bracketed = !host->value.empty() && host->value.front() == '[';
            server.diagnostics().error(
                server.pathOf("host"),
                "expected an IP address or host name, got " + host->shown() +
                    (bracketed ? " (write IPv6 addresses without brackets)" : ""));
        }
    }
    if (auto port = server.integer("port", 0, 65535)) {
        out.port = static_cast<int>(*port);
    }
    if (std::optional<ConfigString> url = server.string("publicUrl")) {
        std::string problem;
        if (std::optional<std::string> normalized = normalizePublicUrl(url->value, problem)) {
            out.publicUrl = *normalized;
        } else {
            // A URL with user information may hold a password: never repeat it.
            const bool userInfo = problem.find("user information") != std::string::npos;
            server.diagnostics().error(server.pathOf("publicUrl"),
                                       userInfo ? problem : problem + ": " + url->shown());
        }
    }
    if (auto threads = server.integer("threads", 1, 1024)) {
        out.threads = static_cast<int>(*threads);
    }
    if (auto maxQueued = server.integer("maxQueued", 1, 100000)) {
        out.maxQueued = static_cast<int>(*maxQueued);
    }
    if (std::optional<ObjectReader> tls = server.object("tls")) {
        readTls(*tls, out.tls, baseDir);
    }
    server.finish();
}

void readMcpSection(ObjectReader& mcp, McpConfig& out) {
    if (std::optional<ConfigString> path = mcp.string("path")) {
        if (std::optional<std::string> problem = mcpPathProblem(path->value)) {
            mcp.diagnostics().error(mcp.pathOf("path"), *problem + ": " + path->shown());
        } else {
            out.path = path->value;
        }
    }
    if (auto origins = mcp.stringArray("allowedOrigins")) {
        for (const ConfigString& origin : *origins) {
            std::string problem;
            if (std::optional<std::string> normalized = normalizeOrigin(origin.value, problem)) {
                out.allowedOrigins.push_back(*normalized);
            } else {
                const bool userInfo = problem.find("user information") != std::string::npos;
                mcp.diagnostics().error(origin.keyPath,
                                        userInfo ? problem : problem + ": " + origin.shown());
            }
        }
    }
    if (auto bytes = mcp.integer("maxRequestBytes", 1024, 64 * kMiB)) {
        out.maxRequestBytes = static_cast<std::size_t>(*bytes);
    }
    if (auto pageSize = mcp.integer("pageSize", 1, 1000)) {
        out.pageSize = static_cast<int>(*pageSize);
    }
    if (auto idle = mcp.integer("sessionIdleSeconds", 10, std::int64_t{7} * 86400)) {
        out.sessionIdleSeconds = static_cast<int>(*idle);
    }
    if (auto secret = mcp.secret("requestStateSecret")) {
        if (secret->value.size() < 32) {
            mcp.diagnostics().error(mcp.pathOf("requestStateSecret"), "must be at least 32 characters");
        } else {
            out.requestStateSecret = secret->value;
        }
    }
    if (auto maxSessions = mcp.integer("maxSessions", 1, 1000000)) {
        out.maxSessions = static_cast<int>(*maxSessions);
    }
    mcp.finish();
}

void readPluginsSection(ObjectReader& plugins, PluginsConfig& out, const std::string& baseDir) {
    if (std::optional<std::string> dir = readExistingPath(plugins, "dir", baseDir, true)) {
        out.dir = *dir;
    }
    if (std::optional<ObjectReader> settings = plugins.object("settings")) {
        // The keys here are plugin names, and each plugin's object is the plugin's business:
        // only its strings are expanded; its keys are not checked.
        for (const std::string& name : settings->keys()) {
            if (name.empty()) {
                settings->diagnostics().error(settings->pathOf(name),
                                              "a plugin name must not be empty");
                settings->expandedObject(name);  // declares the key known
                continue;
            }
            if (std::optional<Poco::JSON::Object::Ptr> object = settings->expandedObject(name)) {
                std::ostringstream json;
                (*object)->stringify(json);
                out.settingsJson[name] = json.str();
            }
        }
        settings->finish();
    }
    plugins.finish();
}

void readAuthSection(ObjectReader& auth, AuthConfig& out, const std::string& baseDir) {
    const bool present = auth.has("provider");
    std::optional<ConfigString> provider = auth.string("provider");
    if (present && !provider) {  // wrong type or a bad ${NAME}: already reported
        out.provider.clear();    // neither "none" nor any provider: no rule below applies
        auth.ignoreRest();
        return;
    }
    if (provider) {
        const AuthProvider* known = findAuthProvider(provider->value);
        if (known == nullptr) {
            auth.diagnostics().error(auth.pathOf("provider"), unknownProviderProblem(*provider));
            // The other keys belong to a provider we do not know; reporting them all as
            // unknown, or applying the rules of "none", would only bury the real problem.
            out.provider.clear();
            auth.ignoreRest();
            return;
        }
        out.provider = known->name;
    }
    if (auto dangerous = auth.boolean("dangerouslyAllowUnauthenticatedNonLoopback")) {
        out.dangerouslyAllowUnauthenticatedNonLoopback = *dangerous;
    }
    findAuthProvider(out.provider)->read(auth, out, baseDir);
    auth.finish(" for auth provider " + quotedText(out.provider));
}

void readLoggingSection(ObjectReader& logging, LoggingConfig& out) {
    static const std::vector<std::string> levels = {
        "none", "fatal", "critical", "error", "warning", "notice", "information", "debug", "trace"};
    if (std::optional<ConfigString> level = logging.string("level")) {
        std::string name = level->value;
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (std::find(levels.begin(), levels.end(), name) != levels.end()) {
            out.level = name;
        } else {
            std::string problem = "unknown level " + level->shown();
            if (std::optional<std::string> match = closestMatch(name, levels)) {
                problem += " (did you mean " + quotedText(*match) + "?)";
            }
            logging.diagnostics().error(
                logging.pathOf("level"),
                problem +
                    "; one of none, fatal, critical, error, warning, notice, information, "
                    "debug, trace");
        }
    }
    logging.finish();
}

}  // namespace mcph::config
