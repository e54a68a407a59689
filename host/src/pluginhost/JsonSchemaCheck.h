#pragma once
// Checks a JSON value against the parts of JSON Schema (2020-12) that tool output schemas use:
// type, properties, required, additionalProperties, items, enum, const, numeric and length
// bounds, allOf/anyOf/oneOf and local $ref ("#/$defs/..."). Keywords it does not know are
// ignored, so an unusual schema never makes a valid value fail. Pure function.
#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

namespace mcph::pluginhost {

// nullopt when `value` satisfies `schema`; otherwise the first problem, with its JSON path.
std::optional<std::string> checkAgainstSchema(const Poco::Dynamic::Var& value, const Poco::JSON::Object::Ptr& schema);

}  // namespace mcph::pluginhost
