#include "fixture_json.hpp"

#include <cstdlib>

#include "json_field.h"

namespace conformance {

std::string stringArg(std::string_view json, const char* key, const std::string& fallback) {
    char* out = nullptr;
    size_t len = 0;
    if (json_field_string(json.data(), json.size(), key, &out, &len) != JSON_FIELD_OK) return fallback;
    std::string value(out, len);
    std::free(out);
    return value;
}

namespace {

// Index just past the JSON value starting at `i` (strings, objects, arrays, scalars).
size_t skipValue(std::string_view s, size_t i) {
    if (i >= s.size()) return i;
    if (s[i] == '"') {
        for (++i; i < s.size(); ++i) {
            if (s[i] == '\\') {
                ++i;
            } else if (s[i] == '"') {
                return i + 1;
            }
        }
        return i;
    }
    if (s[i] == '{' || s[i] == '[') {
        int depth = 0;
        for (; i < s.size(); ++i) {
            if (s[i] == '"') {
                i = skipValue(s, i) - 1;
            } else if (s[i] == '{' || s[i] == '[') {
                ++depth;
            } else if ((s[i] == '}' || s[i] == ']') && --depth == 0) {
                return i + 1;
            }
        }
        return i;
    }
    while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']') ++i;
    return i;
}

size_t skipSpace(std::string_view s, size_t i) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) ++i;
    return i;
}

}  // namespace

std::string rawMember(std::string_view json, std::string_view key) {
    size_t i = skipSpace(json, 0);
    if (i >= json.size() || json[i] != '{') return "";
    i = skipSpace(json, i + 1);
    while (i < json.size() && json[i] == '"') {
        const size_t keyEnd = skipValue(json, i);
        const std::string_view name = json.substr(i + 1, keyEnd - i - 2);
        i = skipSpace(json, keyEnd);
        if (i >= json.size() || json[i] != ':') return "";
        const size_t valueStart = skipSpace(json, i + 1);
        const size_t valueEnd = skipValue(json, valueStart);
        if (name == key) return std::string(json.substr(valueStart, valueEnd - valueStart));
        i = skipSpace(json, valueEnd);
        if (i < json.size() && json[i] == ',') i = skipSpace(json, i + 1);
    }
    return "";
}

}  // namespace conformance
