#include "mcphost/auth/server/CimdAddressPolicy.h"

#include <cstdint>
#include <cstring>
#include <initializer_list>

namespace mcph::auth::server {

namespace {

bool inV4(std::uint32_t a, std::uint32_t network, int prefix) {
    const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
    return (a & mask) == (network & mask);
}

constexpr std::uint32_t v4(unsigned a, unsigned b, unsigned c, unsigned d) {
    return (a << 24) | (b << 16) | (c << 8) | d;
}

AddressClass classifyV4(std::uint32_t a) {
    if (inV4(a, v4(0, 0, 0, 0), 8)) return AddressClass::Unspecified;
    if (inV4(a, v4(127, 0, 0, 0), 8)) return AddressClass::Loopback;
    if (inV4(a, v4(10, 0, 0, 0), 8) || inV4(a, v4(172, 16, 0, 0), 12) ||
        inV4(a, v4(192, 168, 0, 0), 16)) {
        return AddressClass::Private;
    }
    if (inV4(a, v4(100, 64, 0, 0), 10)) return AddressClass::SharedCgnat;
    if (inV4(a, v4(169, 254, 0, 0), 16)) return AddressClass::LinkLocal;
    if (inV4(a, v4(224, 0, 0, 0), 4)) return AddressClass::Multicast;
    if (inV4(a, v4(192, 0, 0, 0), 24)        // IETF protocol assignments
        || inV4(a, v4(192, 0, 2, 0), 24)     // TEST-NET-1
        || inV4(a, v4(192, 88, 99, 0), 24)   // 6to4 relay anycast
        || inV4(a, v4(198, 18, 0, 0), 15)    // benchmarking
        || inV4(a, v4(198, 51, 100, 0), 24)  // TEST-NET-2
        || inV4(a, v4(203, 0, 113, 0), 24)   // TEST-NET-3
        || inV4(a, v4(240, 0, 0, 0), 4)) {   // reserved, and 255.255.255.255
        return AddressClass::Reserved;
    }
    return AddressClass::Public;
}

bool prefixIs(const std::uint8_t* b, std::initializer_list<std::uint8_t> head) {
    std::size_t i = 0;
    for (std::uint8_t h : head) {
        if (b[i++] != h) return false;
    }
    return true;
}

std::uint32_t embeddedV4(const std::uint8_t* b) {
    return (std::uint32_t{b[12]} << 24) | (std::uint32_t{b[13]} << 16) |
           (std::uint32_t{b[14]} << 8) | b[15];
}

AddressClass classifyV6(const std::uint8_t* b) {
    static const std::uint8_t zero[16] = {};
    if (std::memcmp(b, zero, 16) == 0) return AddressClass::Unspecified;
    if (std::memcmp(b, zero, 15) == 0 && b[15] == 1) return AddressClass::Loopback;
    // ::ffff:a.b.c.d and the NAT64 well-known prefix 64:ff9b::/96 reach an IPv4 address.
    if (std::memcmp(b, zero, 10) == 0 && b[10] == 0xff && b[11] == 0xff)
        return classifyV4(embeddedV4(b));
    if (prefixIs(b, {0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0}))
        return classifyV4(embeddedV4(b));
    if (b[0] == 0xff) return AddressClass::Multicast;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return AddressClass::LinkLocal;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return AddressClass::Private;  // site-local
    if ((b[0] & 0xfe) == 0xfc) return AddressClass::UniqueLocal;
    if ((b[0] & 0xe0) != 0x20) return AddressClass::Reserved;  // not global unicast 2000::/3
    if (prefixIs(b, {0x20, 0x01}) && b[2] <= 0x01)
        return AddressClass::Reserved;  // 2001::/23 (Teredo, ORCHID, ...)
    if (prefixIs(b, {0x20, 0x01, 0x0d, 0xb8})) return AddressClass::Reserved;  // documentation
    if (prefixIs(b, {0x20, 0x02})) return AddressClass::Reserved;              // 6to4
    if (prefixIs(b, {0x3f, 0xff}) && (b[2] & 0xf0) == 0)
        return AddressClass::Reserved;  // 3fff::/20 documentation
    return AddressClass::Public;
}

}  // namespace

AddressClass CimdAddressPolicy::classify(const Poco::Net::IPAddress& address) {
    if (address.family() == Poco::Net::IPAddress::IPv4) {
        std::uint8_t b[4];
        std::memcpy(b, address.addr(), 4);
        return classifyV4((std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) |
                          (std::uint32_t{b[2]} << 8) | b[3]);
    }
    if (address.length() != 16) return AddressClass::Reserved;  // unknown shape: refuse
    std::uint8_t b[16];
    std::memcpy(b, address.addr(), 16);
    return classifyV6(b);
}

const char* CimdAddressPolicy::describe(AddressClass c) {
    switch (c) {
        case AddressClass::Public:
            return "public";
        case AddressClass::Unspecified:
            return "unspecified";
        case AddressClass::Loopback:
            return "loopback";
        case AddressClass::Private:
            return "private";
        case AddressClass::SharedCgnat:
            return "shared (CGNAT)";
        case AddressClass::LinkLocal:
            return "link-local";
        case AddressClass::Multicast:
            return "multicast";
        case AddressClass::UniqueLocal:
            return "unique-local";
        case AddressClass::Reserved:
            return "reserved";
    }
    return "reserved";
}

}  // namespace mcph::auth::server
