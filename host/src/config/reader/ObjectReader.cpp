#include "config/reader/ObjectReader.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "config/reader/Suggest.h"

namespace mcph::config {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

bool isObject(const Var& v) { return v.type() == typeid(Object::Ptr); }
bool isArray(const Var& v) { return v.type() == typeid(Array::Ptr); }

/// Strict decimal integer: optional '-', 1..18 digits. Returns nullopt otherwise.
std::optional<std::int64_t> parseInteger(const std::string& s) {
    std::size_t i = (!s.empty() && s[0] == '-') ? 1 : 0;
    if (i == s.size() || s.size() - i > 18) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    for (std::size_t j = i; j < s.size(); ++j) {
        if (s[j] < '0' || s[j] > '9') {
            return std::nullopt;
        }
        value = value * 10 + (s[j] - '0');
    }
    return i == 1 ? -value : value;
}

}  // namespace

std::string ConfigString::shown() const {
    return fromEnv ? "the value of " + quotedText(raw) : quotedText(raw);
}

std::string describeJson(const Var& value) {
    if (value.isEmpty()) {
        return "null";
    }
    if (isObject(value)) {
        return "an object";
    }
    if (isArray(value)) {
        return "an array";
    }
    if (value.isString()) {
        return quotedText(value.extract<std::string>());
    }
    return value.convert<std::string>();
}

ObjectReader::ObjectReader(Object::Ptr object, std::string path, Diagnostics& diagnostics,
                           const EnvLookup& env)
    : object_(std::move(object)), path_(std::move(path)), diagnostics_(&diagnostics), env_(&env) {}

std::string ObjectReader::pathOf(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
}

std::vector<std::string> ObjectReader::keys() const { return object_->getNames(); }

std::optional<Var> ObjectReader::find(const std::string& key) {
    if (std::find(known_.begin(), known_.end(), key) == known_.end()) {
        known_.push_back(key);
    }
    if (!object_->has(key)) {
        return std::nullopt;
    }
    return std::optional<Var>(std::in_place, object_->get(key));
}

std::optional<ConfigString> ObjectReader::expand(const std::string& keyPath,
                                                 const std::string& raw) {
    EnvExpansion expansion = expandEnv(raw, *env_);
    for (const std::string& problem : expansion.problems) {
        diagnostics_->error(keyPath, problem);
    }
    if (!expansion.ok()) {
        return std::nullopt;
    }
    return ConfigString{std::move(expansion.value), raw, expansion.expanded, keyPath};
}

std::optional<ConfigString> ObjectReader::string(const std::string& key) {
    const std::optional<Var> v = find(key);
    if (!v) {
        return std::nullopt;
    }
    if (!v->isString()) {
        diagnostics_->error(pathOf(key), "expected a string, got " + describeJson(*v));
        return std::nullopt;
    }
    return expand(pathOf(key), v->extract<std::string>());
}

std::optional<ConfigString> ObjectReader::secret(const std::string& key) {
    const std::optional<Var> v = find(key);
    if (!v) {
        return std::nullopt;
    }
    if (!v->isString()) {
        diagnostics_->error(pathOf(key), "expected a string (the value is not shown: it is a secret)");
        return std::nullopt;
    }
    std::optional<ConfigString> s = expand(pathOf(key), v->extract<std::string>());
    if (s && s->value.empty()) {
        diagnostics_->error(pathOf(key), "must not be empty");
        return std::nullopt;
    }
    return s;
}

std::optional<std::int64_t> ObjectReader::integer(const std::string& key, std::int64_t min,
                                                  std::int64_t max) {
    const std::optional<Var> v = find(key);
    if (!v) {
        return std::nullopt;
    }
    std::optional<std::int64_t> value;
    std::string got = describeJson(*v);
    if (v->isString()) {  // allowed so that numbers can come from ${NAME}
        std::optional<ConfigString> s = expand(pathOf(key), v->extract<std::string>());
        if (!s) {
            return std::nullopt;
        }
        value = parseInteger(s->value);
        got = s->shown();
    } else if (v->isBoolean()) {
        // Poco counts booleans as integers; the config does not.
    } else if (v->isInteger()) {
        // Values beyond int64 arrive as UInt64; they are out of every range we accept.
        if (v->type() != typeid(Poco::UInt64) || v->extract<Poco::UInt64>() <= INT64_MAX) {
            value = v->convert<std::int64_t>();
        }
    } else if (v->isNumeric()) {
        const double d = v->convert<double>();
        if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.0e18) {
            value = static_cast<std::int64_t>(d);
        }
    }
    if (!value || *value < min || *value > max) {
        diagnostics_->error(pathOf(key), "expected an integer between " + std::to_string(min) +
                                             " and " + std::to_string(max) + ", got " + got);
        return std::nullopt;
    }
    return value;
}

