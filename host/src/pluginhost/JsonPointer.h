#pragma once
// The paths of the 1.2 argument accessors and structured builders: a member name, or an RFC 6901
// JSON Pointer when it starts with '/'. Pure functions over Poco's JSON values.
#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

namespace mcph::pluginhost {

// "name" -> {"name"}; "/a/b~1c" -> {"a", "b/c"}; "" -> {} (the root). nullopt for a pointer with
// a '~' not followed by '0' or '1'.
std::optional<std::vector<std::string>> parseJsonPath(const std::string& path);

// The value `tokens` name inside `root`; nullopt when there is none. An array index is a
// decimal without leading zeros ("0", "12"); "-" names nothing when reading.
std::optional<Poco::Dynamic::Var> resolveJsonPath(const Poco::Dynamic::Var& root,
                                                  const std::vector<std::string>& tokens);

// Sets the member `tokens` name inside `root` to `value`, creating missing parent objects (and
// an array for a last token "-", which appends). False when a parent is not a container or an
// array index does not exist; `root` is then unchanged up to the parents created on the way.
bool assignJsonPath(const Poco::JSON::Object::Ptr& root, const std::vector<std::string>& tokens,
                    const Poco::Dynamic::Var& value);

}  // namespace mcph::pluginhost
