#pragma once
// The HTTP shell around one proxy authorization-server endpoint (/authorize, /oauth/callback,
// /token, /revoke): copies the request into an auth::server::EndpointRequest (query or form body,
// cookies, Authorization, Origin, peer address), calls the endpoint, and writes its answer.
// Bodies are bounded; what a refusal leaves unread the router discards (http/FramedHandler.h).
//
// /token and /revoke are called cross-origin by browser-based clients (the MCP Inspector) and
// carry no cookies, so `corsAnyOrigin` allows any origin there; the pages never set it.
#include <Poco/Net/HTTPRequestHandler.h>

#include <functional>
#include <string>

#include "mcphost/auth/server/EndpointMessages.h"

namespace mcph::http {

struct ProxyEndpointOptions {
    std::string allowedMethods = "GET, POST";  // for OPTIONS and 405
    bool corsAnyOrigin = false;
    std::size_t maxBodyBytes = 64 * 1024;
};

class ProxyEndpointHandler final : public Poco::Net::HTTPRequestHandler {
public:
    using Endpoint = std::function<auth::server::EndpointResponse(const auth::server::EndpointRequest&)>;

    ProxyEndpointHandler(Endpoint endpoint, ProxyEndpointOptions options)
        : endpoint_(std::move(endpoint)), options_(std::move(options)) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    Endpoint endpoint_;
    ProxyEndpointOptions options_;
};

}  // namespace mcph::http