std::optional<bool> ObjectReader::boolean(const std::string& key) {
    const std::optional<Var> v = find(key);
    if (!v) {
        return std::nullopt;
    }
    if (v->isBoolean()) {
        return v->extract<bool>();
    }
    std::string got = describeJson(*v);
    if (v->isString()) {  // allowed so that flags can come from ${NAME}
        std::optional<ConfigString> s = expand(pathOf(key), v->extract<std::string>());
        if (!s) {
            return std::nullopt;
        }
        if (s->value == "true" || s->value == "false") {
            return s->value == "true";
        }
        got = s->shown();
    }
    diagnostics_->error(pathOf(key), "expected true or false, got " + got);
    return std::nullopt;
}

std::optional<ObjectReader> ObjectReader::object(const std::string& key) {
    const std::optional<Var> v = find(key);
    if (!v) {
        return std::nullopt;
    }
    if (!isObject(*v)) {
        diagnostics_->error(pathOf(key), "expected an object, got " + describeJson(*v));
        return std::nullopt;
    }
    return ObjectReader(v->extract<Object::Ptr>(), pathOf(key), *diagnostics_, *env_);
}

std::optional<std::vector<ConfigString>> ObjectReader::stringArray(const std::string& key) {
    const std::optional<Var> v = find(key);
    if (!v) {
        return std::nullopt;
    }
    if (!isArray(*v)) {
        diagnostics_->error(pathOf(key), "expected an array of strings, got " + describeJson(*v));
        return std::nullopt;
    }
    const Array::Ptr array = v->extract<Array::Ptr>();
    std::vector<ConfigString> out;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const Var element = array->get(static_cast<unsigned>(i));
        const std::string elementPath = pathOf(key) + "[" + std::to_string(i) + "]";
        if (!element.isString()) {
            diagnostics_->error(elementPath, "expected a string, got " + describeJson(element));
        } else if (std::optional<ConfigString> s =
                       expand(elementPath, element.extract<std::string>())) {
            out.push_back(std::move(*s));
        }
    }
    return out;
}

std::optional<Object::Ptr> ObjectReader::expandedObject(const std::string& key) {
    const std::optional<Var> v = find(key);
    if (!v) {
        return std::nullopt;
    }
    if (!isObject(*v)) {
        diagnostics_->error(pathOf(key), "expected an object, got " + describeJson(*v));
        return std::nullopt;
    }
    bool ok = true;
    Var copy = expandDeep(*v, pathOf(key), ok);
    if (!ok) {
        return std::nullopt;
    }
    return copy.extract<Object::Ptr>();
}

Var ObjectReader::expandDeep(const Var& value, const std::string& keyPath, bool& ok) {
    if (isObject(value)) {
        const Object::Ptr& in = value.extract<Object::Ptr>();
        Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        for (const std::string& name : in->getNames()) {
            std::string childPath = keyPath;
            childPath.append(".").append(name);
            out->set(name, expandDeep(in->get(name), childPath, ok));
        }
        return out;
    }
    if (isArray(value)) {
        const Array::Ptr& in = value.extract<Array::Ptr>();
        Array::Ptr out = new Array;
        for (std::size_t i = 0; i < in->size(); ++i) {
            out->add(expandDeep(in->get(static_cast<unsigned>(i)),
                                keyPath + "[" + std::to_string(i) + "]", ok));
        }
        return out;
    }
    if (value.isString()) {
        std::optional<ConfigString> s = expand(keyPath, value.extract<std::string>());
        if (!s) {
            ok = false;
            return value;
        }
        return s->value;
    }
    return value;
}

void ObjectReader::finish(const std::string& note) {
    for (const std::string& name : object_->getNames()) {
        if (std::find(known_.begin(), known_.end(), name) != known_.end()) {
            continue;
        }
        std::string problem = "unknown key" + note;
        if (std::optional<std::string> match = closestMatch(name, known_)) {
            problem += " (did you mean " + quotedText(*match) + "?)";
        }
        diagnostics_->error(pathOf(name), problem);
    }
}

void ObjectReader::ignoreRest() {
    for (const std::string& name : object_->getNames()) {
        find(name);
    }
}

}  // namespace mcph::config
