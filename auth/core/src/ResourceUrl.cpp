#include "mcphost/auth/ResourceUrl.h"

#include <algorithm>
#include <cctype>

namespace mcph::auth {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool validScheme(const std::string& s) {
    if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
    return std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '+' || c == '-' || c == '.';
    });
}

}  // namespace

std::optional<ResourceUrl::Parts> ResourceUrl::split(const std::string& url) {
    const auto schemeEnd = url.find("://");
    if (schemeEnd == std::string::npos) return std::nullopt;
    Parts p;
    p.scheme = url.substr(0, schemeEnd);
    if (!validScheme(p.scheme)) return std::nullopt;
    std::string rest = url.substr(schemeEnd + 3);
    const auto hash = rest.find('#');
    if (hash != std::string::npos) {
        p.fragment = rest.substr(hash + 1);
        rest.resize(hash);
    }
    const auto question = rest.find('?');
    if (question != std::string::npos) {
        p.query = rest.substr(question + 1);
        rest.resize(question);
    }
    const auto slash = rest.find('/');
    p.authority = rest.substr(0, slash);
    if (slash != std::string::npos) p.path = rest.substr(slash);
    if (p.authority.empty()) return std::nullopt;
    return p;
}

std::string ResourceUrl::normalizeForAudience(const std::string& value) {
    const auto parts = split(value);
    if (!parts) return value;
    const std::string scheme = lower(parts->scheme);
    std::string authority = parts->authority;
    std::string userinfo;
    const auto at = authority.rfind('@');
    if (at != std::string::npos) {
        userinfo = authority.substr(0, at + 1);
        authority = authority.substr(at + 1);
    }
    // Port: after the last ':' that is not inside an IPv6 literal.
    std::string host = authority;
    std::string port;
    const auto colon = authority.rfind(':');
    const auto bracket = authority.rfind(']');
    if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
    }
    if ((scheme == "https" && port == "443") || (scheme == "http" && port == "80") ||
        port.empty()) {
        port.clear();
    }
    std::string path = parts->path;
    if (!path.empty() && path.back() == '/') path.pop_back();
    return scheme + "://" + userinfo + lower(host) + (port.empty() ? "" : ":" + port) + path;
}

}  // namespace mcph::auth
