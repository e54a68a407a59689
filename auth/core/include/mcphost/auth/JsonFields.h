#pragma once
// Typed reads from untrusted JSON (tokens, JWKS, metadata, introspection answers). Each
// accessor says exactly which JSON types it accepts, so `"exp": "123"` or `"exp": true` is
// never silently taken for a number.
#include <optional>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

namespace mcph::auth {

class JsonFields {
public:
    // Parses `text` as one JSON object (nesting limited to `maxDepth`); null on anything else.
    static Poco::JSON::Object::Ptr parseObject(const std::string& text, std::size_t maxDepth = 32);

    // The member as a string, if present and a JSON string.
    static std::optional<std::string> string(const Poco::JSON::Object& obj, const std::string& name);
    // The member as a number, if present and a JSON number (never a boolean or a string).
    static std::optional<double> number(const Poco::JSON::Object& obj, const std::string& name);
    // The member as a boolean, if present and a JSON boolean.
    static std::optional<bool> boolean(const Poco::JSON::Object& obj, const std::string& name);
    // A string or an array of strings; nullopt when absent or of another shape (including an
    // array with a non-string element).
    static std::optional<std::vector<std::string>> stringOrArray(const Poco::JSON::Object& obj,
                                                                 const std::string& name);
    static bool has(const Poco::JSON::Object& obj, const std::string& name);
};

}  // namespace mcph::auth
