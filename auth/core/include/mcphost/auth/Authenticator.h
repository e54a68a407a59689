#pragma once
// The bearer check in front of the MCP endpoint. One implementation per auth mode; the HTTP
// layer only sees this interface, so adding a provider never touches the transport.
#include <optional>
#include <string>
#include <vector>

#include "mcphost/auth/AuthContext.h"

namespace mcph::auth {

// The outcome of checking one request's credentials.
struct AuthDecision {
    std::optional<AuthContext> context;  // set: let the request through as this principal
    int httpStatus = 401;                // otherwise: 401 (no/bad token), 403 (scope), 400 (ambiguous)
    std::string wwwAuthenticate;         // the challenge header value
    std::string errorDescription;        // safe to show the client; never contains the token

    static AuthDecision allow(AuthContext ctx) {
        AuthDecision d;
        d.context = std::move(ctx);
        d.httpStatus = 200;
        return d;
    }
};

class Authenticator {
public:
    virtual ~Authenticator() = default;
    // `authorizationHeader` is the raw Authorization header value ("" when absent).
    virtual AuthDecision authenticate(const std::string& authorizationHeader) = 0;

    // The 403 step-up answer for a caller who lacks some of `requiredScopes` (all of them are
    // named, so a client that replaces its scope set still asks for everything it needs).
    virtual AuthDecision insufficientScope(const std::vector<std::string>& requiredScopes);

    // The 400 answer for credentials that cannot be read unambiguously (RFC 6750 §3.1
    // invalid_request), e.g. two Authorization headers: the request is refused, never decided
    // on one of them. `description` is shown to the client.
    virtual AuthDecision invalidRequest(const std::string& description);
};

// auth.provider "none": every caller is the anonymous principal.
class AnonymousAuthenticator final : public Authenticator {
public:
    AuthDecision authenticate(const std::string&) override {
        return AuthDecision::allow(AuthContext::anonymous());
    }
};

}  // namespace mcph::auth
