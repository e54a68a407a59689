#pragma once
// /oauth/callback: where the upstream identity provider sends the browser back. The state must
// be one this host issued (single use, short lived), presented by the same browser that gave
// consent; then the upstream code is exchanged with the host's client secret and PKCE verifier,
// the identity established, and the browser sent on to the MCP client with the host's own code.
// Upstream tokens never leave UpstreamClient.
#include <string>

#include "mcphost/auth/server/AccessGate.h"
#include "mcphost/auth/server/AuthorizationServerSettings.h"
#include "mcphost/auth/server/BrowserBinding.h"
#include "mcphost/auth/server/ClientRedirect.h"
#include "mcphost/auth/server/EndpointMessages.h"
#include "mcphost/auth/server/AuthStore.h"
#include "mcphost/auth/server/UpstreamClient.h"

namespace mcph::auth::server {

class CallbackEndpoint {
public:
    static constexpr const char* kPath = "/oauth/callback";

    CallbackEndpoint(AuthStore& store, UpstreamClient& upstream, const AccessGate& access, const BrowserBinding& browser,
                     const AuthorizationServerSettings& settings);

    EndpointResponse handle(const EndpointRequest& request);

    // The OIDC nonce sent upstream, derived from the (secret, stored) PKCE verifier so the
    // pending record needs no extra field.
    static std::string nonceFor(const std::string& upstreamVerifier);

private:
    AuthStore& store_;
    UpstreamClient& upstream_;
    const AccessGate& access_;
    const BrowserBinding& browser_;
    const AuthorizationServerSettings& settings_;
    ClientRedirect redirect_;
};

}  // namespace mcph::auth::server
