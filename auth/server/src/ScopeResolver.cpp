#include "mcphost/auth/server/ScopeResolver.h"

#include <algorithm>
#include <sstream>

namespace mcph::auth::server {

namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

ScopeResolver::ScopeResolver(std::vector<std::string> supported, std::vector<std::string> defaults)
    : supported_(std::move(supported)) {
    for (auto& d : defaults.empty() ? supported_ : defaults) {
        if (contains(supported_, d) && !contains(defaults_, d)) defaults_.push_back(d);
    }
}

bool ScopeResolver::isScopeToken(const std::string& token) {
    return !token.empty() && std::all_of(token.begin(), token.end(), [](unsigned char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
    });
}

std::string ScopeResolver::join(const std::vector<std::string>& scopes) {
    std::string out;
    for (const auto& s : scopes) out += (out.empty() ? "" : " ") + s;
    return out;
}

ScopeResolution ScopeResolver::resolve(const std::string& scopeParam) const {
    ScopeResolution r;
    // Split on single spaces as RFC 6749 writes it, but tolerate runs of spaces: an empty
    // token between two spaces is just skipped.
    std::istringstream in(scopeParam);
    std::string token;
    while (std::getline(in, token, ' ')) {
        if (token.empty()) continue;
        if (isScopeToken(token) && contains(supported_, token)) {
            if (!contains(r.granted, token)) r.granted.push_back(token);
        } else if (!contains(r.dropped, token)) {
            r.dropped.push_back(token);
        }
    }
    if (r.granted.empty()) {
        r.granted = defaults_;
        r.usedDefaults = true;
    }
    return r;
}

}  // namespace mcph::auth::server
