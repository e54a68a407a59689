#include "mcphost/auth/server/CimdClientIdUrl.h"

#include <algorithm>
#include <cctype>

namespace mcph::auth::server {

namespace {

std::optional<CimdClientIdUrl> refuse(std::string* reason, const char* why) {
    if (reason) *reason = why;
    return std::nullopt;
}

bool isHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// A path segment that is "." or ".." once %2e / %2E are decoded.
bool isDotSegment(const std::string& segment) {
    std::string decoded;
    for (std::size_t i = 0; i < segment.size(); ++i) {
        if (segment[i] == '%' && i + 2 < segment.size() && segment[i + 1] == '2' &&
            (segment[i + 2] == 'e' || segment[i + 2] == 'E')) {
            decoded += '.';
            i += 2;
        } else {
            decoded += segment[i];
        }
    }
    return decoded == "." || decoded == "..";
}

bool validRegName(const std::string& host) {
    if (host.empty() || host.size() > 253 || host.front() == '.' || host.front() == '-')
        return false;
    if (host.find("..") != std::string::npos) return false;
    return std::all_of(host.begin(), host.end(),
                       [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '.'; });
}

bool allDigitsAndDots(const std::string& host) {
    return std::all_of(host.begin(), host.end(),
                       [](unsigned char c) { return std::isdigit(c) || c == '.'; });
}

}  // namespace

bool CimdClientIdUrl::looksLikeUrl(const std::string& clientId) {
    return clientId.rfind("https://", 0) == 0 || clientId.rfind("http://", 0) == 0;
}

std::optional<CimdClientIdUrl> CimdClientIdUrl::parse(const std::string& text, bool allowHttp,
                                                      std::string* reason) {
    if (text.size() > kMaxLength) return refuse(reason, "client id URL too long");
    for (unsigned char c : text) {
        if (c <= 0x20 || c >= 0x7f || c == '\\') {
            return refuse(
                reason,
                "client id URL contains whitespace, control, backslash or non-ASCII characters");
        }
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' &&
            (i + 2 >= text.size() || !isHex(text[i + 1]) || !isHex(text[i + 2]))) {
            return refuse(reason, "client id URL has a malformed percent escape");
        }
    }
    if (text.find('#') != std::string::npos) return refuse(reason, "client id URL has a fragment");

    CimdClientIdUrl u;
    u.url = text;
    std::string rest;
    if (text.rfind("https://", 0) == 0) {
        u.scheme = "https";
        u.port = 443;
        rest = text.substr(8);
    } else if (text.rfind("http://", 0) == 0 && allowHttp) {
        u.scheme = "http";
        u.port = 80;
        rest = text.substr(7);
    } else {
        return refuse(reason, "client id URL must use https");
    }

    const auto authorityEnd = rest.find_first_of("/?");
    u.authority = rest.substr(0, authorityEnd);
    std::string target = authorityEnd == std::string::npos ? "" : rest.substr(authorityEnd);
    if (u.authority.find('@') != std::string::npos)
        return refuse(reason, "client id URL has userinfo");
    if (u.authority.empty()) return refuse(reason, "client id URL has no host");

    std::string portText;
    if (u.authority.front() == '[') {
        const auto close = u.authority.find(']');
        if (close == std::string::npos || close < 3)
            return refuse(reason, "client id URL has a malformed host");
        u.host = u.authority.substr(1, close - 1);
        // Hex digits, colons and dots only: no zone ids.
        if (!std::all_of(u.host.begin(), u.host.end(), [](unsigned char c) {
                return std::isxdigit(c) || c == ':' || c == '.';
            })) {
            return refuse(reason, "client id URL has a malformed host");
        }
        u.hostIsIpLiteral = true;
        const std::string after = u.authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return refuse(reason, "client id URL has a malformed host");
            portText = after.substr(1);
            if (portText.empty()) return refuse(reason, "client id URL has a malformed port");
        }
    } else {
        const auto colon = u.authority.find(':');
        u.host = u.authority.substr(0, colon);
        if (colon != std::string::npos) {
            portText = u.authority.substr(colon + 1);
            if (portText.empty()) return refuse(reason, "client id URL has a malformed port");
        }
        if (!validRegName(u.host)) return refuse(reason, "client id URL has a malformed host");
        // All digits and dots: an IPv4 literal, which must then be a complete dotted quad (no
        // "127.1" or decimal forms that resolvers read in surprising ways).
        if (allDigitsAndDots(u.host)) {
            int dots = static_cast<int>(std::count(u.host.begin(), u.host.end(), '.'));
            if (dots != 3 || u.host.back() == '.')
                return refuse(reason, "client id URL has a malformed host");
            u.hostIsIpLiteral = true;
        }
    }
    if (!portText.empty()) {
        if (portText.size() > 5 || !std::all_of(portText.begin(), portText.end(),
                                                [](unsigned char c) { return std::isdigit(c); })) {
            return refuse(reason, "client id URL has a malformed port");
        }
        const long port = std::stol(portText);
        if (port < 1 || port > 65535) return refuse(reason, "client id URL has a malformed port");
        u.port = static_cast<std::uint16_t>(port);
    }

    const std::string path = target.substr(0, target.find('?'));
    if (path.size() <= 1) return refuse(reason, "client id URL has no path");
    std::size_t start = 1;
    while (start <= path.size()) {
        const auto slash = path.find('/', start);
        const std::string segment =
            path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (isDotSegment(segment)) return refuse(reason, "client id URL has a dot segment");
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    u.target = std::move(target);
    return u;
}

}  // namespace mcph::auth::server
