#pragma once
// Which IP addresses the host may connect to when it fetches a client's metadata document: only
// public unicast ones. A client id is a URL chosen by whoever calls /authorize, so without this
// check the host would fetch from its own loopback, the cloud metadata service (169.254.169.254)
// or the private network behind it (SSRF).
//
// IPv4: everything is public except the special-purpose blocks below. IPv6: only global unicast
// (2000::/3) can be public, minus its special blocks; an IPv4-mapped (::ffff:a.b.c.d) or NAT64
// (64:ff9b::/96) address is judged by the IPv4 address inside it.
#include <Poco/Net/IPAddress.h>

namespace mcph::auth::server {

enum class AddressClass {
    Public,
    Unspecified,  // 0.0.0.0/8, ::
    Loopback,     // 127.0.0.0/8, ::1
    Private,      // 10/8, 172.16/12, 192.168/16, fec0::/10 (deprecated site-local)
    SharedCgnat,  // 100.64.0.0/10 (RFC 6598)
    LinkLocal,    // 169.254/16 (cloud metadata lives here), fe80::/10
    Multicast,    // 224/4, ff00::/8
    UniqueLocal,  // fc00::/7
    Reserved,     // documentation, benchmarking, protocol assignments, 240/4, broadcast, 6to4,
                  // Teredo, discard-only, and IPv6 outside 2000::/3
};

class CimdAddressPolicy {
  public:
    static AddressClass classify(const Poco::Net::IPAddress& address);
    static bool isPublic(const Poco::Net::IPAddress& address) {
        return classify(address) == AddressClass::Public;
    }
    static const char* describe(AddressClass c);
};

}  // namespace mcph::auth::server
