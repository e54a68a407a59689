#pragma once
// IP addresses and networks as server.trustedProxies lists them, and the arithmetic the
// transport needs on them (is a peer a trusted proxy, which /64 does an IPv6 client sit in).
// It lives in config/ because the config checks these values and http/ uses them (http may
// include config, not the other way round).
#include <array>
#include <optional>
#include <string>

namespace mcph::config {

/// Which header a trusted proxy names the client in. Exactly one is read: a proxy that appends
/// to one passes the other through from the client untouched, so reading both would let a
/// client pick its own address.
enum class ForwardedHeader { XForwardedFor, Forwarded };

// An IPv4 or IPv6 address as bytes. An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is read as the
// IPv4 address, so a client that reaches a dual-stack socket has one form only.
struct IpAddress {
    bool v6 = false;
    std::array<unsigned char, 16> bytes{};  // IPv4 uses the first 4

    // A literal without brackets, port or zone ("192.0.2.1", "2001:db8::1"); nullopt otherwise.
    static std::optional<IpAddress> parse(const std::string& text);
    std::string toString() const;
    int bits() const { return v6 ? 128 : 32; }
    // This address with every bit past the first `prefixBits` cleared.
    IpAddress masked(int prefixBits) const;
    bool operator==(const IpAddress& other) const { return v6 == other.v6 && bytes == other.bytes; }
};

// An address ("10.0.0.7", a /32 or /128 of its own) or a CIDR block ("10.0.0.0/8", "fd00::/8").
class IpNetwork {
  public:
    // nullopt with `problem` set ("expected ...", for "<key>: <problem>, got <value>") when `text`
    // is neither; a block with bits set past its prefix
    // ("10.0.0.1/8") is refused too, since it most likely hides a typo.
    static std::optional<IpNetwork> parse(const std::string& text, std::string& problem);

    bool contains(const IpAddress& address) const;
    std::string toString() const;

  private:
    IpNetwork(IpAddress base, int prefixBits) : base_(base), prefixBits_(prefixBits) {}

    IpAddress base_;
    int prefixBits_;
};

}  // namespace mcph::config
