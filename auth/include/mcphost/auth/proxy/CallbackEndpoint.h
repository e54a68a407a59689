#pragma once
// /oauth/callback: where the upstream identity provider sends the browser back. The state must
// be one this host issued (single use, short lived), presented by the same browser that gave
// consent; then the upstream code is exchanged with the host's client secret and PKCE verifier,
// the identity established, and the browser sent on to the MCP client with the host's own code.
// Upstream tokens never leave UpstreamClient.
#include <string>

#include "mcphost/auth/proxy/AuthorizationServerSettings.h"
#include "mcphost/auth/proxy/BrowserBinding.h"
#include "mcphost/auth/proxy/ClientRedirect.h"
#include "mcphost/auth/proxy/EndpointMessages.h"
#include "mcphost/auth/proxy/ProxyStore.h"
#include "mcphost/auth/proxy/UpstreamClient.h"

namespace mcph::auth::proxy {

class CallbackEndpoint {
public:
    static constexpr const char* kPath = "/oauth/callback";

    CallbackEndpoint(ProxyStore& store, UpstreamClient& upstream, const BrowserBinding& browser,
                     const AuthorizationServerSettings& settings);

    EndpointResponse handle(const EndpointRequest& request);

    // The OIDC nonce sent upstream, derived from the (secret, stored) PKCE verifier so the
    // pending record needs no extra field.
    static std::string nonceFor(const std::string& upstreamVerifier);

private:
    ProxyStore& store_;
    UpstreamClient& upstream_;
    const BrowserBinding& browser_;
    const AuthorizationServerSettings& settings_;
    ClientRedirect redirect_;
};

}  // namespace mcph::auth::proxy
