#pragma once
// application/x-www-form-urlencoded (and query strings) parsed the way OAuth needs it: '+' is a
// space, percent escapes decoded, and a parameter sent twice reported rather than silently
// resolved, because RFC 6749 §3.1 makes such a request invalid.
#include <string>

#include "mcphost/auth/server/EndpointMessages.h"

namespace mcph::auth::server {

class FormUrlEncoded {
public:
    // Fills request.params and request.repeatedParams. Empty names are skipped; a malformed
    // escape ("%zz") is kept literally. Values with "\0" are refused (false).
    static bool parseInto(const std::string& text, EndpointRequest& request);
    static std::string decode(const std::string& text);
    // Percent-encodes everything but RFC 3986 unreserved characters: valid in a query and in a
    // form body alike, so a '+' or '&' in a value can never be read as anything else.
    static std::string encode(const std::string& text);
};

}  // namespace mcph::auth::server
