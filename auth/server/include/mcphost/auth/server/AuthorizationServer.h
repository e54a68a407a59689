#pragma once
// The host as the authorization server MCP clients see (proxy mode and the local provider), the
// one front door of this library: built from one options struct, it opens the store, loads (or
// creates) the signing key, builds every endpoint, and hands the host its routes (metadata,
// JWKS, /register, /authorize, /oauth/callback, /token, /revoke). The MCP endpoint then accepts
// only the tokens this server issued, through tokenVerifier().
#include <memory>
#include <string>
#include <vector>

#include "mcphost/auth/TokenVerifier.h"
#include "mcphost/auth/server/AuthRoute.h"
#include "mcphost/auth/server/AuthorizationServerOptions.h"

namespace mcph::auth::server {

// What reloading the `local` users file changed (usernames only, never a hash), and what the
// review of the stored grants against it then ended or narrowed.
struct UsersReload {
    std::string file;
    std::vector<std::string> added, removed, changed;
    std::size_t grantsNarrowed = 0;
    std::size_t grantsEnded = 0;

    bool anything() const { return !added.empty() || !removed.empty() || !changed.empty(); }
};

class AuthorizationServer {
  public:
    // Throws std::runtime_error with an operator-readable reason when something is unusable
    // (store file, users file, upstream settings): the host then refuses to start.
    AuthorizationServer(const AuthorizationServerOptions& options,
                        const AuthorizationServerSite& site);
    ~AuthorizationServer();
    AuthorizationServer(const AuthorizationServer&) = delete;
    AuthorizationServer& operator=(const AuthorizationServer&) = delete;

    // The routes to serve; they refer to this object, which must outlive the HTTP server.
    std::vector<AuthRoute> routes();

    const std::string& issuer() const;
    const std::vector<std::string>& scopes() const;  // what clients may be granted
    std::shared_ptr<TokenVerifier> tokenVerifier() const;

    // "" when the store can serve, else why not (the host's /readyz).
    std::string storeProblem() const;

    // Deletes expired pending authorizations, codes and refresh families, and registrations that
    // never got a token. Called periodically; safe from any thread.
    void sweep();

    // `local` only (SIGHUP): reads the users file again (`usersFile`, or "" for the one in use),
    // makes it the one sign-ins and refreshes see, and holds every stored grant against it, so
    // a removed user's tokens stop working at once. Throws std::runtime_error naming the problem
    // (never a hash) when the file is unusable; the users in use are then kept.
    UsersReload reloadUsers(const std::string& usersFile);
    bool isLocal() const;

  private:
    struct Parts;
    std::unique_ptr<Parts> parts_;
};

}  // namespace mcph::auth::server
