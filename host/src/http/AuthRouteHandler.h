#pragma once
// The one HTTP shell around every route of the authorization server (auth::server::AuthRoute):
// answers CORS preflights and wrong methods from the route's fields, copies the request into an
// EndpointRequest (query parameters on GET, the bounded body and its form parameters on POST,
// cookies, Authorization, Origin, the client's address), calls the route, and writes its answer.
#include <Poco/Net/HTTPRequestHandler.h>

#include "http/ClientAddress.h"
#include "mcphost/auth/server/AuthRoute.h"

namespace mcph::http {

class AuthRouteHandler final : public Poco::Net::HTTPRequestHandler {
  public:
    // `route` and `clients` must outlive the handler (the host keeps both for the server's
    // lifetime).
    AuthRouteHandler(const auth::server::AuthRoute& route, const ClientAddress& clients)
        : route_(route), clients_(clients) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override;

  private:
    const auth::server::AuthRoute& route_;
    const ClientAddress& clients_;
};

}  // namespace mcph::http
