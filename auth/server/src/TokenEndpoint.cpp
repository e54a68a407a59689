#include "mcphost/auth/server/TokenEndpoint.h"

#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>

#include <algorithm>
#include <sstream>

#include "mcphost/auth/ResourceUrl.h"
#include "mcphost/auth/server/ClientAuthentication.h"
#include "mcphost/auth/server/GrantCheckingVerifier.h"
#include "mcphost/auth/server/Pkce.h"
#include "mcphost/auth/server/ScopeResolver.h"

namespace mcph::auth::server {

namespace {

Poco::Logger& logger() { return Poco::Logger::get("mcp-host.auth"); }

constexpr const char* kFormType = "application/x-www-form-urlencoded";

std::optional<EndpointResponse> checkForm(const EndpointRequest& request) {
    if (request.method != "POST") {
        EndpointResponse r = oauthError(405, "invalid_request", "use POST");
        r.headers.emplace_back("Allow", "POST");
        return r;
    }
    if (request.contentType != kFormType) {
        return oauthError(400, "invalid_request", "the body must be application/x-www-form-urlencoded");
    }
    if (!request.repeatedParams.empty()) {
        return oauthError(400, "invalid_request", "parameter sent more than once: " + request.repeatedParams.front());
    }
    return std::nullopt;
}

std::vector<std::string> splitScopes(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string s; in >> s;) {
        if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    }
    return out;
}

}  // namespace

// Far above what real clients send: a code or two redeemed at sign-in and a refresh about once an
// hour per client. The burst lets a room of clients behind one NAT sign in together; only a loop
// or a guesser keeps going past it.
RateLimiterOptions TokenEndpoint::requestLimit(const AuthorizationServerSettings& settings) {
    RateLimiterOptions o;
    o.burst = 120;
    o.perWindow = 60;
    o.window = std::chrono::seconds(60);
    o.now = settings.now;
    return o;
}

TokenEndpoint::TokenEndpoint(AuthStore& store, ClientLookup& clients, const TokenIssuer& issuer,
                             const AuthorizationServerSettings& settings, const AccessGate& access,
                             std::function<void()> onGrantRevoked,
                             std::shared_ptr<RateLimit> limiter)
    : store_(store),
      clients_(clients),
      issuer_(issuer),
      access_(access),
      settings_(settings),
      onGrantRevoked_(std::move(onGrantRevoked)),
      limiter_(limiter ? std::move(limiter)
                       : std::make_shared<RateLimiter>(requestLimit(settings))) {}

EndpointResponse TokenEndpoint::handle(const EndpointRequest& request) {
    if (!limiter_->allow(request.clientAddress)) {
        // RFC 6749 has no code for this at /token. temporarily_unavailable (registered, §4.1.2.1:
        // "try again later") is none of the codes on which clients throw away their tokens
        // (invalid_grant) or their registration (invalid_client), so a throttled client keeps
        // both and retries after Retry-After.
        EndpointResponse r = oauthError(429, "temporarily_unavailable", "too many token requests, retry later");
        r.headers.emplace_back("Retry-After",
                               std::to_string(limiter_->retryAfterSeconds(request.clientAddress)));
        return r;
    }
    if (auto refusal = checkForm(request)) return *refusal;
    ClientAuthResult auth = ClientAuthentication::authenticate(request, clients_);
    if (!auth.client) return *auth.refusal;
    if (request.has("resource") && !ResourceUrl::audienceMatches(request.param("resource"), settings_.resource)) {
        return oauthError(400, "invalid_target", "this server issues tokens only for " + settings_.resource);
    }
    const std::string grantType = request.param("grant_type");
    if (grantType == "authorization_code") return authorizationCode(request, *auth.client);
    if (grantType == "refresh_token") return refreshToken(request, *auth.client);
    if (grantType.empty()) return oauthError(400, "invalid_request", "grant_type is required");
    return oauthError(400, "unsupported_grant_type", "supported: authorization_code, refresh_token");
}

EndpointResponse TokenEndpoint::authorizationCode(const EndpointRequest& request, const ClientRecord& client) {
    const std::string code = request.param("code");
    const std::string verifier = request.param("code_verifier");
    const std::string redirectUri = request.param("redirect_uri");
    if (code.empty()) return oauthError(400, "invalid_request", "code is required");
    if (verifier.empty()) return oauthError(400, "invalid_request", "code_verifier is required (PKCE)");
    if (redirectUri.empty()) return oauthError(400, "invalid_request", "redirect_uri is required");

    ConsumeCodeResult consumed = store_.consumeCode(code, settings_.now());
    if (consumed.replayed) {
        logger().warning("token: authorization code replayed by client %s; its tokens are revoked", client.clientId);
        if (onGrantRevoked_) onGrantRevoked_();
        return oauthError(400, "invalid_grant", "the authorization code was already used");
    }
    if (!consumed.code) return oauthError(400, "invalid_grant", "the authorization code is invalid or expired");
    const AuthorizationCode& c = *consumed.code;
    if (c.grant.clientId != client.clientId) {
        logger().warning("token: client %s presented a code issued to another client", client.clientId);
        return oauthError(400, "invalid_grant", "the authorization code was issued to another client");
    }
    if (c.redirectUri != redirectUri) return oauthError(400, "invalid_grant", "redirect_uri differs from the authorization request");
    if (!Pkce::verify(verifier, c.codeChallenge)) return oauthError(400, "invalid_grant", "code_verifier does not match the code_challenge");

    RefreshIssue refresh = store_.createRefreshFamily(c.grant, code, settings_.now());
    store_.markClientUsed(client.clientId, settings_.now());
    return tokens(c.grant, c.grant.scopes, refresh);
}

