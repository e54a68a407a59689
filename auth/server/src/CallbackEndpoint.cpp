#include "mcphost/auth/server/CallbackEndpoint.h"

#include <Poco/Logger.h>

#include "mcphost/auth/Base64Url.h"
#include "mcphost/auth/server/AuthorizationPages.h"
#include "mcphost/auth/server/AuthorizeEndpoint.h"
#include "mcphost/auth/server/Secrets.h"

namespace mcph::auth::server {

namespace {

Poco::Logger& logger() { return Poco::Logger::get("mcp-host.auth"); }

}  // namespace

CallbackEndpoint::CallbackEndpoint(AuthStore& store, UpstreamClient& upstream, const AccessGate& access,
                                   const BrowserBinding& browser, const AuthorizationServerSettings& settings)
    : store_(store),
      upstream_(upstream),
      access_(access),
      browser_(browser),
      settings_(settings),
      redirect_(store, settings) {}

std::string CallbackEndpoint::nonceFor(const std::string& upstreamVerifier) {
    return Base64Url::encode(Secrets::sha256("oidc-nonce:" + upstreamVerifier));
}

EndpointResponse CallbackEndpoint::handle(const EndpointRequest& request) {
    if (request.method != "GET") {
        EndpointResponse r = AuthorizationPages::error(405, "Method not allowed", "Use GET.");
        r.headers.emplace_back("Allow", "GET");
        return r;
    }
    if (!request.repeatedParams.empty()) {
        return AuthorizationPages::error(400, "Sign-in failed", "The identity provider's answer repeated a parameter.");
    }
    const std::string state = request.param("state");
    if (state.rfind(AuthorizeEndpoint::kUpstreamStatePrefix, 0) != 0) {
        return AuthorizationPages::error(400, "Sign-in failed", "The identity provider's answer carries no valid state.");
    }
    // Taken before anything else is checked: a state is good for one try, whatever its outcome.
    auto pending = store_.takePending(state, settings_.now());
    if (!pending) {
        return AuthorizationPages::error(400, "Sign-in failed",
                                         "This sign-in has expired or was already completed. Start again from your application.");
    }
    const auto browserId = browser_.existing(request);
    if (!browserId || !Secrets::constantTimeEquals(pending->browserNonce, BrowserBinding::fingerprint(*browserId))) {
        logger().warning("callback: state presented by a browser that did not give consent (client %s)", pending->clientId);
        return AuthorizationPages::error(403, "Sign-in refused",
                                         "This sign-in was approved in another browser. Start again from your application.");
    }
    const UpstreamOptions& o = upstream_.options();
    // RFC 9207: an upstream that names itself must be the one we sent the user to.
    if (request.has("iss") && !o.issuer.empty() && request.param("iss") != o.issuer) {
        logger().warning("callback: answer from an unexpected issuer (client %s)", pending->clientId);
        return redirect_.withError(pending->redirectUri, pending->clientState, "access_denied",
                                   "the identity provider's answer came from an unexpected issuer");
    }
    if (request.has("error")) {
        const std::string upstreamError = request.param("error");
        logger().information("callback: upstream refused the sign-in (%s) for client %s",
                             upstreamError.substr(0, 64), pending->clientId);
        const bool transient = upstreamError == "temporarily_unavailable" || upstreamError == "server_error";
        return redirect_.withError(pending->redirectUri, pending->clientState,
                                   transient ? "temporarily_unavailable" : "access_denied",
                                   "the identity provider did not sign the user in");
    }
    const std::string code = request.param("code");
    if (code.empty()) {
        return redirect_.withError(pending->redirectUri, pending->clientState, "access_denied",
                                   "the identity provider returned no code");
    }
    const std::string nonce = o.nonce && o.identity == UpstreamIdentityMethod::IdToken ? nonceFor(pending->upstreamVerifier) : "";
    UpstreamSignIn signIn = upstream_.completeSignIn(code, pending->upstreamVerifier, settings_.callbackUrl, nonce);
    if (!signIn.ok) {
        logger().warning("callback: upstream sign-in failed for client %s: %s", pending->clientId, signIn.error.message);
        const bool transient = signIn.error.kind == UpstreamError::Kind::Unavailable;
        return redirect_.withError(pending->redirectUri, pending->clientState,
                                   transient ? "temporarily_unavailable" : "access_denied",
                                   transient ? "the identity provider could not be reached" : "the sign-in could not be verified");
    }
    const UpstreamIdentity& id = signIn.identity;
    UserFacts facts = id.facts;
    facts.subject = id.subject;
    // The operator's access policy decides before any code exists. A refusal is a page, not a
    // redirect: the user must see why, and the client learns nothing it could retry with.
    const AccessDecision access = access_.admit(facts);
    if (!access.admitted) {
        logger().notice("callback: user %s is not admitted by the access policy (client %s)", id.subject,
                        pending->clientId);
        return AuthorizationPages::error(
            403, "Access not granted",
            "You signed in as " + (id.email.empty() ? id.subject : id.email) + ", but that account may not use " +
                settings_.serviceName + ". Ask its operator for access, or sign in with another account.");
    }
    logger().information("callback: user %s signed in for client %s (rule %s)", id.subject, pending->clientId,
                         access.rule.empty() ? std::string("none") : access.rule);
    return redirect_.withCode(*pending, SignedInUser{id.subject, id.email, id.name, facts},
                              scopesWithin(pending->scopes, access.scopes));
}

}  // namespace mcph::auth::server
