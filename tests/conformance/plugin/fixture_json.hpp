// Small JSON helpers for the conformance fixtures: read a string argument, find a member's
// raw value in a client's answer. The fixtures need no more than that.
#pragma once

#include <string>
#include <string_view>

namespace conformance {

// The string member `key` of a JSON object, or `fallback` when absent or not a string.
std::string stringArg(std::string_view json, const char* key, const std::string& fallback = "");

// The raw JSON text of the top-level member `key` of an object ("" when absent).
std::string rawMember(std::string_view json, std::string_view key);

}  // namespace conformance
