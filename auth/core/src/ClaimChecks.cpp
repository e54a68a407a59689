#include "mcphost/auth/ClaimChecks.h"

#include "mcphost/auth/JsonFields.h"
#include "mcphost/auth/ResourceUrl.h"

namespace mcph::auth {

std::string ClaimChecks::checkTimes(const Poco::JSON::Object& claims, TimePoint now,
                                    std::chrono::seconds leeway, bool requireExp) {
    const double t = toEpochSeconds(now);
    const double slack = static_cast<double>(leeway.count());
    if (JsonFields::has(claims, "exp")) {
        const auto exp = JsonFields::number(claims, "exp");
        if (!exp) return "token expiry (exp) is malformed";
        if (t >= *exp + slack) return "token expired";
    } else if (requireExp) {
        return "token has no expiry (exp)";
    }
    if (JsonFields::has(claims, "nbf")) {
        const auto nbf = JsonFields::number(claims, "nbf");
        if (!nbf) return "token not-before (nbf) is malformed";
        if (*nbf > t + slack) return "token not yet valid (nbf)";
    }
    if (JsonFields::has(claims, "iat")) {
        const auto iat = JsonFields::number(claims, "iat");
        if (!iat) return "token issued-at (iat) is malformed";
        if (*iat > t + slack) return "token issued in the future (iat)";
    }
    return {};
}

std::string ClaimChecks::checkAudience(const Poco::JSON::Object& claims,
                                       const std::string& expected, bool required) {
    if (!JsonFields::has(claims, "aud")) return required ? "token has no audience (aud)" : "";
    const auto audiences = JsonFields::stringOrArray(claims, "aud");
    if (!audiences) return "token audience (aud) is malformed";
    const std::string want = ResourceUrl::normalizeForAudience(expected);
    for (const auto& aud : *audiences) {
        if (ResourceUrl::normalizeForAudience(aud) == want) return {};
    }
    return "token was not issued for this resource (aud)";
}

TimePoint ClaimChecks::expiry(const Poco::JSON::Object& claims, TimePoint now,
                              std::chrono::seconds cap) {
    const TimePoint limit = now + cap;
    const auto exp = JsonFields::number(claims, "exp");
    if (!exp) return limit;
    const double remaining = *exp - toEpochSeconds(now);
    if (remaining >= static_cast<double>(cap.count())) return limit;
    if (remaining <= 0) return now;
    return now + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                     std::chrono::duration<double>(remaining));
}

}  // namespace mcph::auth
