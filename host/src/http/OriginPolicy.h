#pragma once
// DNS-rebinding protection for the MCP endpoint (transports.mdx): a browser page from another
// origin must not reach a server on this machine. Pure; no I/O.
#include <string>
#include <vector>

namespace mcph::http {

// "scheme://host[:port]" lower-cased, default port dropped; "" when `origin` is not one
// (config::normalizeOrigin, the same rules the config applies to mcp.allowedOrigins).
std::string normalizeOrigin(const std::string& origin);

class OriginPolicy {
public:
    // publicUrl: the host's public base URL (its origin is always allowed). loopbackBind: the
    // server listens on a loopback address, so the Host header must name loopback or publicUrl.
    OriginPolicy(const std::vector<std::string>& allowedOrigins, const std::string& publicUrl, bool loopbackBind);

    // An absent Origin (non-browser clients) is allowed; a present one must be listed.
    bool originAllowed(const std::string& originHeader) const;
    bool hostAllowed(const std::string& hostHeader) const;

private:
    std::vector<std::string> allowed_;  // normalized
    std::string publicHost_;            // lower-case host of publicUrl, no port
    bool loopbackBind_;
};

// The host part of a Host header ("[::1]:8080" -> "::1", "Example.com:80" -> "example.com").
std::string hostOfHostHeader(const std::string& hostHeader);

}  // namespace mcph::http
