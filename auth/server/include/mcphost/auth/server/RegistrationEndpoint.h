#pragma once
// The /register endpoint (RFC 7591) as pure logic: a body and the caller's address in, a status,
// a JSON body and headers out. No HTTP types, so every decision is unit-testable; the Poco
// handler (host/src/http/ProxyRegistrationHandler) only checks method and content type, reads
// the body and copies the answer out.
//
// Order of checks: rate limit per address (429 + Retry-After, before any parsing, so a flood
// costs nothing), body size, RegistrationRequest::parse (400 invalid_client_metadata /
// invalid_redirect_uri, RFC 7591 §3.2.2), then the store. The client id is a random token; a
// secret is generated only when the registered auth method needs one, returned once in the 201
// and stored only as its SHA-256 hash. A full store is 503 (`temporarily_unavailable`, with
// Retry-After): it is the server's state, not a fault in the request. Every answer carries
// `Cache-Control: no-store` (the 201 holds a secret).
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "mcphost/auth/Clock.h"
#include "mcphost/auth/server/AuthStore.h"
#include "mcphost/auth/server/EndpointMessages.h"
#include "mcphost/auth/server/RateLimit.h"
#include "mcphost/auth/server/RateLimiter.h"
#include "mcphost/auth/server/RedirectUriPolicy.h"
#include "mcphost/auth/server/RegistrationRequest.h"

namespace mcph::auth::server {

struct RegistrationEndpointOptions {
    std::size_t maxBodyBytes = RegistrationRequest::kMaxBodyBytes;
    std::size_t clientIdBytes = 16;  // random bytes in a client id (base64url: 22 characters)
    std::size_t secretBytes = 32;    // random bytes in a client secret (256 bits)
    RateLimiterOptions rateLimit;    // per client address
    std::shared_ptr<RateLimit> limiter;  // null: a RateLimiter with rateLimit, this instance's own
    long long fullRetryAfterSeconds = 3600;  // Retry-After on a full store
    NowFunction now = systemClock();
};

class RegistrationEndpoint {
public:
    // `store` must outlive the endpoint. `policy` is the redirect URI policy (with the host's own
    // callback URLs as forbidden redirect targets).
    RegistrationEndpoint(AuthStore& store, RedirectUriPolicy policy, RegistrationEndpointOptions options = {});

    // Thread-safe (the rate limiter and the store are).
    EndpointResponse handle(const std::string& body, const std::string& clientAddress);

    // The answer for a body the transport refused to read in full (larger than maxBodyBytes).
    EndpointResponse tooLarge() const;

    std::size_t maxBodyBytes() const { return options_.maxBodyBytes; }

private:
    AuthStore& store_;
    RedirectUriPolicy policy_;
    RegistrationEndpointOptions options_;
    std::shared_ptr<RateLimit> limiter_;
};

}  // namespace mcph::auth::server
