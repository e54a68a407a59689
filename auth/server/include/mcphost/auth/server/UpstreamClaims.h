#pragma once
// The upstream user's identity from claims we already trust (a verified JWT's payload or the
// userinfo answer to our own access token). Pure, so the rules are tested without a server.
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

#include "mcphost/auth/ClaimMapping.h"
#include "mcphost/auth/server/UpstreamClient.h"

namespace mcph::auth::server {

class UpstreamClaims {
public:
    // The subject (names.userId): a non-empty string or an integer (GitHub's numeric `id`,
    // as decimal text); email only when `email_verified` is not false; name, else the
    // fallback name. Nullopt, with `why` set, when there is no usable subject.
    static std::optional<UpstreamIdentity> identity(const Poco::JSON::Object& claims,
                                                    const ClaimNames& names, std::string& why);

    // The subject alone, by the same rules.
    static std::optional<std::string> subject(const Poco::JSON::Object& claims,
                                              const std::string& name);

    // True only when the claim `flagName` (usually `email_verified`) is JSON true or the string
    // "true" (Cognito); false when it is absent, false, unreadable, or `flagName` is "".
    static bool emailVerified(const Poco::JSON::Object& claims, const std::string& flagName);
};

}  // namespace mcph::auth::server
