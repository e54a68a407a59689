#pragma once
// The resource URL in its two roles: the exact string the PRM document publishes, and the
// normalised form tokens' `aud` is compared in (docs/client-interop.md#resource-and-audience:
// clients append queries, vary the host's case, add a trailing slash).
#include <optional>
#include <string>

namespace mcph::auth {

class ResourceUrl {
public:
    // Splits scheme://authority/path?query#fragment without rewriting any part.
    struct Parts {
        std::string scheme;
        std::string authority;  // as written: [userinfo@]host[:port]
        std::string path;       // "" or starting with '/'
        std::string query;      // without '?'
        std::string fragment;   // without '#'
    };
    static std::optional<Parts> split(const std::string& url);

    // Lowercase scheme and host, default port dropped, trailing '/' stripped, query and
    // fragment ignored. A string that is not an absolute URL (a client id used as audience)
    // is returned unchanged, so it still compares exactly.
    static std::string normalizeForAudience(const std::string& value);

    static bool audienceMatches(const std::string& tokenAudience, const std::string& expected) {
        return normalizeForAudience(tokenAudience) == normalizeForAudience(expected);
    }
};

}  // namespace mcph::auth
