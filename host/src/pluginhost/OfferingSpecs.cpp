#include "pluginhost/OfferingSpecs.h"

#include <Poco/JSON/Array.h>

namespace mcph::pluginhost {
namespace {

void setIfAny(Poco::JSON::Object& obj, const char* key, const std::string& value) {
    if (!value.empty()) obj.set(key, value);
}

}  // namespace

Poco::JSON::Object::Ptr ResourceSpec::toListEntry() const {
    Poco::JSON::Object::Ptr entry = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    entry->set("uri", uri);
    entry->set("name", name);
    setIfAny(*entry, "title", title);
    setIfAny(*entry, "description", description);
    setIfAny(*entry, "mimeType", mimeType);
    return entry;
}

Poco::JSON::Object::Ptr ResourceTemplateSpec::toListEntry() const {
    Poco::JSON::Object::Ptr entry = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    entry->set("uriTemplate", uriTemplate);
    entry->set("name", name);
    setIfAny(*entry, "title", title);
    setIfAny(*entry, "description", description);
    setIfAny(*entry, "mimeType", mimeType);
    return entry;
}

std::optional<std::map<std::string, std::string>> ResourceTemplateSpec::match(const std::string& uri) const {
    // RFC 6570 level 1: literal text and {name} expressions; a variable takes at least one
    // character and never a '/', so "a/{id}/b" matches "a/7/b" but not "a/7/8/b".
    std::map<std::string, std::string> vars;
    std::size_t t = 0, u = 0;
    while (t < uriTemplate.size()) {
        if (uriTemplate[t] != '{') {
            if (u >= uri.size() || uri[u] != uriTemplate[t]) return std::nullopt;
            ++t, ++u;
            continue;
        }
        const std::size_t close = uriTemplate.find('}', t);
        if (close == std::string::npos) return std::nullopt;
        const std::string name = uriTemplate.substr(t + 1, close - t - 1);
        t = close + 1;
        const char stop = t < uriTemplate.size() ? uriTemplate[t] : '\0';
        const std::size_t start = u;
        while (u < uri.size() && uri[u] != '/' && uri[u] != stop) ++u;
        if (u == start) return std::nullopt;
        vars[name] = uri.substr(start, u - start);
    }
    if (u != uri.size()) return std::nullopt;
    return vars;
}

Poco::JSON::Object::Ptr PromptSpec::toListEntry() const {
    Poco::JSON::Object::Ptr entry = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    entry->set("name", name);
    setIfAny(*entry, "title", title);
    setIfAny(*entry, "description", description);
    if (!arguments.empty()) {
        Poco::JSON::Array::Ptr args = new Poco::JSON::Array;
        for (const auto& a : arguments) {
            Poco::JSON::Object::Ptr arg = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            arg->set("name", a.name);
            setIfAny(*arg, "description", a.description);
            arg->set("required", a.required);
            args->add(arg);
        }
        entry->set("arguments", args);
    }
    return entry;
}

}  // namespace mcph::pluginhost
