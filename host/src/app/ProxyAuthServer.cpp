#include "app/ProxyAuthServer.h"

#include <Poco/File.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>

#include <algorithm>
#include <stdexcept>

#include "app/FirstRunUsers.h"
#include "app/ProxyRoutes.h"
#include "http/ProxyEndpointHandler.h"
#include "mcphost/auth/JwksKeySet.h"
#include "mcphost/auth/JwtVerifier.h"
#include "mcphost/auth/PocoHttpFetcher.h"
#include "mcphost/auth/server/AuthorizeEndpoint.h"
#include "mcphost/auth/server/BrowserBinding.h"
#include "mcphost/auth/server/CallbackEndpoint.h"
#include "mcphost/auth/server/CimdClientLookup.h"
#include "mcphost/auth/server/ClientLookup.h"
#include "mcphost/auth/server/GrantCheckingVerifier.h"
#include "mcphost/auth/server/LocalJwksFetcher.h"
#include "mcphost/auth/server/LocalUserDirectory.h"
#include "mcphost/auth/server/Secrets.h"
#include "mcphost/auth/server/SqliteAuthStore.h"
#include "mcphost/auth/server/TokenEndpoint.h"
#include "mcphost/auth/server/TokenIssuer.h"
#include "mcphost/auth/server/UpstreamClient.h"

