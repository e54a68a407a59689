#pragma once
// POST /register in proxy mode: the HTTP shell around auth::server::RegistrationEndpoint.
// Checks the method (405 + Allow otherwise) and the content type (415 unless application/json),
// reads the body within the endpoint's limit, and copies the endpoint's answer out. Browser-based
// clients (the MCP Inspector) register cross-origin, so every answer allows any origin and
// OPTIONS is a 204 preflight.
//
// The rate limit key is the TCP peer address: behind a reverse proxy all clients share it, so a
// deployment there needs a trusted forwarded-for header first (not handled yet).
#include <Poco/Net/HTTPRequestHandler.h>

#include "mcphost/auth/server/RegistrationEndpoint.h"

namespace mcph::http {

class ProxyRegistrationHandler final : public Poco::Net::HTTPRequestHandler {
public:
    // `endpoint` is owned by the server and outlives every request.
    explicit ProxyRegistrationHandler(auth::server::RegistrationEndpoint& endpoint) : endpoint_(endpoint) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    auth::server::RegistrationEndpoint& endpoint_;
};

}  // namespace mcph::http
