#pragma once
// /authorize: GET validates the MCP client's request and shows the consent page; POST takes the
// person's decision. Only after an approval, CSRF-checked and bound to this browser, does the
// user go upstream (proxy) or get signed in against the users file (local).
//
// Order of checks on GET (SPEC-NOTES.md): a request that names an unknown client or a redirect
// URI the client did not register gets an error page, never a redirect (an open redirect
// otherwise); everything after that (response_type, PKCE S256, resource, prompt=none) is
// reported to the client's redirect URI with its state. Scopes never fail: unknown ones are
// dropped, none means the defaults (docs/client-interop.md#scope-handling).
//
// The request waits in the store as a pending authorization under a single-use "consent
// ticket"; approving takes it and, for the upstream, re-stores it under a fresh single-use
// state with the host's own PKCE verifier. Tickets and states carry different prefixes, so one
// can never be presented as the other.
#include <memory>
#include <string>

#include "mcphost/auth/server/AccessGate.h"
#include "mcphost/auth/server/AccountBackoff.h"
#include "mcphost/auth/server/AuthStore.h"
#include "mcphost/auth/server/AuthorizationServerSettings.h"
#include "mcphost/auth/server/BrowserBinding.h"
#include "mcphost/auth/server/ClientLookup.h"
#include "mcphost/auth/server/ClientRedirect.h"
#include "mcphost/auth/server/EndpointMessages.h"
#include "mcphost/auth/server/LocalUserDirectory.h"
#include "mcphost/auth/server/RateLimit.h"
#include "mcphost/auth/server/RateLimiter.h"
#include "mcphost/auth/server/RedirectUriPolicy.h"
#include "mcphost/auth/server/ScopeResolver.h"
#include "mcphost/auth/server/SignInBackoff.h"
#include "mcphost/auth/server/UpstreamClient.h"

namespace mcph::auth::server {

// How a person is signed in after consenting: exactly one of the two is set.
struct SignInMethod {
    UpstreamClient* upstream = nullptr;  // proxy mode
    // The `local` provider: passwords are checked against access->localUsers(), the users file
    // as it is now (reloaded on SIGHUP).
    bool local = false;
    const AccessGate* access = nullptr;  // required: who may be signed in, with which scopes
};

struct AuthorizeEndpointOptions {
    RateLimiterOptions requestLimit{60, 60, std::chrono::seconds(60)};  // GETs per address
    RateLimiterOptions signInLimit{10, 10, std::chrono::seconds(60)};   // password attempts per address
    SignInBackoffOptions accountBackoff;                                 // password attempts per username
    // Set: these instead of this instance's own in-memory ones built from the options above
    // (RedisRateLimiter and RedisSignInBackoff, shared by every instance).
    std::shared_ptr<RateLimit> requestLimiter;
    std::shared_ptr<RateLimit> signInLimiter;
    std::shared_ptr<AccountBackoff> backoff;
};

class AuthorizeEndpoint {
public:
    static constexpr const char* kTicketPrefix = "c.";
    static constexpr const char* kUpstreamStatePrefix = "u.";

    // Every reference must outlive the endpoint.
    AuthorizeEndpoint(AuthStore& store, ClientLookup& clients, RedirectUriPolicy policy, ScopeResolver scopes,
                      const BrowserBinding& browser, const AuthorizationServerSettings& settings, SignInMethod signIn,
                      AuthorizeEndpointOptions options = {});

    EndpointResponse handle(const EndpointRequest& request);

private:
    EndpointResponse show(const EndpointRequest& request);
    EndpointResponse decide(const EndpointRequest& request);
    EndpointResponse signInLocally(const PendingAuthorization& pending, const ClientRecord& client,
                                   const EndpointRequest& request, const std::string& browserId);
    // The sign-in page again with 429 and Retry-After: the same whichever limit refused, and
    // whether or not the username exists.
    EndpointResponse tooManyAttempts(const PendingAuthorization& pending, const ClientRecord& client,
                                     const std::string& browserId, const std::string& username,
                                     long long retryAfterSeconds);
    EndpointResponse goUpstream(PendingAuthorization pending);
    // Stores `pending` under a fresh ticket and renders the consent page for it.
    EndpointResponse consentPage(PendingAuthorization pending, const ClientRecord& client, const std::string& browserId,
                                 bool newBrowser, const std::string& errorMessage, const std::string& username,
                                 int status);

    AuthStore& store_;
    ClientLookup& clients_;
    RedirectUriPolicy policy_;
    ScopeResolver scopes_;
    const BrowserBinding& browser_;
    const AuthorizationServerSettings& settings_;
    SignInMethod signIn_;
    ClientRedirect redirect_;
    std::shared_ptr<RateLimit> requestLimiter_;
    std::shared_ptr<RateLimit> signInLimiter_;
    std::shared_ptr<AccountBackoff> accountBackoff_;
};

}  // namespace mcph::auth::server
