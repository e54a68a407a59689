#pragma once
// Strict base64url (RFC 4648 §5, unpadded) as JWS compact serialization requires: one spelling
// per byte string, so padding, whitespace and non-zero trailing bits are all refused.
#include <optional>
#include <string>
#include <string_view>

namespace mcph::auth {

class Base64Url {
public:
    static std::optional<std::string> decode(std::string_view text);
    static std::string encode(std::string_view bytes);
};

}  // namespace mcph::auth
