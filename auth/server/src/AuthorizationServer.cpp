#include "mcphost/auth/server/AuthorizationServer.h"

#include <Poco/File.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>

#include <algorithm>
#include <stdexcept>

#include "AuthEventReport.h"
#include "FirstRunUsers.h"
#include "TimedAuthStore.h"
#include "mcphost/auth/server/AccessGate.h"
#include "mcphost/auth/JwksKeySet.h"
#include "mcphost/auth/JwtVerifier.h"
#include "mcphost/auth/PocoHttpFetcher.h"
#include "mcphost/auth/server/AuthServerMetadataDocument.h"
#include "mcphost/auth/server/AuthorizeEndpoint.h"
#include "mcphost/auth/server/BrowserBinding.h"
#include "mcphost/auth/server/CallbackEndpoint.h"
#include "mcphost/auth/server/CimdClientLookup.h"
#include "mcphost/auth/server/ClientLookup.h"
#include "mcphost/auth/server/GrantCheckingVerifier.h"
#include "mcphost/auth/server/LocalJwksFetcher.h"
#include "mcphost/auth/server/LocalUserDirectory.h"
#include "mcphost/auth/server/RegistrationEndpoint.h"
#include "mcphost/auth/server/SigningKey.h"
#include "mcphost/auth/server/RedisAuthStore.h"
#include "mcphost/auth/server/RedisGrantChanges.h"
#include "mcphost/auth/server/RedisRateLimiter.h"
#include "mcphost/auth/server/RedisSignInBackoff.h"
#include "mcphost/auth/server/SqliteAuthStore.h"
#include "mcphost/auth/server/TokenEndpoint.h"
#include "mcphost/auth/server/TokenIssuer.h"

