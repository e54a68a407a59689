#include "config/UrlChecks.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace mcph::config {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isHex(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// inet_pton reads a C string: text with an embedded NUL would be judged by what precedes it
// ("127.0.0.1\0.evil.example" as loopback), so such text is never an address.
bool hasNul(const std::string& s) { return s.find('\0') != std::string::npos; }

bool isIpv4(const std::string& s) {
    if (hasNul(s)) return false;
    in_addr addr{};
    return inet_pton(AF_INET, s.c_str(), &addr) == 1;
}

bool isIpv6(const std::string& s) {
    if (hasNul(s)) return false;
    in6_addr addr{};
    return inet_pton(AF_INET6, s.c_str(), &addr) == 1;
}

bool isHostName(const std::string& s) {
    if (s.empty() || s.size() > 253) {
        return false;
    }
    std::size_t labelStart = 0;
    for (std::size_t i = 0; i <= s.size(); ++i) {
        if (i < s.size() && s[i] != '.') {
            // '_' is not valid in DNS host names but common in container service names.
            if (!isAlpha(s[i]) && !isDigit(s[i]) && s[i] != '-' && s[i] != '_') {
                return false;
            }
            continue;
        }
        const std::size_t length = i - labelStart;
        const bool last = i == s.size();
        if (length == 0 && !(last && labelStart > 0)) {  // a single trailing dot is allowed
            return false;
        }
        if (length > 63 || (length > 0 && (s[labelStart] == '-' || s[i - 1] == '-'))) {
            return false;
        }
        labelStart = i + 1;
    }
    // A name made only of digits and dots is a malformed IPv4 address, not a host name.
    return !std::all_of(s.begin(), s.end(), [](char c) { return isDigit(c) || c == '.'; });
}

bool isValidPath(const std::string& path) {
    static const char* const allowed = "-._~!$&'()*+,;=:@/";
    for (std::size_t i = 0; i < path.size(); ++i) {
        const char c = path[i];
        if (c == '%') {
            if (i + 2 >= path.size() || !isHex(path[i + 1]) || !isHex(path[i + 2])) {
                return false;
            }
            i += 2;
        } else if (!isAlpha(c) && !isDigit(c) && std::strchr(allowed, c) == nullptr) {
            return false;
        }
    }
    return true;
}

std::string hostForUrl(const std::string& host) {
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

bool isLoopbackHost(const std::string& host) {
    const std::string h = lower(host);
    if (hasNul(h)) return false;
    if (h == "localhost" || h == "localhost.") {
        return true;
    }
    in_addr v4{};
    if (inet_pton(AF_INET, h.c_str(), &v4) == 1) {
        return (ntohl(v4.s_addr) >> 24) == 127;
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) {
        static const unsigned char loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        static const unsigned char mappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        return std::memcmp(v6.s6_addr, loopback, 16) == 0 ||
               (std::memcmp(v6.s6_addr, mappedPrefix, 12) == 0 && v6.s6_addr[12] == 127);
    }
    return false;
}

bool isWildcardHost(const std::string& host) {
    if (hasNul(host)) return false;
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
        return v4.s_addr == 0;
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
        static const unsigned char any[16] = {};
        return std::memcmp(v6.s6_addr, any, 16) == 0;
    }
    return false;
}

bool isValidHost(const std::string& host) {
    return isIpv4(host) || isIpv6(host) || isHostName(host);
}

std::optional<ParsedUrl> parseAbsoluteUrl(const std::string& text, std::string& problem) {
    const std::size_t sep = text.find("://");
    if (sep == std::string::npos || sep == 0 || !isAlpha(text[0]) ||
        !std::all_of(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(sep), [](char c) {
            return isAlpha(c) || isDigit(c) || c == '+' || c == '-' || c == '.';
        })) {
        problem = "not an absolute URL";
        return std::nullopt;
    }
    ParsedUrl url;
    url.scheme = lower(text.substr(0, sep));
    const std::size_t authorityStart = sep + 3;
    const std::size_t authorityEnd = text.find_first_of("/?#", authorityStart);
    const std::string authority = text.substr(authorityStart, authorityEnd - authorityStart);
    const std::string rest = authorityEnd == std::string::npos ? "" : text.substr(authorityEnd);
    if (authority.find('@') != std::string::npos) {
        problem = "must not contain user information (user:password@)";
        return std::nullopt;
    }
    if (rest.find('?') != std::string::npos) {
        problem = "must not contain a query";
        return std::nullopt;
    }
    if (rest.find('#') != std::string::npos) {
        problem = "must not contain a fragment";
        return std::nullopt;
    }
    std::string hostText = authority;
    std::optional<std::string> portText;  // set when a ':' introduces a port, even an empty one
    if (!authority.empty() && authority[0] == '[') {
        const std::size_t close = authority.find(']');
        hostText = close == std::string::npos ? "" : authority.substr(1, close - 1);
        if (close == std::string::npos || !isIpv6(hostText)) {
            problem = "invalid IPv6 address in brackets";
            return std::nullopt;
        }
        const std::string after = authority.substr(close + 1);
        if (!after.empty() && after[0] != ':') {
            problem = "unexpected characters after the IPv6 address";
            return std::nullopt;
        }
        if (!after.empty()) {
            portText = after.substr(1);
        }
    } else {
        const std::size_t colon = authority.rfind(':');
        if (colon != std::string::npos) {
            hostText = authority.substr(0, colon);
            portText = authority.substr(colon + 1);
        }
        if (!isValidHost(hostText) || isIpv6(hostText)) {
            problem = "not a valid host name or IP address in the URL";
            return std::nullopt;
        }
    }
    url.host = lower(hostText);
    if (portText) {
        const bool digits = !portText->empty() && portText->size() <= 5 &&
                            std::all_of(portText->begin(), portText->end(), isDigit);
        const int port = digits ? std::stoi(*portText) : 0;
        if (port < 1 || port > 65535) {
            problem = "invalid port (expected 1 to 65535)";
            return std::nullopt;
        }
        url.port = port;
    }
    if (!isValidPath(rest)) {
        problem = "invalid character in the URL path (percent-encode it)";
        return std::nullopt;
    }
    url.path = rest;
    return url;
}

