#pragma once
// What every endpoint of the proxy authorization server needs to know about the host.
#include <chrono>
#include <string>

#include "mcphost/auth/Clock.h"

namespace mcph::auth::server {

struct AuthorizationServerSettings {
    std::string issuer;       // the host's public base URL, as in the metadata document (RFC 9207 `iss`)
    std::string origin;       // the issuer's scheme://host[:port]: what a browser's Origin says
    std::string basePath;     // the issuer's path ("" or "/tools"): the routes and forms live under it
    std::string resource;     // the canonical MCP URL: the only resource tokens are issued for
    std::string callbackUrl;  // issuer + /oauth/callback: where the upstream sends the browser back
    std::string serviceName = "mcp-host";  // shown on the pages
    std::chrono::seconds codeLifetime{60};
    std::chrono::seconds loginTimeout{600};  // consent + upstream sign-in
    bool secureCookies = false;              // the public URL is https
    NowFunction now = systemClock();
};

}  // namespace mcph::auth::server
