#include "pluginhost/JsonPointer.h"

#include <Poco/JSON/Array.h>

#include <limits>

namespace mcph::pluginhost {
namespace {

std::optional<std::size_t> arrayIndex(const std::string& token) {
    if (token.empty() || token.size() > 9 || (token.size() > 1 && token[0] == '0'))
        return std::nullopt;
    std::size_t index = 0;
    for (const char c : token) {
        if (c < '0' || c > '9') return std::nullopt;
        index = index * 10 + static_cast<std::size_t>(c - '0');
    }
    return index;
}

Poco::JSON::Object::Ptr asObject(const Poco::Dynamic::Var& v) {
    return v.type() == typeid(Poco::JSON::Object::Ptr) ? v.extract<Poco::JSON::Object::Ptr>()
                                                       : nullptr;
}

Poco::JSON::Array::Ptr asArray(const Poco::Dynamic::Var& v) {
    return v.type() == typeid(Poco::JSON::Array::Ptr) ? v.extract<Poco::JSON::Array::Ptr>()
                                                      : nullptr;
}

}  // namespace

std::optional<std::vector<std::string>> parseJsonPath(const std::string& path) {
    if (path.empty()) return std::vector<std::string>{};
    if (path[0] != '/') return std::vector<std::string>{path};
    std::vector<std::string> tokens;
    std::string token;
    for (std::size_t i = 1; i <= path.size(); ++i) {
        if (i == path.size() || path[i] == '/') {
            tokens.push_back(std::move(token));
            token.clear();
            continue;
        }
        if (path[i] != '~') {
            token += path[i];
            continue;
        }
        // RFC 6901 §4: "~1" is '/', "~0" is '~'; any other escape is an error.
        if (i + 1 >= path.size() || (path[i + 1] != '0' && path[i + 1] != '1')) return std::nullopt;
        token += path[i + 1] == '0' ? '~' : '/';
        ++i;
    }
    return tokens;
}

std::optional<Poco::Dynamic::Var> resolveJsonPath(const Poco::Dynamic::Var& root,
                                                  const std::vector<std::string>& tokens) {
    Poco::Dynamic::Var at = root;
    for (const auto& token : tokens) {
        if (auto object = asObject(at)) {
            if (!object->has(token)) return std::nullopt;
            at = object->get(token);
        } else if (auto array = asArray(at)) {
            const auto index = arrayIndex(token);
            if (!index || *index >= array->size()) return std::nullopt;
            at = array->get(static_cast<unsigned int>(*index));
        } else {
            return std::nullopt;
        }
    }
    return at;
}

bool assignJsonPath(const Poco::JSON::Object::Ptr& root, const std::vector<std::string>& tokens,
                    const Poco::Dynamic::Var& value) {
    if (tokens.empty()) return false;
    Poco::Dynamic::Var at = root;
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
        const std::string& token = tokens[i];
        const bool nextAppends = i + 2 == tokens.size() && tokens.back() == "-";
        if (auto object = asObject(at)) {
            if (!object->has(token) || object->isNull(token)) {
                Poco::Dynamic::Var created;
                if (nextAppends) {
                    created = Poco::JSON::Array::Ptr(new Poco::JSON::Array);
                } else {
                    created = Poco::JSON::Object::Ptr(
                        new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER));
                }
                object->set(token, created);
            }
            at = object->get(token);
        } else if (auto array = asArray(at)) {
            const auto index = arrayIndex(token);
            if (!index || *index >= array->size()) return false;
            at = array->get(static_cast<unsigned int>(*index));
        } else {
            return false;
        }
    }
    const std::string& last = tokens.back();
    if (auto object = asObject(at)) {
        object->set(last, value);
        return true;
    }
    if (auto array = asArray(at)) {
        if (last == "-") {
            array->add(value);
            return true;
        }
        const auto index = arrayIndex(last);
        if (!index || *index >= array->size()) return false;
        array->set(static_cast<unsigned int>(*index), value);
        return true;
    }
    return false;
}

}  // namespace mcph::pluginhost
