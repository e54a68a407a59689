#pragma once
// Who is calling: the identity a verified token (or the anonymous policy) stands for. Plugins
// get a C view of this; they never see the token itself.
#include <string>
#include <vector>

namespace mcph::auth {

struct AuthContext {
    bool authenticated = false;
    std::string userId;   // `sub`, unique within issuer
    std::string issuer;
    std::string email;
    std::string name;
    std::string clientId;
    std::vector<std::string> scopes;
    std::string picture;     // URL of the user's picture; "" when unknown
    std::string claimsJson;  // the verified claims as a JSON object; "" when there are none

    // The context handed to tools when auth.provider is "none".
    static AuthContext anonymous();

    bool hasScope(const std::string& scope) const;
    // Scopes from `required` that this context lacks, in the order given.
    std::vector<std::string> missingScopes(const std::vector<std::string>& required) const;
    // A stable key for binding state (sessions, per-user data) to this principal.
    std::string principalKey() const;
};

}  // namespace mcph::auth
