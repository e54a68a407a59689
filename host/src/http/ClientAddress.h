#pragma once
// Who the client is, for rate limits and logs. Behind a reverse proxy every request comes from
// the proxy, so the limits would put all its users in one bucket; when the TCP peer is one of
// server.trustedProxies, the client is read from the headers the proxy adds instead. Those
// headers are never believed from any other peer: a client could write them itself.
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/NameValueCollection.h>

#include <string>
#include <utility>
#include <vector>

#include "config/IpNetwork.h"

namespace mcph::http {

class ClientAddress {
  public:
    explicit ClientAddress(std::vector<config::IpNetwork> trustedProxies,
                           config::ForwardedHeader header = config::ForwardedHeader::XForwardedFor)
        : trustedProxies_(std::move(trustedProxies)), header_(header) {}

    // The peer itself unless it is a trusted proxy. Then the hops of the one header the proxies
    // write (`X-Forwarded-For`, or `Forwarded`'s RFC 7239 for= parameters; the other is never
    // read) are walked from the right, skipping trusted proxies: the first untrusted hop is the
    // client (the leftmost hop when all are trusted). A header that does not parse, or a hop that
    // names no address ("unknown", an obfuscated name), gives the peer.
    config::IpAddress resolve(const config::IpAddress& peer,
                              const Poco::Net::NameValueCollection& headers) const;

    // What rate limits count by: an IPv4 address as it is, an IPv6 address as its /64 (one
    // subscriber's network, whose host can take any of its 2^64 addresses at will).
    static std::string rateLimitKey(const config::IpAddress& client);

    // rateLimitKey(resolve(...)) for a request; the peer's text as it is if it is no IP address.
    std::string rateLimitKeyOf(const Poco::Net::HTTPServerRequest& request) const;

  private:
    bool trusted(const config::IpAddress& address) const;

    std::vector<config::IpNetwork> trustedProxies_;
    config::ForwardedHeader header_;
};

}  // namespace mcph::http