namespace mcph::auth::server {
namespace {

constexpr const char* kDefaultStoreFile = "var/mcp-host-auth.db";

std::string storePathFor(const AuthorizationServerOptions& o) {
    std::string path =
        o.storeFile.empty() ? Poco::Path(kDefaultStoreFile).absolute().toString() : o.storeFile;
    Poco::File(Poco::Path(path).parent()).createDirectories();
    return path;
}

// Scopes offered to MCP clients: the configured list, or every scope a tool needs.
std::vector<std::string> offeredScopes(const AuthorizationServerOptions& o,
                                       const AuthorizationServerSite& site) {
    std::vector<std::string> out = o.mcpScopes.empty() ? site.toolScopes : o.mcpScopes;
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// Every stored grant is held against the users file and access policy as they are now, so a user
// removed or narrowed while the host was down holds nothing more once it is up: their refresh
// tokens and access tokens stop working before the first request is served.
// (The missing-policy warning comes from the config reader, so --check-config says it too.)
void reviewStoredGrants(const AccessGate& access, AuthStore& store, const AuthorizationServerOptions& o) {
    auto& log = Poco::Logger::get("mcp-host.auth");
    if (o.access.restricted()) log.information("auth: access policy with %z rule(s)", o.access.rules().size());
    const GrantReview r = access.reviewAll(store, std::chrono::system_clock::now());
    if (r.ended || r.narrowed) {
        log.notice("auth: access review of stored grants: %z kept, %z narrowed, %z ended", r.kept, r.narrowed,
                   r.ended);
    }
}

// A public document browsers may cache (metadata, JWKS).
EndpointResponse publicJson(const std::string& body) {
    EndpointResponse r;
    r.body = body;
    r.headers = {{"Cache-Control", "public, max-age=300"}};
    return r;
}

}  // namespace

struct AuthorizationServer::Parts {
    AuthorizationServerOptions options;
    std::vector<std::string> scopes;
    AuthorizationServerSettings settings;
    std::string metadataJson;
    std::string jwksJson;
    std::unique_ptr<AuthStore> store;  // SQLite, timed when events are listened to
    std::shared_ptr<SigningKey> key;
    std::unique_ptr<TokenIssuer> issuer;
    std::unique_ptr<BrowserBinding> browser;
    std::unique_ptr<StoreClientLookup> registered;
    std::unique_ptr<CimdClientLookup> clients;  // registered clients and metadata documents
    std::unique_ptr<UpstreamClient> upstream;
    std::string usersFile;  // local: the file in use
    std::unique_ptr<AccessGate> access;
    std::unique_ptr<RegistrationEndpoint> registration;
    std::unique_ptr<AuthorizeEndpoint> authorize;
    std::unique_ptr<CallbackEndpoint> callback;
    std::unique_ptr<TokenEndpoint> token;
    std::unique_ptr<RevocationEndpoint> revoke;
    std::shared_ptr<TokenVerifier> verifier;
    std::shared_ptr<GrantCheckingVerifier> grants;
    AuthEvents* events = nullptr;  // operations metrics, when the host listens
    // Last, so it stops first: it calls into `grants`.
    std::unique_ptr<RedisGrantChanges> grantChanges;
};

AuthorizationServer::AuthorizationServer(const AuthorizationServerOptions& o,
                                         const AuthorizationServerSite& site)
    : parts_(std::make_unique<Parts>()) {
    Parts& p = *parts_;
    p.options = o;
    p.events = site.events;
    p.scopes = offeredScopes(o, site);

    auto issuer = AuthServerMetadataDocument::issuerFor(site.publicBaseUrl);
    if (!issuer)
        throw std::runtime_error("the authorization server needs an http(s) public URL, got " +
                                 site.publicBaseUrl);
    p.settings.issuer = *issuer;
    p.settings.basePath = AuthServerMetadataDocument::basePathOf(*issuer);
    p.settings.origin = issuer->substr(0, issuer->size() - p.settings.basePath.size());
    p.settings.resource = site.mcpUrl;
    p.settings.callbackUrl = *issuer + CallbackEndpoint::kPath;
    p.settings.codeLifetime = o.authorizationCodeLifetime;
    p.settings.loginTimeout = o.loginTimeout;
    p.settings.secureCookies = issuer->rfind("https://", 0) == 0;

    SqliteAuthStoreOptions storeOptions;
    storeOptions.path = storePathFor(o);
    storeOptions.maxClients = o.maxClients;
    storeOptions.refreshGrace = o.refreshGrace;
    storeOptions.refreshLifetime = o.refreshTokenLifetime;
    storeOptions.refreshIdle = o.refreshIdleTimeout;
    std::string storeName = storeOptions.path;
    try {
        if (o.sharedStore) {
            RedisAuthStoreOptions shared;
            shared.endpoint = o.sharedStore->endpoint;
            shared.keyPrefix = o.sharedStore->keyPrefix;
            shared.maxClients = o.maxClients;
            shared.refreshGrace = o.refreshGrace;
            shared.refreshLifetime = o.refreshTokenLifetime;
            shared.refreshIdle = o.refreshIdleTimeout;
            storeName = "redis " + shared.endpoint.url;
            p.store = std::make_unique<RedisAuthStore>(std::move(shared));
        } else {
            p.store = std::make_unique<SqliteAuthStore>(storeOptions);
        }
        if (p.events) p.store = std::make_unique<TimedAuthStore>(std::move(p.store), *p.events);
    } catch (const std::exception& e) {
        throw std::runtime_error("cannot open the auth store " + storeName + ": " + e.what());
    }
    try {
        p.key = std::make_shared<SigningKey>(SigningKey::loadOrCreate(
            *p.store, o.sharedStore ? o.sharedStore->signingKeySecret : std::string()));
    } catch (const StoreUnavailable& e) {
        // Start-up needs the key; a supervisor restarts the host until the store is back.
        throw std::runtime_error("cannot load the signing key from " + storeName + ": " + e.what());
    }

    TokenIssuerOptions tokenOptions;
    tokenOptions.issuer = p.settings.issuer;
    tokenOptions.audience = site.mcpUrl;
    tokenOptions.lifetime = o.accessTokenLifetime;
    p.issuer = std::make_unique<TokenIssuer>(p.key, tokenOptions);
    // Every instance sharing the store derives the same CSRF key from the shared signing key.
    p.browser =
        std::make_unique<BrowserBinding>("csrf:" + p.key->privatePem(), p.settings.secureCookies);
    p.registered = std::make_unique<StoreClientLookup>(*p.store);
    p.clients = std::make_unique<CimdClientLookup>(
        *p.registered, RedirectUriPolicy({p.settings.callbackUrl}), o.cimd);

    SignInMethod signIn;
    std::shared_ptr<const LocalUserDirectory> localUsers;
    if (o.isLocal()) {
        const std::string stateDir = Poco::Path(storeOptions.path).parent().toString();
        p.usersFile = o.usersFile.empty() ? ensureFirstRunUsersFile(stateDir) : o.usersFile;
        localUsers =
            std::make_shared<const LocalUserDirectory>(LocalUserDirectory::load(p.usersFile));
        signIn.local = true;
    } else {
        try {
            UpstreamOptions upstream = *o.upstream;
            upstream.events = site.events;  // the ID token's key fetches count like native mode's
            p.upstream =
                std::make_unique<UpstreamClient>(std::make_shared<PocoHttpFetcher>(), upstream);
        } catch (const std::invalid_argument& e) {
            throw std::runtime_error(std::string("upstream settings: ") + e.what());
        }
        signIn.upstream = p.upstream.get();
    }

    p.access = std::make_unique<AccessGate>(o.access, p.scopes, localUsers);
    signIn.access = p.access.get();
    reviewStoredGrants(*p.access, *p.store, o);

    AuthServerMetadataOptions metadata;
    metadata.publicUrl = site.publicBaseUrl;
    metadata.scopesSupported = p.scopes;
    metadata.clientIdMetadataDocumentSupported = o.cimd.enabled;
    p.metadataJson = AuthServerMetadataDocument::json(metadata);
    p.jwksJson = p.key->jwksJson();
    // With a shared store the rate limits and the sign-in back-off are shared too, on one more
    // connection per process (their own: a limit check never waits behind the store's scripts).
    std::shared_ptr<RedisConnection> limits;
    if (o.sharedStore) limits = std::make_shared<RedisConnection>(o.sharedStore->endpoint);
    const auto sharedLimit = [&](const char* name,
                                 const RateLimiterOptions& limit) -> std::shared_ptr<RateLimit> {
        if (!limits) return nullptr;  // the endpoint's own, in memory
        return std::make_shared<RedisRateLimiter>(limits, o.sharedStore->keyPrefix, name, limit);
    };
    RegistrationEndpointOptions registration;
    registration.rateLimit.burst = o.registrationsPerMinute;
    registration.rateLimit.perWindow = o.registrationsPerMinute;
    registration.limiter = sharedLimit("register", registration.rateLimit);
    // The host's own callback is never a client's redirect URI.
    p.registration = std::make_unique<RegistrationEndpoint>(
        *p.store, RedirectUriPolicy({p.settings.callbackUrl}), std::move(registration));

    ScopeResolver resolver(p.scopes);
    AuthorizeEndpointOptions authorizeLimits;
    authorizeLimits.requestLimiter = sharedLimit("authorize", authorizeLimits.requestLimit);
    authorizeLimits.signInLimiter = sharedLimit("sign-in", authorizeLimits.signInLimit);
    if (limits) {
        authorizeLimits.backoff = std::make_shared<RedisSignInBackoff>(
            limits, o.sharedStore->keyPrefix, authorizeLimits.accountBackoff);
    }
    p.authorize = std::make_unique<AuthorizeEndpoint>(
        *p.store, *p.clients, RedirectUriPolicy({p.settings.callbackUrl}), resolver, *p.browser,
        p.settings, signIn, std::move(authorizeLimits));
    if (p.upstream)
        p.callback =
            std::make_unique<CallbackEndpoint>(*p.store, *p.upstream, *p.access, *p.browser, p.settings);
    // The host checks its own tokens like any issuer's, with the key set answered from memory,
    // and honours them only while their grant lives.
    const std::string jwksUrl = p.settings.issuer + AuthServerMetadataDocument::kJwksPath;
    JwksOptions keys;
    keys.jwksUri = jwksUrl;
    JwtVerifierOptions verify;
    verify.issuer = p.settings.issuer;
    verify.audience = site.mcpUrl;
    verify.allowedAlgorithms = {"ES256"};
    auto signatures = std::make_shared<JwtVerifier>(
        std::make_shared<JwksKeySet>(std::make_shared<LocalJwksFetcher>(jwksUrl, p.jwksJson), keys),
        verify);
    // The host's own revocations reach its cache at once, and a grant is re-read every 5 s (its
    // time-based end). With a shared store the other instances' revocations arrive as Redis
    // announces them; while this instance cannot hear them, every request asks the store.
    auto grants = std::make_shared<GrantCheckingVerifier>(signatures, *p.store);
    if (o.sharedStore) {
        p.grantChanges = std::make_unique<RedisGrantChanges>(
            o.sharedStore->endpoint,
            RedisAuthStore::grantChangesChannel(o.sharedStore->keyPrefix),
            [grants](const std::string& familyId) { grants->forgetGrant(familyId); });
        RedisGrantChanges* feed = p.grantChanges.get();
        grants->trustCacheWhile([feed] { return feed->live(); });
    }
    p.verifier = grants;
    p.grants = grants;
    auto forget = [grants] { grants->forgetActiveGrants(); };
    p.token = std::make_unique<TokenEndpoint>(
        *p.store, *p.clients, *p.issuer, p.settings, *p.access, forget,
        sharedLimit("token", TokenEndpoint::requestLimit(p.settings)));
    p.revoke = std::make_unique<RevocationEndpoint>(*p.store, *p.clients, signatures, forget);

    Poco::Logger::get("mcp-host.auth")
        .information("auth: %s (host is the authorization server %s), store %s, %z scope(s)",
                     o.providerName, p.settings.issuer, storeName, p.scopes.size());
}

AuthorizationServer::~AuthorizationServer() = default;

const std::string& AuthorizationServer::issuer() const { return parts_->settings.issuer; }

std::string AuthorizationServer::storeProblem() const { return parts_->store->problem(); }
const std::vector<std::string>& AuthorizationServer::scopes() const { return parts_->scopes; }
std::shared_ptr<TokenVerifier> AuthorizationServer::tokenVerifier() const {
    return parts_->verifier;
}

std::vector<AuthRoute> AuthorizationServer::routes() {
    Parts& p = *parts_;
    std::vector<AuthRoute> out;
    // The metadata lives where RFC 8414 clients look for this issuer; the rest under its path.
    out.push_back({AuthServerMetadataDocument::metadataPathFor(p.settings.issuer),
                   {"GET"},
                   true,
                   0,
                   [&p](const EndpointRequest&) { return publicJson(p.metadataJson); }});
    out.push_back(
        {AuthServerMetadataDocument::kJwksPath, {"GET"}, true, 0, [&p](const EndpointRequest&) {
             return publicJson(p.jwksJson);
         }});
    out.push_back(
        {AuthServerMetadataDocument::kRegisterPath,
         {"POST"},
         true,
         p.registration->maxBodyBytes(),
         [&p](const EndpointRequest& r) {
             if (r.contentType != "application/json") {
                 EndpointResponse refused;
                 refused.status = 415;
                 refused.body =
                     R"({"error":"invalid_client_metadata","error_description":"Content-Type must be application/json"})";
                 refused.headers = {{"Cache-Control", "no-store"}};
                 return refused;
             }
             return p.registration->handle(r.body, r.clientAddress);
         }});
    out.push_back({AuthServerMetadataDocument::kAuthorizePath,
                   {"GET", "POST"},
                   false,
                   64 * 1024,
                   [&p](const EndpointRequest& r) {
                       EndpointResponse answer = p.authorize->handle(r);
                       if (p.events) reportAuthorize(*p.events, p.options.isLocal(), r, answer);
                       return answer;
                   }});
    if (p.callback) {
        out.push_back({CallbackEndpoint::kPath, {"GET"}, false, 0, [&p](const EndpointRequest& r) {
                           EndpointResponse answer = p.callback->handle(r);
                           if (p.events) reportCallback(*p.events, answer);
                           return answer;
                       }});
    }
    out.push_back({AuthServerMetadataDocument::kTokenPath,
                   {"POST"},
                   true,
                   64 * 1024,
                   [&p](const EndpointRequest& r) {
                       EndpointResponse answer = p.token->handle(r);
                       if (p.events) reportToken(*p.events, r, answer);
                       return answer;
                   }});
    out.push_back({AuthServerMetadataDocument::kRevokePath,
                   {"POST"},
                   true,
                   64 * 1024,
                   [&p](const EndpointRequest& r) {
                       EndpointResponse answer = p.revoke->handle(r);
                       if (p.events) reportRevoke(*p.events, answer);
                       return answer;
                   }});
    // Every route but the metadata document (the first, placed by RFC 8414) is under the issuer.
    for (std::size_t i = 1; i < out.size(); ++i) out[i].path = p.settings.basePath + out[i].path;
    return out;
}

void AuthorizationServer::sweep() {
    Parts& p = *parts_;
    const auto now = std::chrono::system_clock::now();
    std::size_t removed = p.store->sweepExpired(now);
    removed += p.store->sweepUnusedClients(now, p.options.unusedClientLifetime);
    if (removed)
        Poco::Logger::get("mcp-host.auth").debug("auth store: swept %z expired row(s)", removed);
}

bool AuthorizationServer::isLocal() const { return parts_->options.isLocal(); }

UsersReload AuthorizationServer::reloadUsers(const std::string& usersFile) {
    Parts& p = *parts_;
    if (!p.options.isLocal()) throw std::runtime_error("only the local provider has a users file");
    UsersReload r;
    r.file = usersFile.empty() ? p.usersFile : usersFile;
    auto next = std::make_shared<const LocalUserDirectory>(LocalUserDirectory::load(r.file));
    const std::shared_ptr<const LocalUserDirectory> before = p.access->localUsers();
    const auto same = [](const LocalUser& a, const LocalUser& b) {
        return a.passwordHash == b.passwordHash && a.email == b.email && a.name == b.name &&
               a.scopes == b.scopes;
    };
    for (const LocalUser& user : next->users()) {
        const auto old = before->find(user.username);
        if (!old) {
            r.added.push_back(user.username);
        } else if (!same(*old, user)) {
            r.changed.push_back(user.username);
        }
    }
    for (const LocalUser& user : before->users()) {
        if (!next->find(user.username)) r.removed.push_back(user.username);
    }
    p.access->replaceLocalUsers(next);
    p.usersFile = r.file;
    // The same review as at start: removed users' grants end, narrowed scopes are cut, and this
    // instance stops honouring their access tokens at once.
    const GrantReview review = p.access->reviewAll(*p.store, std::chrono::system_clock::now());
    r.grantsEnded = review.ended;
    r.grantsNarrowed = review.narrowed;
    if (review.ended || review.narrowed) p.grants->forgetActiveGrants();
    return r;
}

}  // namespace mcph::auth::server
