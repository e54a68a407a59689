#pragma once
// Internal to AuthorizationServer: tells AuthEvents (operations metrics) what an endpoint did,
// read from the request and the answer, so the endpoints themselves stay free of metrics.
#include "mcphost/auth/AuthEvents.h"
#include "mcphost/auth/server/EndpointMessages.h"

namespace mcph::auth::server {

// The consent form (POST /authorize with a decision); for `local` it also signs the user in.
void reportAuthorize(AuthEvents& events, bool local, const EndpointRequest& request,
                     const EndpointResponse& answer);
// The upstream's callback (proxy providers): the sign-in's outcome.
void reportCallback(AuthEvents& events, const EndpointResponse& answer);
void reportToken(AuthEvents& events, const EndpointRequest& request,
                 const EndpointResponse& answer);
void reportRevoke(AuthEvents& events, const EndpointResponse& answer);

}  // namespace mcph::auth::server
