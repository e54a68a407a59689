// server.trustedProxies: addresses and CIDR blocks of both families are read, anything else is a
// config error naming the entry; IpNetwork's arithmetic (IPv4-mapped addresses, prefixes).
#include <gtest/gtest.h>

#include "config/IpNetwork.h"
#include "config_test_support.h"

using namespace mcph::config;
using test::load;

namespace {

IpAddress ip(const std::string& text) {
    std::optional<IpAddress> a = IpAddress::parse(text);
    EXPECT_TRUE(a) << text;
    return a.value_or(IpAddress{});
}

IpNetwork net(const std::string& text) {
    std::string problem;
    std::optional<IpNetwork> n = IpNetwork::parse(text, problem);
    EXPECT_TRUE(n) << text << ": " << problem;
    return n ? *n : *IpNetwork::parse("0.0.0.0/32", problem);
}

}  // namespace

TEST(ConfigTrustedProxies, AddressesAndBlocksOfBothFamiliesAreRead) {
    const LoadResult r = load(R"({"server": {"trustedProxies":
        ["10.0.0.0/8", "192.0.2.7", "fd00::/8", "2001:db8::1", "::ffff:172.16.0.0/108"]}})");
    ASSERT_TRUE(r.ok()) << r.errors.front();
    std::vector<std::string> read;
    for (const IpNetwork& n : r.config.server.trustedProxies) read.push_back(n.toString());
    EXPECT_EQ(read, (std::vector<std::string>{"10.0.0.0/8", "192.0.2.7/32", "fd00::/8",
                                              "2001:db8::1/128", "172.16.0.0/12"}));
}

TEST(ConfigTrustedProxies, EveryBadEntryIsAnErrorNamingIt) {
    const LoadResult r = load(R"({"server": {"trustedProxies":
        ["10.0.0.0/33", "proxy.example.com", "[::1]", "10.0.0.1/8", "fd00::/129", "10.0.0.0/", "::ffff:10.0.0.0/8",
         "10.0.0.0/8"]}})");
    EXPECT_EQ(r.errors, (test::Lines{"t.json: server.trustedProxies[0]: expected a prefix length "
                                     "between 0 and 32 after the /, got "
                                     "\"10.0.0.0/33\"",
                                     "t.json: server.trustedProxies[1]: expected an IP address or "
                                     "a CIDR block such as 10.0.0.0/8 or "
                                     "fd00::/8, got \"proxy.example.com\"",
                                     "t.json: server.trustedProxies[2]: expected an IP address or "
                                     "a CIDR block such as 10.0.0.0/8 or "
                                     "fd00::/8 (write IPv6 without brackets), got \"[::1]\"",
                                     "t.json: server.trustedProxies[3]: expected no address bits "
                                     "set past the prefix length (did you "
                                     "mean 10.0.0.0/8?), got \"10.0.0.1/8\"",
                                     "t.json: server.trustedProxies[4]: expected a prefix length "
                                     "between 0 and 128 after the /, got "
                                     "\"fd00::/129\"",
                                     "t.json: server.trustedProxies[5]: expected a prefix length "
                                     "between 0 and 32 after the /, got "
                                     "\"10.0.0.0/\"",
                                     "t.json: server.trustedProxies[6]: expected a prefix length "
                                     "between 96 and 128 after an "
                                     "IPv4-mapped address, got \"::ffff:10.0.0.0/8\""}));
    EXPECT_EQ(
        load(R"({"server": {"trustedProxies": "10.0.0.0/8"}})").errors,
        (test::Lines{
            "t.json: server.trustedProxies: expected an array of strings, got \"10.0.0.0/8\""}));
}

TEST(ConfigTrustedProxies, NetworksContainWhatTheirPrefixCovers) {
    EXPECT_TRUE(net("10.0.0.0/8").contains(ip("10.255.1.2")));
    EXPECT_FALSE(net("10.0.0.0/8").contains(ip("11.0.0.1")));
    EXPECT_TRUE(net("192.0.2.7").contains(ip("192.0.2.7")));
    EXPECT_FALSE(net("192.0.2.7").contains(ip("192.0.2.8")));
    EXPECT_TRUE(net("172.16.0.0/12").contains(ip("172.31.255.255")));
    EXPECT_FALSE(net("172.16.0.0/12").contains(ip("172.32.0.0")));
    EXPECT_TRUE(net("fd00::/8").contains(ip("fd12:3456::1")));
    EXPECT_FALSE(net("fd00::/8").contains(ip("fe80::1")));
    EXPECT_TRUE(net("0.0.0.0/0").contains(ip("203.0.113.9")));
    EXPECT_FALSE(net("0.0.0.0/0").contains(ip("2001:db8::1")));  // families never mix
    // An IPv4 client on a dual-stack socket shows up IPv4-mapped: it is the IPv4 address.
    EXPECT_TRUE(net("127.0.0.1").contains(ip("::ffff:127.0.0.1")));
    EXPECT_EQ(ip("::ffff:192.0.2.1").toString(), "192.0.2.1");
    EXPECT_FALSE(
        IpAddress::parse(std::string("10.0.0.1\0junk", 13)));  // inet_pton would stop at the NUL
    EXPECT_FALSE(IpAddress::parse("fe80::1%eth0"));
    EXPECT_EQ(ip("2001:db8:1:2:3:4:5:6").masked(64).toString(), "2001:db8:1:2::");
    EXPECT_EQ(ip("10.1.2.3").masked(20).toString(), "10.1.0.0");
}

TEST(ConfigTrustedProxies, OneForwardedHeaderIsChosen) {
    EXPECT_EQ(load(R"({"server": {}})").config.server.forwardedHeader, ForwardedHeader::XForwardedFor);
    EXPECT_EQ(load(R"({"server": {"forwardedHeader": "Forwarded"}})").config.server.forwardedHeader,
              ForwardedHeader::Forwarded);
    EXPECT_EQ(load(R"({"server": {"forwardedHeader": "X-Real-IP"}})").errors,
              (test::Lines{"t.json: server.forwardedHeader: expected \"X-Forwarded-For\" or \"Forwarded\", got \"X-Real-IP\""}));
}
