#include "mcphost/auth/JsonFields.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

namespace mcph::auth {

Poco::JSON::Object::Ptr JsonFields::parseObject(const std::string& text, std::size_t maxDepth) {
    try {
        Poco::JSON::Parser parser;
        parser.setDepth(maxDepth);
        parser.setAllowComments(false);
        const Poco::Dynamic::Var value = parser.parse(text);
        if (value.type() != typeid(Poco::JSON::Object::Ptr)) return nullptr;
        return value.extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
        return nullptr;
    }
}

bool JsonFields::has(const Poco::JSON::Object& obj, const std::string& name) {
    return obj.has(name);
}

std::optional<std::string> JsonFields::string(const Poco::JSON::Object& obj,
                                              const std::string& name) {
    if (!obj.has(name)) return std::nullopt;
    const Poco::Dynamic::Var v = obj.get(name);
    if (!v.isString()) return std::nullopt;
    return v.extract<std::string>();
}

std::optional<double> JsonFields::number(const Poco::JSON::Object& obj, const std::string& name) {
    if (!obj.has(name)) return std::nullopt;
    const Poco::Dynamic::Var v = obj.get(name);
    // Poco reports bool as numeric; JSON does not.
    if (v.isEmpty() || v.isBoolean() || v.isString() || !v.isNumeric()) return std::nullopt;
    try {
        return v.convert<double>();
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<bool> JsonFields::boolean(const Poco::JSON::Object& obj, const std::string& name) {
    if (!obj.has(name)) return std::nullopt;
    const Poco::Dynamic::Var v = obj.get(name);
    if (!v.isBoolean()) return std::nullopt;
    return v.extract<bool>();
}

std::optional<std::vector<std::string>> JsonFields::stringOrArray(const Poco::JSON::Object& obj,
                                                                  const std::string& name) {
    if (!obj.has(name)) return std::nullopt;
    const Poco::Dynamic::Var v = obj.get(name);
    if (v.isString()) return std::vector<std::string>{v.extract<std::string>()};
    if (v.type() != typeid(Poco::JSON::Array::Ptr)) return std::nullopt;
    const auto arr = v.extract<Poco::JSON::Array::Ptr>();
    if (!arr) return std::nullopt;
    std::vector<std::string> out;
    for (std::size_t i = 0; i < arr->size(); ++i) {
        const Poco::Dynamic::Var item = arr->get(static_cast<unsigned>(i));
        if (!item.isString()) return std::nullopt;
        out.push_back(item.extract<std::string>());
    }
    return out;
}

}  // namespace mcph::auth
