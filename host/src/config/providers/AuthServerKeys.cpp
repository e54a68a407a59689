#include "config/providers/AuthServerKeys.h"

#include <cstdint>
#include <utility>

#include "config/providers/ValueReaders.h"
#include "config/reader/ConfigPaths.h"

namespace mcph::config {

namespace {

using auth::server::AuthorizationServerOptions;

// Sets `target` when the key is present and within [min, max]; reports it otherwise.
template <typename T>
void readBounded(ObjectReader& section, const char* key, std::int64_t min, std::int64_t max,
                 T& target) {
    if (auto v = section.integer(key, min, max)) target = T(*v);
}

void readStore(ObjectReader& auth, AuthorizationServerOptions& s, const std::string& baseDir) {
    auto store = auth.object("store");
    if (!store) return;
    if (!store->has("sqlite")) {
        auth.diagnostics().error(auth.pathOf("store"),
                                 "expected {\"sqlite\": \"<database file>\"}");
    }
    if (auto file = readWritableFilePath(*store, "sqlite", baseDir)) s.storeFile = *file;
    store->finish(" (the only store is \"sqlite\")");
}

void readCimd(ObjectReader& auth, auth::server::CimdOptions& c) {
    auto cimd = auth.object("cimd");
    if (!cimd) return;
    if (auto v = cimd->boolean("enabled")) c.enabled = *v;
    if (auto v = cimd->boolean("allowPrivateAddresses")) c.allowPrivateAddresses = *v;
    if (auto v = cimd->boolean("allowHttp")) c.allowHttp = *v;
    readBounded(*cimd, "cacheSeconds", 0, 86400, c.cacheSeconds);
    if (auto v = cimd->integer("maxBytes", 1024, 65536)) c.maxBytes = static_cast<std::size_t>(*v);
    // Both let any client id point the host at an address of the operator's choosing.
    if (c.enabled && c.allowPrivateAddresses) {
        cimd->diagnostics().warning(cimd->pathOf("allowPrivateAddresses"),
                                    "client ids may make the host fetch from loopback and private "
                                    "addresses; for local tests only");
    }
    if (c.enabled && c.allowHttp) {
        cimd->diagnostics().warning(cimd->pathOf("allowHttp"),
                                    "client metadata documents may be fetched over plain http; for "
                                    "local tests only");
    }
    cimd->finish();
}

}  // namespace

void readAuthServerKeys(ObjectReader& auth, AuthorizationServerOptions& s,
                        const std::string& baseDir) {
    s.mcpScopes = readTokenList(auth, "mcpScopes", s.mcpScopes, nullptr);
    readStore(auth, s, baseDir);
    readBounded(auth, "accessTokenSeconds", 60, 86400, s.accessTokenLifetime);
    if (auto days = auth.integer("refreshTokenDays", 1, 365))
        s.refreshTokenLifetime = std::chrono::hours(24 * *days);
    if (auto hours = auth.integer("refreshIdleHours", 1, 24 * 365))
        s.refreshIdleTimeout = std::chrono::hours(*hours);
    readBounded(auth, "refreshGraceSeconds", 0, 600, s.refreshGrace);
    readBounded(auth, "authorizationCodeSeconds", 10, 600, s.authorizationCodeLifetime);
    readBounded(auth, "loginTimeoutSeconds", 60, 3600, s.loginTimeout);
    readBounded(auth, "maxClients", 1, 1000000, s.maxClients);
    readBounded(auth, "unusedClientHours", 1, 8760, s.unusedClientLifetime);
    readBounded(auth, "registrationsPerMinute", 1, 10000, s.registrationsPerMinute);
    if (s.registrationsPerMinute < 10) {
        // Claude, Zed and Claude Code register again on every sign-in, in bursts.
        auth.diagnostics().warning(
            auth.pathOf("registrationsPerMinute"),
            "below 10 refuses the bursts of registrations real clients send");
    }
    readCimd(auth, s.cimd);
}

}  // namespace mcph::config
