#include "AuthEventReport.h"

namespace mcph::auth::server {

namespace {

bool redirected(const EndpointResponse& answer) {
    return answer.status == 302 || answer.status == 303;
}

// The code reaches the client only on a successful sign-in.
bool carriesCode(const EndpointResponse& answer) {
    const std::string location = answer.header("Location");
    return location.find("?code=") != std::string::npos ||
           location.find("&code=") != std::string::npos;
}

// The policy's refusal page (AuthorizationPages); other 403s are refused forms, not sign-ins.
bool accessNotGranted(const EndpointResponse& answer) {
    return answer.status == 403 && answer.body.find("Access not granted") != std::string::npos;
}

}  // namespace

void reportAuthorize(AuthEvents& events, bool local, const EndpointRequest& request,
                     const EndpointResponse& answer) {
    if (request.method != "POST") return;
    const std::string decision = request.param("decision");
    if (decision == "deny") {
        if (redirected(answer)) events.consent("denied");
        return;
    }
    if (decision != "approve") return;
    if (!local) {
        if (redirected(answer)) events.consent("approved");  // on to the upstream's sign-in
        return;
    }
    if (redirected(answer) && carriesCode(answer)) {
        events.consent("approved");
        events.signIn("ok");
    } else if (answer.status == 401) {
        events.signIn("failed");
    } else if (answer.status == 429) {
        events.signIn("throttled");
    } else if (accessNotGranted(answer)) {
        events.signIn("refused");
    }
}

void reportCallback(AuthEvents& events, const EndpointResponse& answer) {
    if (redirected(answer) && carriesCode(answer)) {
        events.signIn("ok");
    } else if (accessNotGranted(answer)) {
        events.signIn("refused");
    } else {
        events.signIn("failed");
    }
}

void reportToken(AuthEvents& events, const EndpointRequest& request,
                 const EndpointResponse& answer) {
    events.tokenGrant(request.param("grant_type"), answer.status == 200 ? "issued" : "refused");
}

void reportRevoke(AuthEvents& events, const EndpointResponse& answer) {
    if (answer.status == 200) events.revocation();
}

}  // namespace mcph::auth::server
