// ClientAddress: forwarding headers count only from trusted proxies, the first untrusted hop from
// the right is the client, anything malformed gives the peer, and IPv6 clients are keyed per /64.
#include <Poco/Net/NameValueCollection.h>
#include <gtest/gtest.h>

#include "http/ClientAddress.h"

using mcph::config::ForwardedHeader;
using mcph::config::IpAddress;
using mcph::config::IpNetwork;
using mcph::http::ClientAddress;

namespace {

IpAddress ip(const std::string& text) { return *IpAddress::parse(text); }

// Trusts the loopback proxy 127.0.0.1, the proxy network 10.0.0.0/8 and fd00::/8, which name
// the client in `header`.
ClientAddress behindProxies(ForwardedHeader header = ForwardedHeader::XForwardedFor) {
    std::vector<IpNetwork> trusted;
    std::string problem;
    for (const char* n : {"127.0.0.1", "10.0.0.0/8", "fd00::/8"})
        trusted.push_back(*IpNetwork::parse(n, problem));
    return ClientAddress(trusted, header);
}

// The client resolved for a request from `peer` with the given headers, as text.
std::string clientOf(const ClientAddress& clients, const std::string& peer,
                     std::initializer_list<std::pair<std::string, std::string>> headers) {
    Poco::Net::NameValueCollection h;
    for (const auto& [name, value] : headers) h.add(name, value);
    return clients.resolve(ip(peer), h).toString();
}

}  // namespace

TEST(ClientAddress, WithoutTrustedProxiesThePeerIsTheClient) {
    const ClientAddress direct({});
    EXPECT_EQ(clientOf(direct, "127.0.0.1", {{"X-Forwarded-For", "198.51.100.1"}}), "127.0.0.1");
    const ClientAddress directForwarded({}, ForwardedHeader::Forwarded);
    EXPECT_EQ(clientOf(directForwarded, "127.0.0.1", {{"Forwarded", "for=198.51.100.1"}}), "127.0.0.1");
}

TEST(ClientAddress, HeadersFromAnUntrustedPeerAreIgnored) {
    const ClientAddress clients = behindProxies();
    // A client talking to the host directly can write whatever it likes in these headers.
    EXPECT_EQ(clientOf(clients, "203.0.113.5", {{"X-Forwarded-For", "198.51.100.1"}}),
              "203.0.113.5");
    EXPECT_EQ(clientOf(clients, "203.0.113.5", {{"Forwarded", "for=198.51.100.1"}}), "203.0.113.5");
    EXPECT_EQ(clientOf(clients, "2001:db8::5", {{"Forwarded", "for=\"[2001:db8::9]\""}}),
              "2001:db8::5");
}

TEST(ClientAddress, XForwardedForIsWalkedFromTheRight) {
    const ClientAddress clients = behindProxies();
    EXPECT_EQ(clientOf(clients, "127.0.0.1", {{"X-Forwarded-For", "198.51.100.1"}}),
              "198.51.100.1");
    // The client prepended a forged hop; the proxy appended the address it really saw.
    EXPECT_EQ(clientOf(clients, "127.0.0.1", {{"X-Forwarded-For", "1.2.3.4, 198.51.100.1"}}),
              "198.51.100.1");
    // Trusted hops (a second proxy tier) are skipped.
    EXPECT_EQ(
        clientOf(clients, "127.0.0.1", {{"X-Forwarded-For", "1.2.3.4, 198.51.100.1, 10.1.2.3"}}),
        "198.51.100.1");
    // Only proxies in the chain: the leftmost is as far as anyone can see.
    EXPECT_EQ(clientOf(clients, "127.0.0.1", {{"X-Forwarded-For", "10.0.0.9,10.0.0.8"}}),
              "10.0.0.9");
    // A repeated header is one list, in order.
    EXPECT_EQ(clientOf(clients, "127.0.0.1",
                       {{"X-Forwarded-For", "1.2.3.4"}, {"X-Forwarded-For", "198.51.100.2"}}),
              "198.51.100.2");
    EXPECT_EQ(clientOf(clients, "127.0.0.1", {{"X-Forwarded-For", "2001:db8::7"}}), "2001:db8::7");
    EXPECT_EQ(clientOf(clients, "127.0.0.1", {{"X-Forwarded-For", "[2001:db8::7]:5000"}}),
              "2001:db8::7");
    EXPECT_EQ(clientOf(clients, "127.0.0.1", {{"X-Forwarded-For", "198.51.100.3:5000"}}),
              "198.51.100.3");
    EXPECT_EQ(clientOf(clients, "127.0.0.1", {{"x-forwarded-for", "::ffff:198.51.100.4"}}),
              "198.51.100.4");
}

