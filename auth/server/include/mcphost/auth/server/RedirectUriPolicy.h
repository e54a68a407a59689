#pragma once
// Which redirect URIs a dynamically registered client may use, and whether the one presented at
// /authorize or /token is one of them. Pure string logic, no I/O.
//
// Registration with several URIs of which some are bad: the bad ones are dropped and reported,
// the client is registered with the rest, and registration fails only when none is valid.
// Cursor sends three URIs and VS Code four, and "one odd URI must not sink the rest"
// (docs/client-interop.md#redirect-uris-and-loopback-ports). Dropping is safe because a dropped URI
// can never match later (matching is against the accepted list only), and the 201 response echoes
// the accepted list, so the client sees exactly what was registered.
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mcph::auth::server {

struct RedirectUriFilterResult {
    std::vector<std::string> accepted;                          // in the order given, duplicates removed
    std::vector<std::pair<std::string, std::string>> rejected;  // uri, reason
};

class RedirectUriPolicy {
public:
    static constexpr std::size_t kMaxUriLength = 2048;

    // `ownCallbacks`: the host's own URLs (its upstream callback) that a client must never
    // register: a client redirecting there could feed our callback a code of its choosing.
    explicit RedirectUriPolicy(std::vector<std::string> ownCallbacks = {});

    // Null when `uri` may be registered, else a short reason safe to show the client.
    std::optional<std::string> rejectReason(const std::string& uri) const;

    RedirectUriFilterResult filter(const std::vector<std::string>& uris) const;

    // Exact string match, except loopback http (RFC 8252 §7.3): the port may differ (or be
    // absent on either side); scheme, host as written, path and query must be identical, so
    // "localhost" never matches "127.0.0.1". A presented URI that fails validation never
    // matches, whatever was registered.
    bool matches(const std::string& registered, const std::string& presented) const;
    bool matchesAny(const std::vector<std::string>& registered, const std::string& presented) const;

    // http://localhost, http://127.0.0.1 or http://[::1] (any port).
    static bool isLoopbackHttp(const std::string& uri);

private:
    std::vector<std::string> ownCallbacks_;
};

}  // namespace mcph::auth::server
