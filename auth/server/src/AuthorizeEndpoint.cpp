#include "mcphost/auth/server/AuthorizeEndpoint.h"

#include <Poco/Logger.h>

#include <algorithm>

#include "mcphost/auth/ResourceUrl.h"
#include "mcphost/auth/server/AuthorizationPages.h"
#include "mcphost/auth/server/CallbackEndpoint.h"
#include "mcphost/auth/server/Pkce.h"
#include "mcphost/auth/server/Secrets.h"

namespace mcph::auth::server {

namespace {

constexpr const char* kAuthorizePath = "/authorize";

Poco::Logger& logger() { return Poco::Logger::get("mcp-host.auth"); }

EndpointResponse badRequestPage(const std::string& message) {
    return AuthorizationPages::error(400, "This sign-in request cannot be used", message);
}

EndpointResponse expiredPage() {
    return badRequestPage("This sign-in request has expired or was already used. Start again from your application.");
}

bool startsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// "1 second", "40 seconds", "a minute", "15 minutes" (rounded up).
std::string waitPhrase(long long seconds) {
    if (seconds < 60) return std::to_string(seconds) + (seconds == 1 ? " second" : " seconds");
    const long long minutes = (seconds + 59) / 60;
    return minutes == 1 ? "a minute" : std::to_string(minutes) + " minutes";
}

}  // namespace

AuthorizeEndpoint::AuthorizeEndpoint(AuthStore& store, ClientLookup& clients,
                                     RedirectUriPolicy policy, ScopeResolver scopes,
                                     const BrowserBinding& browser,
                                     const AuthorizationServerSettings& settings,
                                     SignInMethod signIn, AuthorizeEndpointOptions options)
    : store_(store),
      clients_(clients),
      policy_(std::move(policy)),
      scopes_(std::move(scopes)),
      browser_(browser),
      settings_(settings),
      signIn_(signIn),
      redirect_(store, settings),
      requestLimiter_(options.requestLimiter ? options.requestLimiter
                                             : std::make_shared<RateLimiter>(options.requestLimit)),
      signInLimiter_(options.signInLimiter ? options.signInLimiter
                                           : std::make_shared<RateLimiter>(options.signInLimit)),
      accountBackoff_(options.backoff ? options.backoff
                                      : std::make_shared<SignInBackoff>(options.accountBackoff)) {
    if ((signIn_.upstream == nullptr) == !signIn_.local ||
        (signIn_.local && (signIn_.access == nullptr || !signIn_.access->localUsers()))) {
        throw std::invalid_argument("AuthorizeEndpoint needs exactly one sign-in method");
    }
}

EndpointResponse AuthorizeEndpoint::handle(const EndpointRequest& request) {
    if (request.method == "GET") return show(request);
    if (request.method == "POST") return decide(request);
    EndpointResponse r = AuthorizationPages::error(405, "Method not allowed", "Use GET or POST.");
    r.headers.emplace_back("Allow", "GET, POST");
    return r;
}

EndpointResponse AuthorizeEndpoint::show(const EndpointRequest& request) {
    if (!requestLimiter_->allow(request.clientAddress)) {
        EndpointResponse r = AuthorizationPages::error(429, "Too many requests", "Wait a minute and try again.");
        r.headers.emplace_back(
            "Retry-After",
            std::to_string(requestLimiter_->retryAfterSeconds(request.clientAddress)));
        return r;
    }
    if (!request.repeatedParams.empty()) {
        return badRequestPage("The parameter \"" + request.repeatedParams.front() + "\" was sent more than once.");
    }
    // 1. Client and redirect URI: until both are known good, errors are pages, never redirects.
    const std::string clientId = request.param("client_id");
    if (clientId.empty()) return badRequestPage("The request names no client (client_id is missing).");
    auto client = clients_.find(clientId);
    if (!client) return badRequestPage("The application is not registered here (unknown client_id). Reconnect it from the application.");
    std::string redirectUri = request.param("redirect_uri");
    if (redirectUri.empty()) {
        if (client->redirectUris.size() != 1) return badRequestPage("The request names no redirect_uri.");
        redirectUri = client->redirectUris.front();
    } else if (!policy_.matchesAny(client->redirectUris, redirectUri)) {
        return badRequestPage("The redirect_uri is not one this application registered.");
    }
    const std::string clientState = request.param("state");
    // 2. The rest of the request. No automatic redirect before the user has acted (RFC 9700
    // §4.11.2): with open registration anyone can register any redirect URI, so bouncing a
    // malformed request there would make this server an open redirector. The page names the
    // application and where it asked to go back; after consent, errors go back by redirect.
    auto fail = [&](const std::string& error, const std::string& description) {
        const std::string name = client->name.empty() ? client->clientId : client->name;
        return badRequestPage("The application \"" + name + "\" sent a sign-in request this server cannot accept (" +
                              error + ": " + description + "). Nothing was sent back to " + redirectUri +
                              ". Try connecting again from the application.");
    };

    const std::string responseType = request.param("response_type");
    if (responseType.empty()) return fail("invalid_request", "response_type is required");
    if (responseType != "code") return fail("unsupported_response_type", "only response_type=code is supported");
    const std::string challenge = request.param("code_challenge");
    if (challenge.empty()) return fail("invalid_request", "PKCE is required: send code_challenge with code_challenge_method=S256");
    if (!Pkce::isSupportedMethod(request.param("code_challenge_method"))) {
        return fail("invalid_request", "code_challenge_method must be S256");
    }
    if (!Pkce::isValidChallenge(challenge)) return fail("invalid_request", "code_challenge is not a valid S256 challenge");
    if (request.has("resource") && !ResourceUrl::audienceMatches(request.param("resource"), settings_.resource)) {
        return fail("invalid_target", "this server issues tokens only for " + settings_.resource);
    }
    if (request.param("prompt") == "none") return fail("consent_required", "this server always asks the user");
    if (clientState.size() > 2048) return fail("invalid_request", "state is too long");

    PendingAuthorization pending;
    pending.clientId = client->clientId;
    pending.clientState = clientState;
    pending.redirectUri = redirectUri;
    pending.codeChallenge = challenge;
    pending.resource = settings_.resource;
    pending.scopes = scopes_.resolve(request.param("scope")).granted;
    const BrowserBinding::Browser browser = browser_.identify(request);
    return consentPage(std::move(pending), *client, browser.id, browser.isNew, "", "", 200);
}

EndpointResponse AuthorizeEndpoint::consentPage(PendingAuthorization pending, const ClientRecord& client,
                                                const std::string& browserId, bool newBrowser,
                                                const std::string& errorMessage, const std::string& username,
                                                int status) {
    pending.state = kTicketPrefix + Secrets::randomToken(32);
    pending.browserNonce = BrowserBinding::fingerprint(browserId);
    pending.upstreamVerifier.clear();
    pending.expiresAt = settings_.now() + settings_.loginTimeout;
    store_.putPending(pending);

    ConsentView view;
    view.serviceName = settings_.serviceName;
    view.clientName = client.name;
    view.clientId = client.clientId;
    // Registered ids are random tokens; only metadata-document ids are https URLs.
    if (client.clientId.rfind("https://", 0) == 0 || client.clientId.rfind("http://", 0) == 0) {
        if (auto parts = ResourceUrl::split(client.clientId)) view.clientIdHost = parts->authority;
    }
    view.redirectUri = pending.redirectUri;
    view.scopes = pending.scopes;
    view.formAction = settings_.basePath + kAuthorizePath;
    view.ticket = pending.state;
    view.csrfToken = browser_.csrfToken(browserId, pending.state);
    view.askCredentials = signIn_.local;
    view.username = username;
    view.errorMessage = errorMessage;
    EndpointResponse r = AuthorizationPages::consent(view, status);
    if (newBrowser) r.headers.emplace_back("Set-Cookie", browser_.setCookieHeader(browserId));
    return r;
}

EndpointResponse AuthorizeEndpoint::decide(const EndpointRequest& request) {
    if (request.contentType != "application/x-www-form-urlencoded") {
        return AuthorizationPages::error(415, "Unsupported request", "The consent form must be posted as a form.");
    }
    // The CSRF token is the defence; a foreign Origin is refused outright as well. "null" is what
    // browsers send for a form on a no-referrer page, so it is not evidence of another site.
    if (!request.origin.empty() && request.origin != "null" && request.origin != settings_.origin) {
        return AuthorizationPages::error(403, "Request refused", "The consent form was posted from another site.");
    }
    if (!request.repeatedParams.empty()) return badRequestPage("A form field was sent more than once.");
    const auto browserId = browser_.existing(request);
    if (!browserId) {
        return AuthorizationPages::error(403, "Cookies are needed",
                                         "Your browser did not send the sign-in cookie. Allow cookies for this site and start again.");
    }
    const std::string ticket = request.param("ticket");
    if (!startsWith(ticket, kTicketPrefix) || !browser_.csrfValid(*browserId, ticket, request.param("csrf_token"))) {
        return AuthorizationPages::error(403, "Request refused", "The consent form could not be verified. Start again from your application.");
    }
    auto pending = store_.takePending(ticket, settings_.now());
    if (!pending) return expiredPage();
    if (!Secrets::constantTimeEquals(pending->browserNonce, BrowserBinding::fingerprint(*browserId))) {
        return AuthorizationPages::error(403, "Request refused", "This sign-in was started in another browser.");
    }
    auto client = clients_.find(pending->clientId);
    if (!client) return badRequestPage("The application is no longer registered here. Reconnect it from the application.");

    const std::string decision = request.param("decision");
    if (decision == "deny") {
        logger().information("authorize: user denied client %s", client->clientId);
        return redirect_.withError(pending->redirectUri, pending->clientState, "access_denied", "the user denied access");
    }
    if (decision != "approve") return badRequestPage("The form did not say approve or deny.");
    if (signIn_.local) return signInLocally(*pending, *client, request, *browserId);
    return goUpstream(std::move(*pending));
}

EndpointResponse AuthorizeEndpoint::signInLocally(const PendingAuthorization& pending, const ClientRecord& client,
                                                  const EndpointRequest& request, const std::string& browserId) {
    const std::string username = request.param("username");
    if (!signInLimiter_->allow(request.clientAddress)) {
        return tooManyAttempts(pending, client, browserId, username,
                               signInLimiter_->retryAfterSeconds(request.clientAddress));
    }
    // Checked before the password: while an account waits, no guess at it is even looked at.
    if (const long long wait = accountBackoff_->tryAttempt(username)) {
        logger().notice("authorize: local sign-in from %s refused, the account is backing off", request.clientAddress);
        return tooManyAttempts(pending, client, browserId, username, wait);
    }
    auto user = signIn_.access->localUsers()->authenticate(username, request.param("password"));
    if (!user) {
        logger().notice("authorize: failed local sign-in from %s", request.clientAddress);
        return consentPage(pending, client, browserId, false, "Wrong username or password.", username, 401);
    }
    accountBackoff_->succeeded(username);
    // The users file (the user's own `scopes`) and the access policy decide together.
    UserFacts facts;
    facts.subject = user->username;
    facts.email = user->email;
    const AccessDecision access = signIn_.access->admit(facts);
    if (!access.admitted) {
        logger().notice("authorize: local user %s is not admitted by the access policy", user->username);
        return AuthorizationPages::error(403, "Access not granted",
                                         "The account " + user->username + " may not use " + settings_.serviceName +
                                             ". Ask its operator for access.");
    }
    logger().information("authorize: local user %s approved client %s", user->username, client.clientId);
    return redirect_.withCode(pending, SignedInUser{user->username, user->email, user->name, facts},
                              scopesWithin(pending.scopes, access.scopes));
}

EndpointResponse AuthorizeEndpoint::tooManyAttempts(const PendingAuthorization& pending, const ClientRecord& client,
                                                    const std::string& browserId, const std::string& username,
                                                    long long retryAfterSeconds) {
    retryAfterSeconds = std::max(1LL, retryAfterSeconds);
    EndpointResponse r = consentPage(pending, client, browserId, false,
                                     "Too many sign-in attempts. Wait " + waitPhrase(retryAfterSeconds) + " and try again.",
                                     username, 429);
    r.headers.emplace_back("Retry-After", std::to_string(retryAfterSeconds));
    return r;
}

EndpointResponse AuthorizeEndpoint::goUpstream(PendingAuthorization pending) {
    pending.state = kUpstreamStatePrefix + Secrets::randomToken(32);
    pending.upstreamVerifier = Pkce::generateVerifier();
    pending.expiresAt = settings_.now() + settings_.loginTimeout;
    store_.putPending(pending);

    const UpstreamOptions& o = signIn_.upstream->options();
    UpstreamAuthorizationRequest up;
    up.redirectUri = settings_.callbackUrl;
    up.state = pending.state;
    if (o.pkce) up.codeChallenge = Pkce::challengeS256(pending.upstreamVerifier);
    if (o.nonce && o.identity == UpstreamIdentityMethod::IdToken) up.nonce = CallbackEndpoint::nonceFor(pending.upstreamVerifier);
    up.resource = pending.resource;

    EndpointResponse r;
    r.status = 302;
    r.contentType = "text/plain";
    r.headers = {{"Location", signIn_.upstream->authorizationUrl(up)}, {"Cache-Control", "no-store"},
                 {"Referrer-Policy", "no-referrer"}};
    return r;
}

}  // namespace mcph::auth::server
