#include "config/IpNetwork.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace mcph::config {

namespace {

constexpr std::array<unsigned char, 12> kIpv4MappedPrefix = {0, 0, 0, 0, 0,    0,
                                                             0, 0, 0, 0, 0xff, 0xff};

std::optional<int> parsePrefix(const std::string& digits) {
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    return std::stoi(digits);
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(const std::string& text) {
    // inet_pton stops at a NUL, so "10.0.0.1\0junk" would otherwise read as 10.0.0.1.
    if (text.empty() || text.find('\0') != std::string::npos) return std::nullopt;
    IpAddress out;
    if (inet_pton(AF_INET, text.c_str(), out.bytes.data()) == 1) return out;
    if (inet_pton(AF_INET6, text.c_str(), out.bytes.data()) != 1) return std::nullopt;
    if (std::equal(kIpv4MappedPrefix.begin(), kIpv4MappedPrefix.end(), out.bytes.begin())) {
        std::array<unsigned char, 16> v4{};
        std::copy(out.bytes.begin() + 12, out.bytes.end(), v4.begin());
        out.bytes = v4;
        return out;
    }
    out.v6 = true;
    return out;
}

std::string IpAddress::toString() const {
    char buffer[INET6_ADDRSTRLEN] = {};
    inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buffer, sizeof buffer);
    return buffer;
}

IpAddress IpAddress::masked(int prefixBits) const {
    IpAddress out = *this;
    for (int i = 0; i < bits() / 8; ++i) {
        const int keep = std::clamp(prefixBits - i * 8, 0, 8);
        out.bytes[i] &= static_cast<unsigned char>(0xff00 >> keep);
    }
    return out;
}

std::optional<IpNetwork> IpNetwork::parse(const std::string& text, std::string& problem) {
    const std::size_t slash = text.find('/');
    const std::string addressText = text.substr(0, slash);
    std::optional<IpAddress> base = IpAddress::parse(addressText);
    if (!base) {
        problem = "expected an IP address or a CIDR block such as 10.0.0.0/8 or fd00::/8";
        if (!addressText.empty() && addressText.front() == '[')
            problem += " (write IPv6 without brackets)";
        return std::nullopt;
    }
    if (slash == std::string::npos) return IpNetwork(*base, base->bits());
    std::optional<int> prefix = parsePrefix(text.substr(slash + 1));
    // An IPv4-mapped block (::ffff:10.0.0.0/104) is the IPv4 block it maps.
    const bool mapped = !base->v6 && addressText.find(':') != std::string::npos;
    if (prefix && mapped) *prefix -= 96;
    if (!prefix || *prefix < 0 || *prefix > base->bits()) {
        problem = mapped
                      ? "expected a prefix length between 96 and 128 after an IPv4-mapped address"
                      : "expected a prefix length between 0 and " + std::to_string(base->bits()) +
                            " after the /";
        return std::nullopt;
    }
    if (!(base->masked(*prefix) == *base)) {
        problem = "expected no address bits set past the prefix length (did you mean " +
                  base->masked(*prefix).toString() + "/" + std::to_string(*prefix) + "?)";
        return std::nullopt;
    }
    return IpNetwork(*base, *prefix);
}

bool IpNetwork::contains(const IpAddress& address) const {
    return address.v6 == base_.v6 && address.masked(prefixBits_) == base_;
}

std::string IpNetwork::toString() const {
    return base_.toString() + "/" + std::to_string(prefixBits_);
}

}  // namespace mcph::config
