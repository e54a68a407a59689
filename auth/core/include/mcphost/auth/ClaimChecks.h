#pragma once
// The registered-claim checks both verifiers share (exp / nbf / iat / aud), kept pure so they
// are tested on their own and behave the same for JWTs and introspection answers.
#include <chrono>
#include <string>

#include <Poco/JSON/Object.h>

#include "mcphost/auth/Clock.h"

namespace mcph::auth {

class ClaimChecks {
public:
    // "" when acceptable, else a short reason. `exp` must be a number after now - leeway (and
    // is required when `requireExp`); `nbf` and `iat`, when present, numbers not after
    // now + leeway.
    static std::string checkTimes(const Poco::JSON::Object& claims, TimePoint now, std::chrono::seconds leeway,
                                  bool requireExp);
    // "" when `aud` (a string or an array of strings) holds `expected` after URL normalisation;
    // an absent `aud` passes only when not `required`.
    static std::string checkAudience(const Poco::JSON::Object& claims, const std::string& expected, bool required);
    // `exp` as a time point, clamped to at most `now + cap` (absent → now + cap).
    static TimePoint expiry(const Poco::JSON::Object& claims, TimePoint now, std::chrono::seconds cap);
};

}  // namespace mcph::auth
