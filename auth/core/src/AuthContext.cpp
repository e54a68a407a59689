#include "mcphost/auth/AuthContext.h"

#include <algorithm>

namespace mcph::auth {

AuthContext AuthContext::anonymous() {
    AuthContext ctx;
    ctx.userId = "anonymous";
    return ctx;
}

bool AuthContext::hasScope(const std::string& scope) const {
    return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

std::vector<std::string> AuthContext::missingScopes(const std::vector<std::string>& required) const {
    std::vector<std::string> missing;
    for (const auto& scope : required) {
        if (!hasScope(scope)) missing.push_back(scope);
    }
    return missing;
}

std::string AuthContext::principalKey() const {
    // '\n' cannot appear in an issuer URL or a JWT `sub` we accept, so the pair is unambiguous.
    return authenticated ? issuer + "\n" + userId : std::string("anonymous");
}

}  // namespace mcph::auth