std::optional<std::string> normalizePublicUrl(const std::string& text, std::string& problem) {
    std::optional<ParsedUrl> url = parseAbsoluteUrl(text, problem);
    if (url && url->scheme != "http" && url->scheme != "https") {
        problem = "not an absolute http(s) URL";
        return std::nullopt;
    }
    if (!url) {
        if (problem == "not an absolute URL") {
            problem = "not an absolute http(s) URL";
        }
        return std::nullopt;
    }
    std::string path = url->path;
    while (!path.empty() && path.back() == '/') {
        path.pop_back();
    }
    std::string out = url->scheme + "://" + hostForUrl(url->host);
    if (url->port != 0) {
        out += ":" + std::to_string(url->port);
    }
    return out + path;
}

std::optional<std::string> normalizeOrigin(const std::string& text, std::string& problem) {
    if (text == "*") {
        problem =
            "the wildcard \"*\" is not allowed: list each origin explicitly "
            "(scheme://host[:port])";
        return std::nullopt;
    }
    if (text == "null") {
        problem = "the \"null\" origin (sandboxed or file: pages) is not allowed";
        return std::nullopt;
    }
    std::optional<ParsedUrl> url = parseAbsoluteUrl(text, problem);
    if (!url) {
        if (problem == "not an absolute URL") {
            problem = "not an origin of the form scheme://host[:port]";
        }
        return std::nullopt;
    }
    if (url->scheme != "http" && url->scheme != "https") {
        problem = "only http and https origins are supported";
        return std::nullopt;
    }
    if (!url->path.empty()) {
        problem = "an origin has no path: write scheme://host[:port] without a trailing \"/\"";
        return std::nullopt;
    }
    const bool defaultPort =
        (url->scheme == "http" && url->port == 80) || (url->scheme == "https" && url->port == 443);
    std::string out = url->scheme + "://" + hostForUrl(url->host);
    if (url->port != 0 && !defaultPort) {
        out += ":" + std::to_string(url->port);
    }
    return out;
}

std::optional<std::string> mcpPathProblem(const std::string& path) {
    if (path.empty() || path.front() != '/') {
        return std::string("must start with \"/\"");
    }
    if (path == "/") {
        return std::string("must name a path such as \"/mcp\", not \"/\" alone");
    }
    if (path.find_first_of("?#") != std::string::npos) {
        return std::string("must not contain a query or fragment");
    }
    if (path.back() == '/') {
        return std::string("must not end with \"/\"");
    }
    const std::string withEnd = path + "/";
    if (withEnd.find("//") != std::string::npos || withEnd.find("/./") != std::string::npos ||
        withEnd.find("/../") != std::string::npos) {
        return std::string("must not contain empty, \".\" or \"..\" segments");
    }
    if (!isValidPath(path)) {
        return std::string("invalid character (percent-encode it)");
    }
    return std::nullopt;
}

std::string canonicalMcpUrl(const std::string& publicBaseUrl, const std::string& mcpPath) {
    std::string base = publicBaseUrl;
    while (!base.empty() && base.back() == '/') {
        base.pop_back();
    }
    if (mcpPath.empty() || mcpPath.front() != '/') {
        return base + "/" + mcpPath;
    }
    return base + mcpPath;
}

std::string publicBasePath(const std::string& publicBaseUrl) {
    std::string ignored;
    const std::optional<ParsedUrl> url = parseAbsoluteUrl(publicBaseUrl, ignored);
    if (!url) return "";
    std::string path = url->path;
    while (!path.empty() && path.back() == '/') path.pop_back();
    return path;
}

std::string derivedBaseUrl(const std::string& host, int port, bool tls) {
    std::string h = host;
    if (isWildcardHost(host)) {
        h = host.find(':') != std::string::npos ? "::1" : "127.0.0.1";
    }
    return std::string(tls ? "https" : "http") + "://" + hostForUrl(h) + ":" + std::to_string(port);
}

}  // namespace mcph::config