TEST(ClientAddress, ForwardedAcceptsQuotedIpv6AndPorts) {
    const ClientAddress clients = behindProxies(ForwardedHeader::Forwarded);
    EXPECT_EQ(clientOf(clients, "127.0.0.1", {{"Forwarded", "for=198.51.100.1"}}), "198.51.100.1");
    EXPECT_EQ(clientOf(clients, "127.0.0.1", {{"Forwarded", "For=\"[2001:db8:cafe::17]:4711\""}}),
              "2001:db8:cafe::17");
    EXPECT_EQ(clientOf(clients, "127.0.0.1",
                       {{"Forwarded", "for=\"198.51.100.1:8080\";proto=https;by=10.0.0.1"}}),
              "198.51.100.1");
    EXPECT_EQ(
        clientOf(clients, "127.0.0.1",
                 {{"Forwarded", "for=1.2.3.4, for=198.51.100.1;proto=https, for=\"[fd00::1]\""}}),
        "198.51.100.1");
    // Quoted-pair escapes inside a quoted value; empty list elements mean nothing.
    EXPECT_EQ(clientOf(clients, "127.0.0.1", {{"Forwarded", ", for=\"198.51.100.\\7\" ,"}}),
              "198.51.100.7");
    // A trusted peer of the other family and the IPv4-mapped form of the trusted loopback.
    EXPECT_EQ(clientOf(clients, "fd00::2", {{"Forwarded", "for=198.51.100.5"}}), "198.51.100.5");
    EXPECT_EQ(clientOf(clients, "::ffff:127.0.0.1", {{"Forwarded", "for=198.51.100.6"}}),
              "198.51.100.6");
}

// A proxy that appends to one header passes the client's own copy of the other through, so only
// the configured header is ever read: a client cannot choose its address with the other one.
TEST(ClientAddress, OnlyTheConfiguredHeaderIsRead) {
    const ClientAddress xff = behindProxies(ForwardedHeader::XForwardedFor);
    EXPECT_EQ(clientOf(xff, "127.0.0.1", {{"Forwarded", "for=203.0.113.66"}, {"X-Forwarded-For", "198.51.100.1"}}),
              "198.51.100.1");
    EXPECT_EQ(clientOf(xff, "127.0.0.1", {{"Forwarded", "for=203.0.113.66"}}), "127.0.0.1");
    const ClientAddress forwarded = behindProxies(ForwardedHeader::Forwarded);
    EXPECT_EQ(clientOf(forwarded, "127.0.0.1",
                       {{"Forwarded", "for=198.51.100.1"}, {"X-Forwarded-For", "203.0.113.66"}}),
              "198.51.100.1");
    EXPECT_EQ(clientOf(forwarded, "127.0.0.1", {{"X-Forwarded-For", "203.0.113.66"}}), "127.0.0.1");
}

TEST(ClientAddress, AnythingMalformedFallsBackToThePeer) {
    const ClientAddress clients = behindProxies(ForwardedHeader::Forwarded);
    for (const char* forwarded :
         {"for=unknown", "for=_hidden", "for=[2001:db8::1]", "for=\"[2001:db8::1\"",
          "for=\"unterminated", "for=198.51.100.1;for=198.51.100.2", "proto=https", "for",
          "for=", "=x", "for=198.51.100.1 junk", "for=\"198.51.100.1:http\"",
          "for=\"[198.51.100.1]\"", "for=1.2.3.4, proto=https", "for=\"2001:db8::1:80:x\"", ""}) {
        EXPECT_EQ(clientOf(clients, "10.0.0.1", {{"Forwarded", forwarded}}), "10.0.0.1")
            << forwarded;
    }
    // Malformed Forwarded is not rescued by X-Forwarded-For: the proxy said what it said.
    EXPECT_EQ(clientOf(clients, "10.0.0.1",
                       {{"Forwarded", "for=unknown"}, {"X-Forwarded-For", "198.51.100.1"}}),
              "10.0.0.1");
    const ClientAddress xffClients = behindProxies();
    for (const char* xff : {"", "unknown", "198.51.100.1,", "198.51.100.1,,10.0.0.2",
                            "host.example", "1.2.3.4:99999", "300.1.1.1"}) {
        EXPECT_EQ(clientOf(xffClients, "10.0.0.1", {{"X-Forwarded-For", xff}}), "10.0.0.1") << xff;
    }
    // No header at all from a trusted proxy: the proxy is the client.
    EXPECT_EQ(clientOf(clients, "10.0.0.1", {}), "10.0.0.1");
    EXPECT_EQ(clientOf(xffClients, "10.0.0.1", {}), "10.0.0.1");
}

TEST(ClientAddress, Ipv6ClientsAreKeyedPerSlash64AndIpv4PerAddress) {
    EXPECT_EQ(ClientAddress::rateLimitKey(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd")),
              "2001:db8:1:2::/64");
    EXPECT_EQ(ClientAddress::rateLimitKey(ip("2001:db8:1:2::1")),
              ClientAddress::rateLimitKey(ip("2001:db8:1:2:ffff::9")));
    EXPECT_NE(ClientAddress::rateLimitKey(ip("2001:db8:1:2::1")),
              ClientAddress::rateLimitKey(ip("2001:db8:1:3::1")));
    EXPECT_EQ(ClientAddress::rateLimitKey(ip("198.51.100.1")), "198.51.100.1");
    EXPECT_NE(ClientAddress::rateLimitKey(ip("198.51.100.1")),
              ClientAddress::rateLimitKey(ip("198.51.100.2")));
    EXPECT_EQ(ClientAddress::rateLimitKey(ip("::ffff:198.51.100.1")), "198.51.100.1");
}
