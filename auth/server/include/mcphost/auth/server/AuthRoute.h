#pragma once
// One HTTP route of the authorization server, as the host serves it: the host's single HTTP
// shell (host/src/http/AuthRouteHandler) turns a request into an EndpointRequest, calls
// `handle`, and writes the EndpointResponse. Method checks, CORS and body limits are the
// shell's, from these fields; everything else is the endpoint's.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "mcphost/auth/server/EndpointMessages.h"

namespace mcph::auth::server {

struct AuthRoute {
    std::string path;
    std::vector<std::string> methods;  // others get 405 (HEAD is allowed with GET)
    // Called cross-origin by browser-based clients without cookies (metadata, JWKS, /register,
    // /token, /revoke): any origin may read the answer. Never set on the pages.
    bool corsAnyOrigin = false;
    std::size_t maxBodyBytes = 64 * 1024;
    std::function<EndpointResponse(const EndpointRequest&)> handle;
};

}  // namespace mcph::auth::server
