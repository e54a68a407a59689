#pragma once
// What the auth libraries report for operations metrics: sign-ins, consents, token grants,
// refreshes, revocations and key fetches. The host implements it (its metrics); the libraries
// call it where each event happens and so never depend on the host. Every method may be called
// from any thread and must be quick; the defaults do nothing. Values are from small fixed sets,
// never a user, client or token.
#include <string>

namespace mcph::auth {

class AuthEvents {
  public:
    virtual ~AuthEvents() = default;
    // A user signing in at the host's authorization server: "ok", "failed" (wrong password or
    // an upstream that did not sign the user in), "refused" (the access policy), "throttled".
    virtual void signIn(const std::string& /*outcome*/) {}
    // The consent form: "approved" or "denied".
    virtual void consent(const std::string& /*decision*/) {}
    // The token endpoint: grant_type as sent, outcome "issued" or "refused".
    virtual void tokenGrant(const std::string& /*grantType*/, const std::string& /*outcome*/) {}
    // A revocation request answered.
    virtual void revocation() {}
    // A fetch of a key set (JWKS): "ok" or "failed".
    virtual void jwksFetch(const std::string& /*outcome*/) {}
    // How long one operation of the authorization server's store took.
    virtual void storeOperation(double /*seconds*/) {}
};

}  // namespace mcph::auth
