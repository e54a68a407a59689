#include "http/ClientAddress.h"

#include <Poco/String.h>

#include <optional>
#include <utility>

namespace mcph::http {

namespace {

using config::IpAddress;

bool isSpace(char c) { return c == ' ' || c == '\t'; }

std::string trimmed(const std::string& s) {
    std::size_t begin = 0, end = s.size();
    while (begin < end && isSpace(s[begin])) ++begin;
    while (end > begin && isSpace(s[end - 1])) --end;
    return s.substr(begin, end - begin);
}

bool isTokenChar(char c) {
    static const std::string extra = "!#$%&'*+-.^_`|~";
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           extra.find(c) != std::string::npos;
}

bool isPort(const std::string& s) {
    if (s.empty() || s.size() > 5) return false;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return std::stoi(s) <= 65535;
}

// Every value of header `name` as one list (repeating a list header is the same as joining its
// values with commas, RFC 9110 §5.3); nullopt when the header is absent.
std::optional<std::string> listHeader(const Poco::Net::NameValueCollection& headers,
                                      const std::string& name) {
    std::optional<std::string> out;
    for (const auto& [key, value] : headers) {
        if (Poco::icompare(key, name) != 0) continue;
        out = out ? *out + "," + value : value;
    }
    return out;
}

// A hop as proxies write it: "192.0.2.1", "192.0.2.1:443", "[2001:db8::1]", "[2001:db8::1]:443"
// and, in X-Forwarded-For, a bare "2001:db8::1". nullopt for "unknown", obfuscated names and
// anything else.
std::optional<IpAddress> parseNode(const std::string& node) {
    if (!node.empty() && node.front() == '[') {
        const std::size_t close = node.find(']');
        if (close == std::string::npos) return std::nullopt;
        const std::string rest = node.substr(close + 1);
        if (!rest.empty() && !(rest.front() == ':' && isPort(rest.substr(1)))) return std::nullopt;
        std::optional<IpAddress> address = IpAddress::parse(node.substr(1, close - 1));
        if (!address || !address->v6) return std::nullopt;
        return address;
    }
    const std::size_t colon = node.find(':');
    if (colon != std::string::npos && node.find(':', colon + 1) == std::string::npos) {
        if (!isPort(node.substr(colon + 1))) return std::nullopt;
        std::optional<IpAddress> address = IpAddress::parse(node.substr(0, colon));
        if (!address || address->v6) return std::nullopt;
        return address;
    }
    return IpAddress::parse(node);
}

// The for= values of a Forwarded header (RFC 7239 §4), left to right, with "" for an element
// that has none; nullopt when the header does not follow the grammar.
std::optional<std::vector<std::string>> forwardedFor(const std::string& header) {
    std::vector<std::string> hops;
    std::optional<std::string> hop;  // the current element's for=
    bool elementEmpty = true;
    std::size_t i = 0;
    const std::size_t n = header.size();
    auto skipSpace = [&] {
        while (i < n && isSpace(header[i])) ++i;
    };
    while (true) {
        skipSpace();
        if (i == n || header[i] == ',') {
            // Empty list elements are allowed and mean nothing (RFC 9110 §5.6.1).
            if (!elementEmpty) hops.push_back(hop.value_or(""));
            if (i == n) return hops;
            ++i;
            hop.reset();
            elementEmpty = true;
            continue;
        }
        if (header[i] == ';') {
            ++i;
            continue;
        }
        const std::size_t nameStart = i;
        while (i < n && isTokenChar(header[i])) ++i;
        if (i == nameStart || i == n || header[i] != '=') return std::nullopt;
        const std::string name = header.substr(nameStart, i - nameStart);
        ++i;
        std::string value;
        if (i < n && header[i] == '"') {
            for (++i; i < n && header[i] != '"'; ++i) {
                if (header[i] == '\\' && ++i == n) return std::nullopt;
                value += header[i];
            }
            if (i == n) return std::nullopt;
            ++i;
        } else {
            const std::size_t valueStart = i;
            while (i < n && isTokenChar(header[i])) ++i;
            if (i == valueStart) return std::nullopt;
            value = header.substr(valueStart, i - valueStart);
        }
        skipSpace();
        if (i < n && header[i] != ',' && header[i] != ';') return std::nullopt;
        elementEmpty = false;
        if (Poco::icompare(name, "for") == 0) {
            if (hop) return std::nullopt;  // two for= in one hop: which one is meant?
            hop = value;
        }
    }
}

std::vector<std::string> forwardedForList(const std::string& header) {
    std::vector<std::string> hops;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = header.find(',', start);
        hops.push_back(trimmed(header.substr(start, comma - start)));
        if (comma == std::string::npos) return hops;
        start = comma + 1;
    }
}

}  // namespace

bool ClientAddress::trusted(const IpAddress& address) const {
    for (const auto& network : trustedProxies_) {
        if (network.contains(address)) return true;
    }
    return false;
}

IpAddress ClientAddress::resolve(const IpAddress& peer,
                                 const Poco::Net::NameValueCollection& headers) const {
    if (!trusted(peer)) return peer;
    std::vector<std::string> hops;
    if (header_ == config::ForwardedHeader::Forwarded) {
        if (std::optional<std::string> forwarded = listHeader(headers, "Forwarded")) {
            std::optional<std::vector<std::string>> parsed = forwardedFor(*forwarded);
            if (!parsed) return peer;
            hops = std::move(*parsed);
        }
    } else if (std::optional<std::string> xff = listHeader(headers, "X-Forwarded-For")) {
        hops = forwardedForList(*xff);
    }
    std::optional<IpAddress> client;
    for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
        client = parseNode(*hop);
        if (!client) return peer;
        if (!trusted(*client)) return *client;
    }
    return client.value_or(peer);
}

std::string ClientAddress::rateLimitKey(const IpAddress& client) {
    return client.v6 ? client.masked(64).toString() + "/64" : client.toString();
}

std::string ClientAddress::rateLimitKeyOf(const Poco::Net::HTTPServerRequest& request) const {
    std::string peer = request.clientAddress().host().toString();
    // A link-local peer carries its zone ("fe80::1%eth0"); the address is what counts.
    peer = peer.substr(0, peer.find('%'));
    std::optional<IpAddress> address = IpAddress::parse(peer);
    if (!address) return peer;
    return rateLimitKey(resolve(*address, request));
}

}  // namespace mcph::http
