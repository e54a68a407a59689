#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/reader/Diagnostics.h"
#include "config/reader/EnvExpander.h"

namespace mcph::config {

/// A string read from the config: the expanded value, and the file text it came from.
struct ConfigString {
    std::string value;  ///< after ${NAME} expansion
    std::string raw;    ///< as written in the file
    bool fromEnv = false;
    std::string keyPath;  ///< where it was read, e.g. "mcp.allowedOrigins[2]"

    /// How to show this value in a message without revealing anything from the environment:
    /// `"text"` for plain values, `the value of "${NAME}"` for expanded ones.
    std::string shown() const;
};

/// Reads one JSON object of the config against the keys the caller asks for.
///
/// Every accessor declares its key as known, whether or not it is present, and reports a
/// wrong type or range to the Diagnostics under the key's full path; an absent or invalid
/// key yields nullopt so the caller keeps its default. finish() then reports every key
/// nobody asked for, with a "did you mean" taken from the known keys. So the schema of a
/// section is simply the code that reads it, and unknown keys can never slip through.
class ObjectReader {
  public:
    ObjectReader(Poco::JSON::Object::Ptr object, std::string path, Diagnostics& diagnostics,
                 const EnvLookup& env);

    std::optional<ConfigString> string(const std::string& key);
    /// Like string(), for values that must never appear in a message (client secrets): a
    /// wrong type is reported without showing the value, and an empty one is refused.
    std::optional<ConfigString> secret(const std::string& key);
    std::optional<std::int64_t> integer(const std::string& key, std::int64_t min, std::int64_t max);
    std::optional<bool> boolean(const std::string& key);
    std::optional<ObjectReader> object(const std::string& key);
    /// Each element must be a string; elements that are not are reported and skipped.
    std::optional<std::vector<ConfigString>> stringArray(const std::string& key);
    /// A deep copy of the object at `key` with ${NAME} expanded in every string value,
    /// nested ones included; the copy's own keys are not checked.
    std::optional<Poco::JSON::Object::Ptr> expandedObject(const std::string& key);

    /// Whether `key` is present (does not declare it known).
    bool has(const std::string& key) const { return object_->has(key); }
    /// The object's keys in file order.
    std::vector<std::string> keys() const;
    /// Full path of a key of this object, e.g. "server.tls.certificateFile".
    std::string pathOf(const std::string& key) const;
    const std::string& path() const { return path_; }
    Diagnostics& diagnostics() { return *diagnostics_; }

    /// Reports every key not asked for. `note`, if given, is appended to each message.
    void finish(const std::string& note = "");
    /// Marks all keys as known (e.g. when the schema of the rest cannot be determined).
    void ignoreRest();

  private:
    std::optional<Poco::Dynamic::Var> find(const std::string& key);
    std::optional<ConfigString> expand(const std::string& keyPath, const std::string& raw);
    Poco::Dynamic::Var expandDeep(const Poco::Dynamic::Var& value, const std::string& keyPath,
                                  bool& ok);

    Poco::JSON::Object::Ptr object_;
    std::string path_;
    Diagnostics* diagnostics_;
    const EnvLookup* env_;
    std::vector<std::string> known_;
};

/// How a JSON value is shown in "got ..." messages: strings quoted, containers by kind.
std::string describeJson(const Poco::Dynamic::Var& value);

}  // namespace mcph::config
