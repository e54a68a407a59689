#pragma once
// Proxy mode's side of the conversation with the upstream identity provider (Auth0, Google,
// GitHub, Okta, Entra, any OAuth 2.0 / OIDC server): the authorization URL the browser is sent
// to, and, at the host's callback, the code exchange with the host's one pre-registered client
// plus establishing who signed in. The upstream tokens stay inside this class: callers get the
// user's identity, never a token.
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "mcphost/auth/AuthEvents.h"
#include "mcphost/auth/ClaimMapping.h"
#include "mcphost/auth/Clock.h"
#include "mcphost/auth/HttpFetcher.h"
#include "mcphost/auth/server/UserFacts.h"

namespace mcph::auth::server {

enum class UpstreamIdentityMethod {
    IdToken,      // the OIDC ID token of the code exchange, checked at the upstream JWKS
    AccessToken,  // the upstream access token is a JWT, checked at the upstream JWKS
    UserInfo,     // GET userInfoUrl with the upstream access token (GitHub /user, Google userinfo)
};

struct UpstreamOptions {
    std::string authEndpoint;
    std::string tokenEndpoint;
    std::string clientId;
    std::string clientSecret;
    bool clientSecretBasic = false;  // client_secret_basic; otherwise client_secret_post
    std::vector<std::string> scopes;
    std::vector<std::pair<std::string, std::string>> extraAuthorizeParams;
    bool pkce = true;
    bool forwardResource = true;
    bool nonce = true;  // only meaningful for IdToken

    UpstreamIdentityMethod identity = UpstreamIdentityMethod::IdToken;
    std::string jwksUrl;  // JWT methods
    std::string issuer;   // JWT methods: exact `iss`
    // AccessToken: what `aud` must hold; "" = clientId. An ID token's `aud` must always hold
    // clientId (OIDC Core §2), so IdToken ignores this.
    std::string audience;
    std::vector<std::string> algorithms{"RS256", "ES256"};
    std::chrono::seconds leeway{60};
    std::string userInfoUrl;
    std::string
        userEmailsUrl;  // GitHub: read when userinfo has no email; the primary verified one wins
    ClaimNames claims;  // where id / email / name are in the token or userinfo JSON
    // Claims copied into UserFacts::claims (string or array-of-strings values) from the verified
    // token or userinfo answer, for a policy on claims the host has no field for.
    std::vector<std::string> factClaims;
    // GitHub organisations and teams, read with the host's upstream access token (needs the
    // read:org scope; UserInfo only). Once asked for, a list that cannot be read fails the
    // sign-in: a policy on membership cannot be decided without it.
    std::string userOrgsUrl;
    std::string userTeamsUrl;
    bool readOrganizations = false;
    bool readTeams = false;
    NowFunction now = systemClock();
    // Hears of each fetch of the upstream's keys (operations metrics); not owned, may be null.
    AuthEvents* events = nullptr;
};

// What one authorization request upstream carries; all values are the host's own (never the
// MCP client's state or PKCE).
struct UpstreamAuthorizationRequest {
    std::string redirectUri;    // the host's /oauth/callback
    std::string state;          // single use, short lived
    std::string codeChallenge;  // S256 of the host's verifier ("" when pkce is off)
    std::string nonce;          // "" when nonce is off
    std::string resource;       // the canonical MCP URL; sent only when forwardResource
};

struct UpstreamIdentity {
    std::string subject;  // stable user id at the upstream (GitHub: the numeric id as text)
    std::string email;    // "" when unknown; only a verified email where the provider says
    std::string name;
    UserFacts facts;  // for the access policy; subject and email as above (email lowercase)
};

// Why sign-in failed. `message` is for the host's log: it never holds a token, code or secret.
struct UpstreamError {
    enum class Kind {
        Unavailable,  // transport error, 5xx, timeout: the user may retry
        Rejected,     // the upstream refused the code (invalid_grant, ...)
        BadIdentity,  // token or userinfo failed verification, or has no subject
    };
    Kind kind = Kind::Rejected;
    std::string message;
};

struct UpstreamSignIn {
    bool ok = false;
    UpstreamIdentity identity;  // when ok
    UpstreamError error;        // when !ok

    static UpstreamSignIn success(UpstreamIdentity identity) {
        UpstreamSignIn r;
        r.ok = true;
        r.identity = std::move(identity);
        return r;
    }
    static UpstreamSignIn failure(UpstreamError::Kind kind, std::string message) {
        UpstreamSignIn r;
        r.error.kind = kind;
        r.error.message = std::move(message);
        return r;
    }
};

struct UpstreamTokenResponse;

class UpstreamClient {
public:
    // Throws std::invalid_argument when a required option for the chosen method is missing or
    // malformed: endpoints that are not absolute http(s) URLs, no client id or secret, a scope
    // that is not a scope token, IdToken without the "openid" scope, or an extra authorize
    // parameter naming one the host sets (including request, request_uri and response_mode),
    // an empty factClaims name, or organisations / teams asked for without their URL or with a
    // method other than UserInfo.
    UpstreamClient(std::shared_ptr<HttpFetcher> fetcher, UpstreamOptions options);
    ~UpstreamClient();

    // The URL to redirect the browser to: authEndpoint with response_type=code, client_id,
    // redirect_uri, scope, state, code_challenge(+method S256), nonce, resource and the extra
    // parameters (extra parameters never override the ones above). Throws std::invalid_argument
    // when the request lacks redirect_uri, state, or the challenge / nonce the options call for.
    std::string authorizationUrl(const UpstreamAuthorizationRequest& request) const;

    // Exchanges `code` at the token endpoint (with the client secret, the host's PKCE verifier
    // and the same redirect_uri), then establishes the identity by the configured method.
    // `expectedNonce` is the nonce sent in authorizationUrl ("" when none was sent; with IdToken
    // and `nonce` on, "" fails closed). Thread-safe: callbacks run on concurrent request threads.
    UpstreamSignIn completeSignIn(const std::string& code, const std::string& codeVerifier,
                                  const std::string& redirectUri, const std::string& expectedNonce);

    const UpstreamOptions& options() const { return options_; }

private:
    bool sendsNonce() const;
    UpstreamSignIn identify(const UpstreamTokenResponse& tokens, const std::string& expectedNonce);

    struct Impl;
    std::shared_ptr<HttpFetcher> fetcher_;
    UpstreamOptions options_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mcph::auth::server
