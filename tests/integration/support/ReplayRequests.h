#pragma once
// Helpers for replaying recorded client requests (support/ClientProfiles.h): placeholder
// expansion, form bodies in the client's parameter order, and reading a WWW-Authenticate
// challenge the way clients do.
#include <Poco/JSON/Object.h>

#include <map>
#include <string>
#include <vector>

#include "support/ClientProfiles.h"

namespace mcph::testing::replay {

using Vars = std::map<std::string, std::string>;  // "PORT" → "3334", ...

// Every ${NAME} in `text` replaced by vars[NAME] (unknown names are left as they are).
std::string expand(const std::string& text, const Vars& vars);

// The expanded parameters, dropping an optional ("name?") one whose value is empty.
Params expandParams(const Params& params, const Vars& vars);

// application/x-www-form-urlencoded, in the given order.
std::string encodeForm(const Params& params);

// The value of `name` in a Bearer challenge ("" when absent).
std::string challengeParam(const std::string& wwwAuthenticate, const std::string& name);

// "a b c" → {"a","b","c"}.
std::vector<std::string> splitScopes(const std::string& scopes);
std::string joinScopes(const std::vector<std::string>& scopes);

// A JSON array literal of strings.
std::string jsonArray(const std::vector<std::string>& items);

// A JSON object from an answer body, or null when it is not one.
Poco::JSON::Object::Ptr parseObject(const std::string& json);
// The string array `name` of `doc` (empty when absent or `doc` is null).
std::vector<std::string> stringArray(const Poco::JSON::Object::Ptr& doc, const std::string& name);
bool contains(const std::vector<std::string>& v, const std::string& s);

}  // namespace mcph::testing::replay
