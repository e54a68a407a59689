#pragma once
// The reason label of mcp_host_authentication_outcomes_total for one bearer check, read from
// the decision the authenticator made (the auth library stays free of metrics).
#include <string>

#include "mcphost/auth/Authenticator.h"

namespace mcph::http {

inline const char* authOutcomeOf(const auth::AuthDecision& decision) {
    if (decision.context) return "ok";
    switch (decision.httpStatus) {
        case 400:
            return "invalid_request";
        case 403:
            return "insufficient_scope";
        case 503:
            return "unavailable";
        default:
            break;
    }
    // RFC 6750: a request that carried a token names the error; one without a token does not.
    return decision.wwwAuthenticate.find("error=\"invalid_token\"") != std::string::npos
               ? "invalid_token"
               : "missing_token";
}

}  // namespace mcph::http
