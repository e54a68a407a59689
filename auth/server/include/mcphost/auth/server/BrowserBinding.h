#pragma once
// Ties an authorization to the browser that approved it (the MCP security best practices on
// confused deputies). Each browser gets a random id in an HttpOnly, SameSite=Lax cookie; the
// pending authorization stores only its SHA-256, and the consent form carries a CSRF token that
// is an HMAC of (browser id, ticket) under a server key. So a consent form posted from another
// site lacks the token, and an upstream callback opened in another browser (a link sent to a
// victim) lacks the cookie: both are refused.
//
// Lax, not Strict: the upstream's redirect back to /oauth/callback is a cross-site top-level
// navigation, on which Strict cookies are not sent.
#include <optional>
#include <string>

#include "mcphost/auth/server/EndpointMessages.h"

namespace mcph::auth::server {

class BrowserBinding {
public:
    static constexpr const char* kCookieName = "mcph_browser";
    // On https the cookie carries the __Host- prefix: browsers then accept it only with Secure,
    // Path=/ and no Domain, so a sibling subdomain cannot toss in a cookie of its own.
    static constexpr const char* kSecureCookieName = "__Host-mcph_browser";

    // `key`: the server's HMAC key (any length; hashed). Every instance sharing a store must use
    // the same key, so it is derived from the shared signing key.
    BrowserBinding(std::string key, bool secureCookie);

    struct Browser {
        std::string id;
        bool isNew = false;  // send setCookieHeader(id) with the answer
    };
    // The browser's id from its cookie, or a new one when it has none (or a malformed one).
    Browser identify(const EndpointRequest& request) const;
    // The id from the cookie, or nullopt: for steps that need an existing binding.
    std::optional<std::string> existing(const EndpointRequest& request) const;

    std::string setCookieHeader(const std::string& id) const;
    const char* cookieName() const { return secure_ ? kSecureCookieName : kCookieName; }
    // What the pending authorization stores instead of the id itself.
    static std::string fingerprint(const std::string& id);

    std::string csrfToken(const std::string& browserId, const std::string& ticket) const;
    bool csrfValid(const std::string& browserId, const std::string& ticket, const std::string& token) const;

private:
    std::string key_;
    bool secure_;
};

}  // namespace mcph::auth::server
