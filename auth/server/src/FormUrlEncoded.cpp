#include "mcphost/auth/server/FormUrlEncoded.h"

#include <algorithm>

namespace mcph::auth::server {

namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string FormUrlEncoded::decode(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0 &&
                   hexValue(text[i + 2]) >= 0) {
            out += static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

std::string FormUrlEncoded::encode(const std::string& text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                                c == '.' || c == '_' || c == '~';
        if (unreserved) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

bool FormUrlEncoded::parseInto(const std::string& text, EndpointRequest& request) {
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('&', start);
        if (end == std::string::npos) end = text.size();
        const std::string pair = text.substr(start, end - start);
        start = end + 1;
        if (pair.empty()) continue;
        const std::size_t eq = pair.find('=');
        const std::string name = decode(pair.substr(0, eq));
        const std::string value = eq == std::string::npos ? std::string() : decode(pair.substr(eq + 1));
        if (name.find('\0') != std::string::npos || value.find('\0') != std::string::npos) return false;
        if (name.empty()) continue;
        if (!request.params.emplace(name, value).second &&
            std::find(request.repeatedParams.begin(), request.repeatedParams.end(), name) == request.repeatedParams.end()) {
            request.repeatedParams.push_back(name);
        }
    }
    return true;
}

}  // namespace mcph::auth::server
