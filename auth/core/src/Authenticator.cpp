#include "mcphost/auth/Authenticator.h"

namespace mcph::auth {

AuthDecision Authenticator::insufficientScope(const std::vector<std::string>& requiredScopes) {
    std::string scopes;
    for (const auto& s : requiredScopes) scopes += (scopes.empty() ? "" : " ") + s;
    AuthDecision d;
    d.httpStatus = 403;
    d.wwwAuthenticate = "Bearer error=\"insufficient_scope\", scope=\"" + scopes + "\"";
    d.errorDescription = "Forbidden: this tool requires the scopes: " + scopes;
    return d;
}

AuthDecision Authenticator::invalidRequest(const std::string& description) {
    AuthDecision d;
    d.httpStatus = 400;
    d.errorDescription = "Bad Request: " + description;
    return d;
}

}  // namespace mcph::auth
