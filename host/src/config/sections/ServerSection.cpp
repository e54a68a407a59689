#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <sstream>

#include "config/UrlChecks.h"
#include "config/reader/ConfigPaths.h"
#include "config/reader/Suggest.h"
#include "config/sections/Sections.h"

namespace mcph::config {

namespace {

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

// server.stateDir: a directory the host can write, or one it can create (nothing is created
// while checking).
void readStateDir(ObjectReader& server, ServerConfig& out, const std::string& baseDir) {
    std::optional<ConfigString> value = server.string("stateDir");
    if (!value) return;
    if (value->value.empty()) {
        server.diagnostics().error(server.pathOf("stateDir"), "must not be empty");
        return;
    }
    namespace fs = std::filesystem;
    const std::string resolved = resolveConfigPath(value->value, baseDir);
    fs::path dir = resolved;
    std::error_code ec;
    while (!dir.empty() && !fs::exists(fs::status(dir, ec)) && dir != dir.parent_path()) {
        dir = dir.parent_path();
    }
    // A path from the environment is never shown.
    const std::string shown = value->fromEnv ? value->shown() : resolved;
    if (!fs::is_directory(fs::status(dir, ec))) {
        server.diagnostics().error(server.pathOf("stateDir"), "not a directory: " + shown);
    } else if (::access(dir.c_str(), W_OK | X_OK) != 0) {
        server.diagnostics().error(server.pathOf("stateDir"),
                                   "directory is not writable: " + shown);
    } else {
        out.stateDir = resolved;
    }
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
    readStateDir(server, out, baseDir);
    if (auto threads = server.integer("threads", 1, 1024)) {
        out.threads = static_cast<int>(*threads);
    }
    if (auto maxQueued = server.integer("maxQueued", 1, 100000)) {
        out.maxQueued = static_cast<int>(*maxQueued);
    }
    if (auto drain = server.integer("drainSeconds", 0, 3600)) {
        out.drainSeconds = static_cast<int>(*drain);
    }
    if (auto proxies = server.stringArray("trustedProxies")) {
        for (const ConfigString& proxy : *proxies) {
            std::string problem;
            if (std::optional<IpNetwork> network = IpNetwork::parse(proxy.value, problem)) {
                out.trustedProxies.push_back(*network);
            } else {
                server.diagnostics().error(proxy.keyPath, problem + ", got " + proxy.shown());
            }
        }
    }
    if (auto header = server.string("forwardedHeader")) {
        if (header->value == "X-Forwarded-For") {
            out.forwardedHeader = ForwardedHeader::XForwardedFor;
        } else if (header->value == "Forwarded") {
            out.forwardedHeader = ForwardedHeader::Forwarded;
        } else {
            server.diagnostics().error(header->keyPath,
                                       "expected \"X-Forwarded-For\" or \"Forwarded\", got " + header->shown());
        }
    }
    if (std::optional<ObjectReader> tls = server.object("tls")) {
        readTls(*tls, out.tls, baseDir);
    }
    server.finish();
}

}  // namespace mcph::config
