#include "http/OriginPolicy.h"

#include <Poco/Net/IPAddress.h>
#include <Poco/String.h>
#include <Poco/URI.h>

namespace mcph::http {

std::string normalizeOrigin(const std::string& origin) {
    try {
        Poco::URI uri(origin);
        const std::string scheme = Poco::toLower(uri.getScheme());
        if ((scheme != "http" && scheme != "https") || uri.getHost().empty()) return "";
        if (!uri.getUserInfo().empty() || !uri.getQuery().empty() || !uri.getFragment().empty()) return "";
        if (!uri.getPath().empty() && uri.getPath() != "/") return "";
        std::string host = Poco::toLower(uri.getHost());
        if (host.find(':') != std::string::npos) host = "[" + host + "]";
        std::string out = scheme + "://" + host;
        const unsigned short defaultPort = scheme == "https" ? 443 : 80;
        if (uri.getPort() != defaultPort) out += ":" + std::to_string(uri.getPort());
        return out;
    } catch (const Poco::Exception&) {
        return "";
    }
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

bool isLoopbackName(const std::string& host) {
    if (host == "localhost") return true;
    Poco::Net::IPAddress addr;
    return Poco::Net::IPAddress::tryParse(host, addr) && addr.isLoopback();
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
    return isLoopbackName(host) || host == publicHost_;
}

}  // namespace mcph::http
