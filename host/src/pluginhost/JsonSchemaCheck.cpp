#include "pluginhost/JsonSchemaCheck.h"

#include <Poco/JSON/Array.h>

#include <cmath>

namespace mcph::pluginhost {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr int kMaxDepth = 64;

bool isObject(const Var& v) { return v.type() == typeid(Object::Ptr); }
bool isArray(const Var& v) { return v.type() == typeid(Array::Ptr); }
bool isBool(const Var& v) { return v.type() == typeid(bool); }
bool isNumber(const Var& v) { return v.isNumeric() && !isBool(v); }
bool isInteger(const Var& v) {
    if (!isNumber(v)) return false;
    if (v.isInteger()) return true;
    const double d = v.convert<double>();
    return std::floor(d) == d && std::isfinite(d);
}

bool hasType(const Var& v, const std::string& type) {
    if (type == "object") return isObject(v);
    if (type == "array") return isArray(v);
    if (type == "string") return v.isString();
    if (type == "boolean") return isBool(v);
    if (type == "number") return isNumber(v);
    if (type == "integer") return isInteger(v);
    if (type == "null") return v.isEmpty();
    return true;  // unknown type names are not ours to refuse
}

std::string text(const Var& v) {
    if (isObject(v) || isArray(v)) return v.toString();
    if (v.isString()) return "\"" + v.toString() + "\"";
    return v.isEmpty() ? "null" : v.toString();
}

bool sameJson(const Var& a, const Var& b) {
    if (isNumber(a) && isNumber(b)) return a.convert<double>() == b.convert<double>();
    return text(a) == text(b);
}

class Checker {
public:
    explicit Checker(Object::Ptr root) : root_(std::move(root)) {}

    std::optional<std::string> check(const Var& v, const Object::Ptr& s, const std::string& path, int depth) const {
        if (!s) return std::nullopt;
        if (depth > kMaxDepth) return path + ": schema nests too deeply";
        if (s->has("$ref") && s->get("$ref").isString()) {
            const std::string ref = s->getValue<std::string>("$ref");
            Object::Ptr target = resolve(ref);
            if (!target) return std::nullopt;  // a remote or unknown $ref: not checked
            if (auto e = check(v, target, path, depth + 1)) return e;
        }
        if (s->has("type")) {
            const Var t = s->get("type");
            bool ok = false;
            if (t.isString()) {
                ok = hasType(v, t.toString());
            } else if (isArray(t)) {
                auto arr = t.extract<Array::Ptr>();
                for (std::size_t i = 0; i < arr->size() && !ok; ++i) ok = hasType(v, arr->get(i).toString());
            } else {
                ok = true;
            }
            if (!ok) return path + ": expected type " + text(t) + ", got " + text(v);
        }
        if (s->has("enum") && isArray(s->get("enum"))) {
            auto options = s->getArray("enum");
            bool found = false;
            for (std::size_t i = 0; i < options->size() && !found; ++i) found = sameJson(v, options->get(i));
            if (!found) return path + ": " + text(v) + " is not one of " + text(s->get("enum"));
        }
        if (s->has("const") && !sameJson(v, s->get("const"))) return path + ": must be " + text(s->get("const"));
        if (isNumber(v)) {
            const double d = v.convert<double>();
            if (s->has("minimum") && d < s->getValue<double>("minimum")) return path + ": below the minimum";
            if (s->has("maximum") && d > s->getValue<double>("maximum")) return path + ": above the maximum";
        }
        if (v.isString()) {
            const std::size_t len = v.toString().size();
            if (s->has("minLength") && len < s->getValue<std::size_t>("minLength")) return path + ": shorter than minLength";
            if (s->has("maxLength") && len > s->getValue<std::size_t>("maxLength")) return path + ": longer than maxLength";
        }
        if (isObject(v)) {
            if (auto e = checkObject(v.extract<Object::Ptr>(), s, path, depth)) return e;
        }
        if (isArray(v) && s->getObject("items")) {
            auto arr = v.extract<Array::Ptr>();
            for (std::size_t i = 0; i < arr->size(); ++i) {
                if (auto e = check(arr->get(i), s->getObject("items"), path + "[" + std::to_string(i) + "]", depth + 1)) return e;
            }
        }
        if (auto all = s->getArray("allOf")) {
            for (std::size_t i = 0; i < all->size(); ++i) {
                if (auto e = check(v, all->getObject(i), path, depth + 1)) return e;
            }
        }
        for (const char* key : {"anyOf", "oneOf"}) {
            auto options = s->getArray(key);
            if (!options) continue;
            std::size_t matches = 0;
            for (std::size_t i = 0; i < options->size(); ++i) {
                if (!check(v, options->getObject(i), path, depth + 1)) ++matches;
            }
            if (matches == 0) return path + ": matches none of " + key;
            if (std::string(key) == "oneOf" && matches > 1) return path + ": matches more than one of oneOf";
        }
        return std::nullopt;
    }

private:
    std::optional<std::string> checkObject(const Object::Ptr& obj, const Object::Ptr& s, const std::string& path, int depth) const {
        if (auto required = s->getArray("required")) {
            for (std::size_t i = 0; i < required->size(); ++i) {
                const std::string name = required->get(i).toString();
                if (!obj->has(name)) return path + ": missing required property \"" + name + "\"";
            }
        }
        auto properties = s->getObject("properties");
        for (const auto& [name, value] : *obj) {
            const std::string at = path + "." + name;
            if (properties && properties->has(name)) {
                if (auto e = check(value, properties->getObject(name), at, depth + 1)) return e;
                continue;
            }
            if (!s->has("additionalProperties")) continue;
            const Var extra = s->get("additionalProperties");
            if (isBool(extra) && !extra.convert<bool>()) return at + ": additional property not allowed";
            if (isObject(extra)) {
                if (auto e = check(value, extra.extract<Object::Ptr>(), at, depth + 1)) return e;
            }
        }
        return std::nullopt;
    }

    Object::Ptr resolve(const std::string& ref) const {
        if (ref.rfind("#/", 0) != 0) return ref == "#" ? root_ : nullptr;
        Object::Ptr at = root_;
        std::size_t pos = 2;
        while (at && pos <= ref.size()) {
            const std::size_t slash = ref.find('/', pos);
            const std::string part = ref.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
            at = at->getObject(part);
            if (slash == std::string::npos) break;
            pos = slash + 1;
        }
        return at;
    }

    Object::Ptr root_;
};

}  // namespace

std::optional<std::string> checkAgainstSchema(const Poco::Dynamic::Var& value, const Poco::JSON::Object::Ptr& schema) {
    return Checker(schema).check(value, schema, "$", 0);
}

}  // namespace mcph::pluginhost
