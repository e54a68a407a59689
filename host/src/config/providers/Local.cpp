// "local": the host's own sign-in page and users file; no upstream.
#include <exception>

#include "config/HostConfig.h"
#include "config/providers/AccessPolicyKeys.h"
#include "config/providers/AuthServerKeys.h"
#include "config/providers/ValueReaders.h"
#include "config/reader/ConfigPaths.h"
#include "mcphost/auth/server/LocalUserDirectory.h"

namespace mcph::config {
namespace {

// The users file is read now too, so that --check-config catches a bad entry or hash before the
// server starts. Its messages never contain a password hash.
void checkUsersFile(ObjectReader& auth, const std::string& path) {
    try {
        (void)auth::server::LocalUserDirectory::load(path);
    } catch (const std::exception& e) {
        // The loader names the file first; the key path says which file it is.
        std::string problem = e.what();
        const std::string prefix = "users file " + path + ": ";
        if (problem.rfind(prefix, 0) == 0) problem.erase(0, prefix.size());
        auth.diagnostics().error(auth.pathOf("users"), problem);
    }
}

}  // namespace

void readLocalProvider(ObjectReader& auth, AuthConfig& out, const std::string& baseDir) {
    auth::server::AuthorizationServerOptions o;
    o.providerName = "local";
    if (auto users = readExistingPath(auth, "users", baseDir, false)) {
        o.usersFile = *users;
        checkUsersFile(auth, *users);
    }
    // No `users`: the host keeps users.json beside its store, created with an "admin" user on
    // first start.
    (void)readAllowInsecureHttp(
        auth);  // accepted for symmetry with the other providers; no URLs here
    readAuthServerKeys(auth, o, baseDir);
    readAccessPolicy(auth, o);
    out.settings = std::move(o);
}

}  // namespace mcph::config
