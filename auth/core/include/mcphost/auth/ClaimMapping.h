#pragma once
// Verified claims → AuthContext. Pure: the same mapping serves JWT payloads and introspection
// answers, and is testable without any token.
#include <string>

#include <Poco/JSON/Object.h>

#include "mcphost/auth/TokenVerifier.h"

namespace mcph::auth {

// Which claim carries what. Defaults follow RFC 9068 / RFC 7662 / OIDC; providers that differ
// (e.g. `oid` for the user id) override single names.
struct ClaimNames {
    std::string userId = "sub";
    std::string email = "email";
    std::string name = "name";
    std::string nameFallback = "preferred_username";
    std::string picture = "picture";
    std::string scope = "scope";       // space-separated string
    std::string scopeArray = "scp";    // array of strings, or a space-separated string
    std::string clientId = "client_id";
    std::string clientIdFallback = "azp";
    // Proxy mode's upstream identity: the claim that must be true for `email` to be trusted
    // ("" = never from claims: the provider has a source of its own, e.g. GitHub's emails list).
    std::string emailVerified = "email_verified";
};

class ClaimMapping {
public:
    explicit ClaimMapping(ClaimNames names = {}) : names_(std::move(names)) {}

    // Fails when the user id claim is missing or not a non-empty string. `issuer` is the
    // already-checked issuer (claims may lack `iss`, as introspection answers may).
    VerifyResult map(const Poco::JSON::Object& claims, const std::string& issuer) const;

    const ClaimNames& names() const { return names_; }

private:
    ClaimNames names_;
};

}  // namespace mcph::auth
