// Typed reads of a flat JSON object (tool arguments, plugin settings) on top of the shared C
// reader plugins/common/json_field.h. The notes arguments are strings and integers at the top
// level, so one careful member reader serves better than carrying a JSON library (the plugin
// builds against the SDK alone) or a second hand-written parser. Every problem is thrown as
// mcph::ToolError naming the field: the model gets it as an isError result it can act on.
#ifndef MCPH_NOTES_JSON_FIELDS_HPP
#define MCPH_NOTES_JSON_FIELDS_HPP

#include <cstdint>
#include <cstdlib>
#include <mcphost/plugin.hpp>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "json_field.h"

namespace notes {

class JsonFields {
  public:
    // `kind` names the fields in messages: "argument" or "setting".
    JsonFields(std::string_view json, std::string kind) : json_(json), kind_(std::move(kind)) {}

    std::optional<std::string> optionalString(const char* key) const {
        char* raw = nullptr;
        size_t length = 0;
        const json_field_status status =
            json_field_string(json_.data(), json_.size(), key, &raw, &length);
        if (status == JSON_FIELD_MISSING) {
            return std::nullopt;
        }
        check(status, key, "a string");
        const std::unique_ptr<char, decltype(&std::free)> owned(raw, &std::free);
        return std::string(raw, length);
    }

    std::optional<int64_t> optionalInteger(const char* key) const {
        int64_t value = 0;
        const json_field_status status = json_field_int(json_.data(), json_.size(), key, &value);
        if (status == JSON_FIELD_MISSING) {
            return std::nullopt;
        }
        check(status, key, "an integer");
        return value;
    }

    std::string requiredString(const char* key) const { return required(optionalString(key), key); }
    int64_t requiredInteger(const char* key) const { return required(optionalInteger(key), key); }

  private:
    template <class T>
    T required(std::optional<T> value, const char* key) const {
        if (!value) {
            throw mcph::ToolError("missing required " + kind_ + " \"" + key + "\"");
        }
        return std::move(*value);
    }

    void check(json_field_status status, const char* key, const char* type) const {
        switch (status) {
            case JSON_FIELD_OK:
                return;
            case JSON_FIELD_WRONG_TYPE:
                throw mcph::ToolError(kind_ + " \"" + key + "\" must be " + type);
            case JSON_FIELD_OUT_OF_RANGE:
                throw mcph::ToolError(kind_ + " \"" + key + "\" is out of range");
            case JSON_FIELD_NO_MEMORY:
                throw std::bad_alloc();
            default:
                throw mcph::ToolError(kind_ + "s are not a valid JSON object");
        }
    }

    std::string_view json_;
    std::string kind_;
};

}  // namespace notes

#endif  // MCPH_NOTES_JSON_FIELDS_HPP
