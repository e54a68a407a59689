#pragma once
// Turns a bearer token into the principal it stands for. JWTs (JwtVerifier) and opaque tokens
// (IntrospectionVerifier) both implement it; BearerAuthenticator does not care which.
#include <optional>
#include <string>

#include "mcphost/auth/AuthContext.h"

namespace mcph::auth {

struct VerifyResult {
    std::optional<AuthContext> context;
    std::string error;  // set when context is empty: short, safe to show a client, never the token
    // The token could not be checked at all (keys or introspection endpoint unreachable):
    // not the client's fault, so it should not be told to sign in again.
    bool unavailable = false;

    static VerifyResult ok(AuthContext ctx) {
        VerifyResult r;
        r.context = std::move(ctx);
        return r;
    }
    static VerifyResult fail(std::string error, bool unavailable = false) {
        VerifyResult r;
        r.error = std::move(error);
        r.unavailable = unavailable;
        return r;
    }
};

class TokenVerifier {
public:
    virtual ~TokenVerifier() = default;
    // Thread-safe: called concurrently from request threads.
    virtual VerifyResult verify(const std::string& token) = 0;
};

}  // namespace mcph::auth
