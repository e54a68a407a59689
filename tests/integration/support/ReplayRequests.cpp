#include "support/ReplayRequests.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <sstream>

#include "mcphost/auth/server/FormUrlEncoded.h"

namespace mcph::testing::replay {

std::string expand(const std::string& text, const Vars& vars) {
    std::string out;
    std::size_t at = 0;
    while (true) {
        const std::size_t open = text.find("${", at);
        if (open == std::string::npos) break;
        const std::size_t close = text.find('}', open);
        if (close == std::string::npos) break;
        out += text.substr(at, open - at);
        const auto it = vars.find(text.substr(open + 2, close - open - 2));
        out += it == vars.end() ? text.substr(open, close - open + 1) : it->second;
        at = close + 1;
    }
    return out + text.substr(at);
}

Params expandParams(const Params& params, const Vars& vars) {
    Params out;
    for (const auto& [name, value] : params) {
        const bool optional = !name.empty() && name.back() == '?';
        const std::string v = expand(value, vars);
        if (optional && v.empty()) continue;
        out.emplace_back(optional ? name.substr(0, name.size() - 1) : name, v);
    }
    return out;
}

std::string encodeForm(const Params& params) {
    std::string out;
    for (const auto& [name, value] : params) {
        out += (out.empty() ? "" : "&") + auth::server::FormUrlEncoded::encode(name) + "=" +
               auth::server::FormUrlEncoded::encode(value);
    }
    return out;
}

std::string challengeParam(const std::string& header, const std::string& name) {
    // Parameters are name="value" (or name=token), comma separated.
    std::size_t at = 0;
    while ((at = header.find(name + "=", at)) != std::string::npos) {
        const bool boundary = at == 0 || header[at - 1] == ' ' || header[at - 1] == ',';
        std::size_t v = at + name.size() + 1;
        if (!boundary) {
            at = v;
            continue;
        }
        if (v < header.size() && header[v] == '"') {
            const std::size_t end = header.find('"', v + 1);
            return header.substr(v + 1, end == std::string::npos ? std::string::npos : end - v - 1);
        }
        const std::size_t end = header.find_first_of(", ", v);
        return header.substr(v, end == std::string::npos ? std::string::npos : end - v);
    }
    return "";
}

std::vector<std::string> splitScopes(const std::string& scopes) {
    std::vector<std::string> out;
    std::istringstream in(scopes);
    for (std::string s; in >> s;) out.push_back(s);
    return out;
}

std::string joinScopes(const std::vector<std::string>& scopes) {
    std::string out;
    for (const auto& s : scopes) out += (out.empty() ? "" : " ") + s;
    return out;
}

std::string jsonArray(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ",\"" : "\"") + items[i] + "\"";
    return out + "]";
}

Poco::JSON::Object::Ptr parseObject(const std::string& json) {
    try {
        return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
        return nullptr;
    }
}

std::vector<std::string> stringArray(const Poco::JSON::Object::Ptr& doc, const std::string& name) {
    std::vector<std::string> out;
    if (!doc || !doc->isArray(name)) return out;
    auto a = doc->getArray(name);
    for (std::size_t i = 0; i < a->size(); ++i) out.push_back(a->getElement<std::string>(i));
    return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace mcph::testing::replay
