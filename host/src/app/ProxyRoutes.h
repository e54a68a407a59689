#pragma once
// The proxy-mode authorization server routes that exist so far: the RFC 8414 metadata document
// at /.well-known/oauth-authorization-server, the host's JWKS at /.well-known/jwks.json and
// dynamic client registration at /register (CLIENT-INTEROP.md). /authorize, the consent page,
// the upstream callback, /token and /revoke are still to come.
//
// NOT wired into HostServer yet: the next session adds the proxy config and its provider, and
// HostServer then builds one ProxyRoutes (store, signing key, public URL, scopes) and calls
// addTo() on its Router before the MCP path. The ProxyRoutes object owns the documents and the
// registration endpoint the handlers refer to, so it must outlive the HTTP server.
#include <memory>
#include <string>
#include <vector>

#include "http/Router.h"
#include "mcphost/auth/server/AuthServerMetadataDocument.h"
#include "mcphost/auth/server/AuthStore.h"
#include "mcphost/auth/server/RegistrationEndpoint.h"
#include "mcphost/auth/server/SigningKey.h"

namespace mcph::app {

struct ProxyRoutesOptions {
    auth::server::AuthServerMetadataOptions metadata;  // publicUrl is required
    // The host's own callback URLs, which a client may never register as its redirect URI.
    std::vector<std::string> ownCallbacks;
    auth::server::RegistrationEndpointOptions registration;
};

class ProxyRoutes {
public:
    static constexpr const char* kMetadataPath = "/.well-known/oauth-authorization-server";

    // Builds the documents now; throws std::invalid_argument when metadata.publicUrl is unusable.
    // `store` must outlive this object.
    ProxyRoutes(auth::server::AuthStore& store, const auth::server::SigningKey& signingKey, ProxyRoutesOptions options);
    ~ProxyRoutes();

    // Adds the routes; the handlers refer to this object.
    void addTo(http::Router& router);

    const std::string& metadataJson() const { return metadataJson_; }
    const std::string& jwksJson() const { return jwksJson_; }
    auth::server::RegistrationEndpoint& registration() { return *registration_; }

private:
    std::string metadataJson_;
    std::string jwksJson_;
    bool serveJwks_;
    std::unique_ptr<auth::server::RegistrationEndpoint> registration_;
};

}  // namespace mcph::app
