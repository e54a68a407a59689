#include "mcphost/auth/server/UpstreamClaims.h"

#include <algorithm>
#include <cctype>

#include "mcphost/auth/JsonFields.h"

namespace mcph::auth::server {

namespace {

// OIDC Core §2: `sub` is at most 255 ASCII characters. Control characters could split log
// lines or the issuer/subject key the store builds.
constexpr std::size_t kMaxSubjectBytes = 255;
constexpr std::size_t kMaxTextBytes = 512;

bool cleanText(const std::string& s, std::size_t max) {
    return s.size() <= max &&
           std::none_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

// A display value (email, name) we copy into our own tokens: dropped when it is not clean text.
std::string optionalText(const Poco::JSON::Object& claims, const std::string& name) {
    if (name.empty()) return {};
    const auto value = JsonFields::string(claims, name);
    return value && cleanText(*value, kMaxTextBytes) ? *value : std::string();
}

}  // namespace

std::optional<std::string> UpstreamClaims::subject(const Poco::JSON::Object& claims,
                                                   const std::string& name) {
    if (name.empty() || !claims.has(name)) return std::nullopt;
    const Poco::Dynamic::Var value = claims.get(name);
    std::string text;
    if (value.isString()) {
        text = value.extract<std::string>();
    } else if (!value.isEmpty() && !value.isBoolean() && value.isInteger()) {
        // GitHub's `id` is a JSON number; its decimal text is the stable subject.
        try {
            text = value.isSigned() ? std::to_string(value.convert<Poco::Int64>())
                                    : std::to_string(value.convert<Poco::UInt64>());
        } catch (const std::exception&) {
            return std::nullopt;
        }
    } else {
        return std::nullopt;  // null, boolean, fraction, object, array
    }
    if (text.empty() || !cleanText(text, kMaxSubjectBytes)) return std::nullopt;
    return text;
}

bool UpstreamClaims::emailVerified(const Poco::JSON::Object& claims, const std::string& flagName) {
    if (flagName.empty() || !claims.has(flagName)) return false;
    if (const auto flag = JsonFields::boolean(claims, flagName)) return *flag;
    // Some providers (Cognito) send the flag as a string; only "true" counts as verified.
    if (auto text = JsonFields::string(claims, flagName)) {
        std::transform(text->begin(), text->end(), text->begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return *text == "true";
    }
    return false;  // present but unreadable: not a claim of verification
}

std::optional<UpstreamIdentity> UpstreamClaims::identity(const Poco::JSON::Object& claims,
                                                         const ClaimNames& names,
                                                         std::string& why) {
    auto subject = UpstreamClaims::subject(claims, names.userId);
    if (!subject) {
        why = "no usable subject (" + names.userId + ")";
        return std::nullopt;
    }
    UpstreamIdentity out;
    out.subject = std::move(*subject);
    // An email is an identity others may rely on (a policy on domains, a tool acting for the
    // user): taken only when the upstream vouches for it.
    if (emailVerified(claims, names.emailVerified)) out.email = optionalText(claims, names.email);
    out.name = optionalText(claims, names.name);
    if (out.name.empty()) out.name = optionalText(claims, names.nameFallback);
    return out;
}

}  // namespace mcph::auth::server
