// application/x-www-form-urlencoded bodies and query strings of the authorization server's
// endpoints (/token, /register's neighbours, /authorize, /oauth/callback, /revoke):
// auth::server::FormUrlEncoded::parseInto, plus decode and encode.
//
// parseInto documents its refusal as `false` (a NUL in a name or value); nothing throws. So
// nothing is caught.
#include <algorithm>

#include "FuzzSupport.h"
#include "mcphost/auth/server/FormUrlEncoded.h"

using mcph::auth::server::EndpointRequest;
using mcph::auth::server::FormUrlEncoded;
using mcph::fuzz::fuzzFail;

namespace {
constexpr const char* kTarget = "form_urlencoded";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text = mcph::fuzz::bytes(data, size);
    EndpointRequest request;
    if (FormUrlEncoded::parseInto(text, request)) {
        for (const auto& [name, value] : request.params) {
            if (name.empty()) fuzzFail(kTarget, "a parameter with an empty name");
            if (name.find('\0') != std::string::npos || value.find('\0') != std::string::npos)
                fuzzFail(kTarget, "a NUL byte in an accepted parameter");
            if (request.param(name) != value) fuzzFail(kTarget, "param() disagrees with params");
        }
        for (std::size_t i = 0; i < request.repeatedParams.size(); ++i) {
            const std::string& name = request.repeatedParams[i];
            if (!request.has(name)) fuzzFail(kTarget, "a repeated parameter that is not a parameter");
            if (std::count(request.repeatedParams.begin(), request.repeatedParams.end(), name) != 1)
                fuzzFail(kTarget, "a repeated parameter listed twice");
        }
    }
    // encode() spells every byte so that decode() gives it back, '+' and '&' included.
    const std::string encoded = FormUrlEncoded::encode(text);
    if (FormUrlEncoded::decode(encoded) != text) fuzzFail(kTarget, "decode(encode(x)) != x");
    if (encoded.find_first_of("&=+ #?") != std::string::npos)
        fuzzFail(kTarget, "encode() left a character that means something in a query");
    return 0;
}
