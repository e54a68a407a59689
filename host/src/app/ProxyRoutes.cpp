#include "app/ProxyRoutes.h"

#include "http/ProxyRegistrationHandler.h"
#include "http/StaticJsonHandler.h"

namespace mcph::app {

namespace authserver = auth::server;

ProxyRoutes::ProxyRoutes(authserver::AuthStore& store, const authserver::SigningKey& signingKey, ProxyRoutesOptions options)
    : metadataJson_(authserver::AuthServerMetadataDocument::json(options.metadata)),
      jwksJson_(signingKey.jwksJson()),
      serveJwks_(options.metadata.jwks),
      registration_(std::make_unique<authserver::RegistrationEndpoint>(
          store, authserver::RedirectUriPolicy(std::move(options.ownCallbacks)), std::move(options.registration))) {}

ProxyRoutes::~ProxyRoutes() = default;

void ProxyRoutes::addTo(http::Router& router) {
    // The issuer has no path, so the document lives at the root well-known path only.
    router.addPath(kMetadataPath, [this] { return new http::StaticJsonHandler(metadataJson_); });
    if (serveJwks_) {
        router.addPath(authserver::AuthServerMetadataDocument::kJwksPath,
                       [this] { return new http::StaticJsonHandler(jwksJson_); });
    }
    router.addPath(authserver::AuthServerMetadataDocument::kRegisterPath,
                   [this] { return new http::ProxyRegistrationHandler(*registration_); });
}

}  // namespace mcph::app
