#pragma once
// The one HTTP shell around every route of the authorization server (auth::server::AuthRoute):
// answers CORS preflights and wrong methods from the route's fields, copies the request into an
// EndpointRequest (query parameters on GET, the bounded body and its form parameters on POST,
// cookies, Authorization, Origin, peer address), calls the route, and writes its answer.
#include <Poco/Net/HTTPRequestHandler.h>

#include "mcphost/auth/server/AuthRoute.h"

namespace mcph::http {

class AuthRouteHandler final : public Poco::Net::HTTPRequestHandler {
  public:
    // `route` must outlive the handler (the host keeps its routes for the server's lifetime).
    explicit AuthRouteHandler(const auth::server::AuthRoute& route) : route_(route) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override;

  private:
    const auth::server::AuthRoute& route_;
};

}  // namespace mcph::http
