#pragma once
// /token (RFC 6749 §3.2, §4.1.3, §6) and /revoke (RFC 7009): the host's own tokens for the MCP
// client. Answers are what docs/client-interop.md#token-requests-and-refresh says clients parse:
// {"access_token", "token_type":"Bearer","expires_in","refresh_token","scope"}, no nulls, no-store;
// a dead code or refresh token is 400 invalid_grant, the code clients key their recovery on.
//
// The authorization code grant checks, in order: client authentication, the code (single use:
// consumed before anything else is compared, so two racing redemptions cannot both pass, and a
// replay revokes what the first one produced), that it was issued to this client, redirect_uri
// equal to the one used at /authorize, the PKCE verifier, and `resource`.
#include <functional>
#include <memory>
#include <string>

#include "mcphost/auth/server/AuthorizationServerSettings.h"
#include "mcphost/auth/server/ClientLookup.h"
#include "mcphost/auth/server/EndpointMessages.h"
#include "mcphost/auth/server/AccessGate.h"
#include "mcphost/auth/server/AuthStore.h"
#include "mcphost/auth/server/RateLimit.h"
#include "mcphost/auth/server/RateLimiter.h"
#include "mcphost/auth/TokenVerifier.h"
#include "mcphost/auth/server/TokenIssuer.h"

namespace mcph::auth::server {

class TokenEndpoint {
public:
    // `onGrantRevoked` runs after a replayed code or refresh token revoked a grant, or a refresh
    // found the grant's user no longer admitted by `access` (ended or narrowed). `limiter`
    // limits the requests per client address; null: a RateLimiter with requestLimit(settings),
    // this instance's own.
    TokenEndpoint(AuthStore& store, ClientLookup& clients, const TokenIssuer& issuer,
                  const AuthorizationServerSettings& settings, const AccessGate& access,
                  std::function<void()> onGrantRevoked = {},
                  std::shared_ptr<RateLimit> limiter = nullptr);

    // The limit on requests per client address, on settings.now.
    static RateLimiterOptions requestLimit(const AuthorizationServerSettings& settings);

    EndpointResponse handle(const EndpointRequest& request);

private:
    EndpointResponse authorizationCode(const EndpointRequest& request, const ClientRecord& client);
    EndpointResponse refreshToken(const EndpointRequest& request, const ClientRecord& client);
    EndpointResponse tokens(const Grant& grant, const std::vector<std::string>& scopes, const RefreshIssue& refresh);

    AuthStore& store_;
    ClientLookup& clients_;
    const TokenIssuer& issuer_;
    const AccessGate& access_;
    const AuthorizationServerSettings& settings_;
    std::function<void()> onGrantRevoked_;
    std::shared_ptr<RateLimit> limiter_;  // requests per client address
};

class RevocationEndpoint {
public:
    // `accessTokens` checks the host's own access tokens (signature, issuer, audience), so one
    // can be revoked too; null: refresh tokens only.
    RevocationEndpoint(AuthStore& store, ClientLookup& clients, std::shared_ptr<TokenVerifier> accessTokens = nullptr,
                       std::function<void()> onGrantRevoked = {})
        : store_(store), clients_(clients), accessTokens_(std::move(accessTokens)), onGrantRevoked_(std::move(onGrantRevoked)) {}

    // 200 whether or not the token was known (RFC 7009 §2.2). Revoking either token ends the
    // whole grant: the refresh family and every access token issued from it.
    EndpointResponse handle(const EndpointRequest& request);

private:
    AuthStore& store_;
    ClientLookup& clients_;
    std::shared_ptr<TokenVerifier> accessTokens_;
    std::function<void()> onGrantRevoked_;
};

}  // namespace mcph::auth::server