namespace mcph::app {

namespace authserver = auth::server;

namespace {

constexpr const char* kDefaultStoreFile = "var/mcp-host-auth.db";

std::string storePathFor(const config::ProxySettings& s) {
    std::string path = s.storeFile.empty() ? Poco::Path(kDefaultStoreFile).absolute().toString() : s.storeFile;
    Poco::File(Poco::Path(path).parent()).createDirectories();
    return path;
}

authserver::UpstreamOptions upstreamOptionsFrom(const config::ProxySettings& s) {
    const config::UpstreamSettings& u = s.upstream;
    authserver::UpstreamOptions o;
    o.authEndpoint = u.authEndpoint;
    o.tokenEndpoint = u.tokenEndpoint;
    o.clientId = u.clientId;
    o.clientSecret = u.clientSecret;
    o.clientSecretBasic = u.tokenEndpointAuthMethod == "client_secret_basic";
    o.scopes = u.scopes;
    o.extraAuthorizeParams = u.extraAuthorizeParams;
    o.pkce = u.pkce;
    o.forwardResource = u.forwardResource;
    o.nonce = u.nonce;
    const auto& id = u.identity;
    o.identity = id.method == "userinfo"      ? authserver::UpstreamIdentityMethod::UserInfo
                 : id.method == "accessToken" ? authserver::UpstreamIdentityMethod::AccessToken
                                              : authserver::UpstreamIdentityMethod::IdToken;
    o.jwksUrl = id.jwksUrl;
    o.issuer = id.issuer.empty() ? u.issuer : id.issuer;
    o.audience = id.audience;
    o.algorithms = id.algorithms;
    o.leeway = std::chrono::seconds(id.leewaySeconds);
    o.userInfoUrl = id.userInfoUrl;
    o.userEmailsUrl = id.userEmailsUrl;
    o.claims.userId = id.claims.userId;
    o.claims.email = id.claims.email;
    o.claims.name = id.claims.name;
    // GitHub users without a display name still have a login.
    if (s.preset == "github") o.claims.nameFallback = "login";
    return o;
}

// Scopes offered to MCP clients: the configured list, or every scope a tool needs.
std::vector<std::string> offeredScopes(const config::ProxySettings& s, const ProxySite& site) {
    std::vector<std::string> out = s.mcpScopes.empty() ? site.toolScopes : s.mcpScopes;
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace

struct ProxyAuthServer::Parts {
    config::ProxySettings config;
    std::vector<std::string> scopes;
    authserver::AuthorizationServerSettings settings;
    std::unique_ptr<authserver::SqliteAuthStore> store;
    std::shared_ptr<authserver::SigningKey> key;
    std::unique_ptr<authserver::TokenIssuer> issuer;
    std::unique_ptr<authserver::BrowserBinding> browser;
    std::unique_ptr<authserver::StoreClientLookup> registered;
    std::unique_ptr<authserver::CimdClientLookup> clients;  // registered clients and metadata documents
    std::unique_ptr<authserver::UpstreamClient> upstream;
    std::unique_ptr<authserver::LocalUserDirectory> localUsers;
    std::unique_ptr<ProxyRoutes> routes;
    std::unique_ptr<authserver::AuthorizeEndpoint> authorize;
    std::unique_ptr<authserver::CallbackEndpoint> callback;
    std::unique_ptr<authserver::TokenEndpoint> token;
    std::unique_ptr<authserver::RevocationEndpoint> revoke;
    std::shared_ptr<auth::TokenVerifier> verifier;
};

ProxyAuthServer::ProxyAuthServer(const config::ProxySettings& s, const ProxySite& site) : parts_(std::make_unique<Parts>()) {
    Parts& p = *parts_;
    p.config = s;
    p.scopes = offeredScopes(s, site);

    auto issuer = authserver::AuthServerMetadataDocument::issuerFor(site.publicBaseUrl);
    if (!issuer) throw std::runtime_error("proxy mode needs an http(s) public URL, got " + site.publicBaseUrl);
    p.settings.issuer = *issuer;
    p.settings.resource = site.mcpUrl;
    p.settings.callbackUrl = *issuer + authserver::CallbackEndpoint::kPath;
    p.settings.codeLifetime = std::chrono::seconds(s.authorizationCodeSeconds);
    p.settings.loginTimeout = std::chrono::seconds(s.loginTimeoutSeconds);
    p.settings.secureCookies = issuer->rfind("https://", 0) == 0;

    authserver::SqliteAuthStoreOptions storeOptions;
    storeOptions.path = storePathFor(s);
    storeOptions.maxClients = static_cast<std::size_t>(s.maxClients);
    storeOptions.refreshGrace = std::chrono::seconds(s.refreshGraceSeconds);
    storeOptions.refreshLifetime = std::chrono::hours(24 * s.refreshTokenDays);
    try {
        p.store = std::make_unique<authserver::SqliteAuthStore>(storeOptions);
    } catch (const std::exception& e) {
        throw std::runtime_error("cannot open the auth store " + storeOptions.path + ": " + e.what());
    }
    p.key = std::make_shared<authserver::SigningKey>(authserver::SigningKey::loadOrCreate(*p.store));

    authserver::TokenIssuerOptions tokenOptions;
    tokenOptions.issuer = p.settings.issuer;
    tokenOptions.audience = site.mcpUrl;
    tokenOptions.lifetime = std::chrono::seconds(s.accessTokenSeconds);
    p.issuer = std::make_unique<authserver::TokenIssuer>(p.key, tokenOptions);
    // Every instance sharing the store derives the same CSRF key from the shared signing key.
    p.browser = std::make_unique<authserver::BrowserBinding>("csrf:" + p.key->privatePem(), p.settings.secureCookies);
    p.registered = std::make_unique<authserver::StoreClientLookup>(*p.store);
    authserver::CimdOptions cimd;
    cimd.enabled = s.cimd.enabled;
    cimd.allowPrivateAddresses = s.cimd.allowPrivateAddresses;
    cimd.allowHttp = s.cimd.allowHttp;
    cimd.cacheSeconds = s.cimd.cacheSeconds;
    cimd.maxBytes = s.cimd.maxBytes;
    p.clients = std::make_unique<authserver::CimdClientLookup>(*p.registered, authserver::RedirectUriPolicy({p.settings.callbackUrl}), cimd);

    authserver::SignInMethod signIn;
    if (s.preset == "local") {
        const std::string usersFile =
            s.usersFile.empty() ? ensureFirstRunUsersFile(Poco::Path(storeOptions.path).parent().toString()) : s.usersFile;
        p.localUsers = std::make_unique<authserver::LocalUserDirectory>(authserver::LocalUserDirectory::load(usersFile));
        signIn.localUsers = p.localUsers.get();
    } else {
        try {
            p.upstream = std::make_unique<authserver::UpstreamClient>(std::make_shared<auth::PocoHttpFetcher>(),
                                                                 upstreamOptionsFrom(s));
        } catch (const std::invalid_argument& e) {
            throw std::runtime_error(std::string("proxy upstream settings: ") + e.what());
        }
        signIn.upstream = p.upstream.get();
    }

    ProxyRoutesOptions routeOptions;
    routeOptions.metadata.publicUrl = site.publicBaseUrl;
    routeOptions.metadata.scopesSupported = p.scopes;
    routeOptions.metadata.clientIdMetadataDocumentSupported = s.cimd.enabled;
    routeOptions.ownCallbacks = {p.settings.callbackUrl};
    routeOptions.registration.rateLimit.burst = s.registrationsPerMinute;
    routeOptions.registration.rateLimit.perWindow = s.registrationsPerMinute;
    p.routes = std::make_unique<ProxyRoutes>(*p.store, *p.key, std::move(routeOptions));

    authserver::ScopeResolver resolver(p.scopes);
    p.authorize = std::make_unique<authserver::AuthorizeEndpoint>(*p.store, *p.clients,
                                                             authserver::RedirectUriPolicy({p.settings.callbackUrl}), resolver,
                                                             *p.browser, p.settings, signIn);
    if (p.upstream) p.callback = std::make_unique<authserver::CallbackEndpoint>(*p.store, *p.upstream, *p.browser, p.settings);
    // The host checks its own tokens like any issuer's, with the key set answered from memory,
    // and honours them only while their grant lives.
    const std::string jwksUrl = p.settings.issuer + authserver::AuthServerMetadataDocument::kJwksPath;
    auth::JwksOptions keys;
    keys.jwksUri = jwksUrl;
    auth::JwtVerifierOptions verify;
    verify.issuer = p.settings.issuer;
    verify.audience = site.mcpUrl;
    verify.allowedAlgorithms = {"ES256"};
    auto signatures = std::make_shared<auth::JwtVerifier>(
        std::make_shared<auth::JwksKeySet>(std::make_shared<authserver::LocalJwksFetcher>(jwksUrl, p.key->jwksJson()), keys),
        verify);
    auto grants = std::make_shared<authserver::GrantCheckingVerifier>(signatures, *p.store);
    p.verifier = grants;
    auto forget = [grants] { grants->forgetActiveGrants(); };
    p.token = std::make_unique<authserver::TokenEndpoint>(*p.store, *p.clients, *p.issuer, p.settings, forget);
    p.revoke = std::make_unique<authserver::RevocationEndpoint>(*p.store, *p.clients, signatures, forget);

    Poco::Logger::get("mcp-host.auth")
        .information("auth: %s (host is the authorization server %s), store %s, %z scope(s)", s.preset,
                     p.settings.issuer, storeOptions.path, p.scopes.size());
}

ProxyAuthServer::~ProxyAuthServer() = default;

const std::string& ProxyAuthServer::issuer() const { return parts_->settings.issuer; }
const std::vector<std::string>& ProxyAuthServer::scopes() const { return parts_->scopes; }
std::shared_ptr<auth::TokenVerifier> ProxyAuthServer::tokenVerifier() const { return parts_->verifier; }

void ProxyAuthServer::addRoutes(http::Router& router) {
    Parts& p = *parts_;
    p.routes->addTo(router);
    using http::ProxyEndpointHandler;
    using http::ProxyEndpointOptions;
    router.addPath(authserver::AuthServerMetadataDocument::kAuthorizePath, [&p] {
        return new ProxyEndpointHandler([&p](const authserver::EndpointRequest& r) { return p.authorize->handle(r); },
                                        ProxyEndpointOptions{"GET, POST", false});
    });
    if (p.callback) {
        router.addPath(authserver::CallbackEndpoint::kPath, [&p] {
            return new ProxyEndpointHandler([&p](const authserver::EndpointRequest& r) { return p.callback->handle(r); },
                                            ProxyEndpointOptions{"GET", false});
        });
    }
    router.addPath(authserver::AuthServerMetadataDocument::kTokenPath, [&p] {
        return new ProxyEndpointHandler([&p](const authserver::EndpointRequest& r) { return p.token->handle(r); },
                                        ProxyEndpointOptions{"POST", true});
    });
    router.addPath(authserver::AuthServerMetadataDocument::kRevokePath, [&p] {
        return new ProxyEndpointHandler([&p](const authserver::EndpointRequest& r) { return p.revoke->handle(r); },
                                        ProxyEndpointOptions{"POST", true});
    });
}

void ProxyAuthServer::sweep() {
    Parts& p = *parts_;
    const auto now = std::chrono::system_clock::now();
    std::size_t removed = p.store->sweepExpired(now);
    removed += p.store->sweepUnusedClients(now, std::chrono::hours(p.config.unusedClientHours));
    if (removed) Poco::Logger::get("mcp-host.auth").debug("auth store: swept %z expired row(s)", removed);
}

}  // namespace mcph::app