EndpointResponse TokenEndpoint::refreshToken(const EndpointRequest& request, const ClientRecord& client) {
    const std::string token = request.param("refresh_token");
    if (token.empty()) return oauthError(400, "invalid_request", "refresh_token is required");
    RotateResult rotated = store_.rotateRefreshToken(token, client.clientId, settings_.now());
    if (rotated.status == RotateStatus::ReuseDetected) {
        logger().warning("token: an old refresh token of client %s was replayed; the family is revoked", client.clientId);
        if (onGrantRevoked_) onGrantRevoked_();
    }
    if (!rotated.issued) return oauthError(400, "invalid_grant", "the refresh token is invalid, expired or revoked");
    Grant& grant = rotated.issued->grant;
    // The user is re-checked against the access policy and users file as they are now: one no
    // longer admitted gets nothing (the grant ends), one whose scopes shrank keeps the rest.
    const auto keep = access_.review(grant);
    if (!keep) {
        store_.endGrant(rotated.issued->familyId);
        logger().notice("token: user %s of client %s is no longer admitted; the grant ends", grant.subject,
                        client.clientId);
        if (onGrantRevoked_) onGrantRevoked_();
        return oauthError(400, "invalid_grant", "the user is no longer allowed to use this server");
    }
    if (keep->size() < grant.scopes.size()) {
        store_.narrowGrant(rotated.issued->familyId, *keep);
        logger().information("token: the grant of user %s for client %s is narrowed to [%s]", grant.subject,
                             client.clientId, ScopeResolver::join(*keep));
        grant.scopes = *keep;
        if (onGrantRevoked_) onGrantRevoked_();
    }
    std::vector<std::string> scopes = grant.scopes;
    if (request.has("scope")) {
        // RFC 6749 §6: a narrower scope is allowed, never a wider one. Scopes outside the grant
        // are dropped rather than refused: the rotation already happened, and an error here
        // would strand the client without its new refresh token. The family keeps its grant.
        std::vector<std::string> narrowed;
        for (const auto& s : splitScopes(request.param("scope"))) {
            if (std::find(grant.scopes.begin(), grant.scopes.end(), s) != grant.scopes.end()) narrowed.push_back(s);
        }
        if (!narrowed.empty()) scopes = narrowed;
    }
    return tokens(grant, scopes, *rotated.issued);
}

EndpointResponse TokenEndpoint::tokens(const Grant& grant, const std::vector<std::string>& scopes,
                                       const RefreshIssue& refresh) {
    AccessTokenClaims claims;
    claims.subject = grant.subject;
    claims.email = grant.email;
    claims.name = grant.name;
    claims.clientId = grant.clientId;
    claims.scopes = scopes;
    claims.grantId = refresh.familyId;
    IssuedAccessToken access = issuer_.issue(claims);

    Poco::JSON::Object body;
    body.set("access_token", access.token);
    body.set("token_type", "Bearer");
    body.set("expires_in", access.expiresIn);
    body.set("refresh_token", refresh.token);
    // Omitted rather than "": a client splitting "" on spaces would read one empty scope.
    if (!scopes.empty()) body.set("scope", ScopeResolver::join(scopes));
    std::ostringstream out;
    body.stringify(out);
    EndpointResponse r;
    r.status = 200;
    r.body = out.str();
    r.headers = {{"Cache-Control", "no-store"}, {"Pragma", "no-cache"}};
    return r;
}

EndpointResponse RevocationEndpoint::handle(const EndpointRequest& request) {
    if (auto refusal = checkForm(request)) return *refusal;
    ClientAuthResult auth = ClientAuthentication::authenticate(request, clients_);
    if (!auth.client) return *auth.refusal;
    const std::string token = request.param("token");
    if (token.empty()) return oauthError(400, "invalid_request", "token is required");
    if (store_.revokeRefreshToken(token, auth.client->clientId)) {
        logger().information("revoke: client %s revoked a refresh token family", auth.client->clientId);
        if (onGrantRevoked_) onGrantRevoked_();
    } else if (accessTokens_) {
        // An access token of ours, issued to this client: its whole grant ends.
        VerifyResult checked = accessTokens_->verify(token);
        const std::string grantId = GrantCheckingVerifier::grantIdOf(token);
        if (checked.context && checked.context->clientId == auth.client->clientId && !grantId.empty() &&
            store_.revokeGrant(grantId, auth.client->clientId)) {
            logger().information("revoke: client %s revoked an access token and its grant", auth.client->clientId);
            if (onGrantRevoked_) onGrantRevoked_();
        }
    }
    EndpointResponse r;
    r.status = 200;
    r.body = "{}";
    r.headers = {{"Cache-Control", "no-store"}, {"Pragma", "no-cache"}};
    return r;
}

}  // namespace mcph::auth::server
