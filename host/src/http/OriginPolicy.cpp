#include "http/OriginPolicy.h"

#include "config/UrlChecks.h"

#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/URI.h>

namespace mcph::http {

std::string normalizeOrigin(const std::string& origin) {
    std::string problem;
    return config::normalizeOrigin(origin, problem).value_or("");
}

std::string hostOfHostHeader(const std::string& hostHeader) {
    std::string h = Poco::toLower(Poco::trim(hostHeader));
    if (!h.empty() && h[0] == '[') {
        auto close = h.find(']');
        return close == std::string::npos ? std::string() : h.substr(1, close - 1);
    }
    auto colon = h.find(':');
    return colon == std::string::npos ? h : h.substr(0, colon);
}

OriginPolicy::OriginPolicy(const std::vector<std::string>& allowedOrigins, const std::string& publicUrl, bool loopbackBind)
    : loopbackBind_(loopbackBind) {
    for (const auto& o : allowedOrigins) {
        auto n = normalizeOrigin(o);
        if (!n.empty()) allowed_.push_back(n);
    }
    try {
        Poco::URI uri(publicUrl);
        publicHost_ = Poco::toLower(uri.getHost());
        auto own = normalizeOrigin(uri.getScheme() + "://" + uri.getAuthority());
        if (!own.empty()) allowed_.push_back(own);
    } catch (const Poco::Exception&) {
    }
}

bool OriginPolicy::originAllowed(const std::string& originHeader) const {
    if (originHeader.empty()) return true;
    const std::string n = normalizeOrigin(originHeader);  // "null" and junk normalize to ""
    if (n.empty()) return false;
    for (const auto& a : allowed_) {
        if (a == n) return true;
    }
    return false;
}

bool OriginPolicy::hostAllowed(const std::string& hostHeader) const {
    if (!loopbackBind_) return true;  // behind a load balancer the Host is the public name; auth guards it
    const std::string host = hostOfHostHeader(hostHeader);
    if (host.empty()) return false;
    return config::isLoopbackHost(host) || host == publicHost_;
}

}  // namespace mcph::http
