#include "mcphost/auth/server/RegistrationEndpoint.h"

#include <exception>
#include <optional>

#include "mcphost/auth/server/RegistrationResponse.h"
#include "mcphost/auth/server/Secrets.h"

namespace mcph::auth::server {

namespace {

constexpr int kMaxIdAttempts = 3;  // a duplicate id from 128 random bits is practically impossible

EndpointResponse answer(int status, std::string body) {
    EndpointResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers.emplace_back("Cache-Control", "no-store");
    r.headers.emplace_back("Pragma", "no-cache");
    return r;
}

EndpointResponse error(int status, const std::string& code, const std::string& description) {
    return answer(status, RegistrationResponse::errorJson({code, description}));
}

}  // namespace

RegistrationEndpoint::RegistrationEndpoint(AuthStore& store, RedirectUriPolicy policy,
                                           RegistrationEndpointOptions options)
    : store_(store),
      policy_(std::move(policy)),
      options_(std::move(options)),
      limiter_(options_.limiter ? options_.limiter
                                : std::make_shared<RateLimiter>(options_.rateLimit)) {}

EndpointResponse RegistrationEndpoint::tooLarge() const {
    return error(413, "invalid_client_metadata", "registration request too large");
}

EndpointResponse RegistrationEndpoint::handle(const std::string& body, const std::string& clientAddress) {
    if (!limiter_->allow(clientAddress)) {
        auto r = error(429, "too_many_requests", "too many registrations from this address; retry later");
        long long wait = limiter_->retryAfterSeconds(clientAddress);
        if (wait < 1) wait = 1;
        r.headers.emplace_back("Retry-After", std::to_string(wait));
        return r;
    }
    if (body.size() > options_.maxBodyBytes) return tooLarge();

    const auto parsed = RegistrationRequest::parse(body, policy_);
    if (!parsed.request) return error(400, parsed.error.error, parsed.error.description);
    const RegistrationRequest& request = *parsed.request;

    try {
        std::optional<std::string> secret;
        ClientRecord record;
        record.redirectUris = request.redirectUris;
        record.name = request.clientName;
        record.authMethod = request.authMethod;
        record.createdAt = options_.now();
        if (request.needsSecret()) {
            secret = Secrets::randomToken(options_.secretBytes);
            record.secretHash = Secrets::sha256Hex(*secret);
        }
        for (int attempt = 0; attempt < kMaxIdAttempts; ++attempt) {
            record.clientId = Secrets::randomToken(options_.clientIdBytes);
            switch (store_.registerClient(record)) {
                case RegisterStatus::Registered:
                    return answer(201, RegistrationResponse::json(request, record.clientId, secret, record.createdAt));
                case RegisterStatus::Full: {
                    auto r = error(503, "temporarily_unavailable",
                                   "the client registry is full; try again later");
                    r.headers.emplace_back("Retry-After", std::to_string(options_.fullRetryAfterSeconds));
                    return r;
                }
                case RegisterStatus::Duplicate:
                    break;  // another id
            }
        }
        return error(500, "server_error", "could not allocate a client id");
    } catch (const StoreUnavailable&) {
        throw;  // the host answers 503 with Retry-After: the client may simply retry
    } catch (const std::exception&) {
        // Store or CSPRNG failure: nothing about it is safe or useful to show the client.
        return error(500, "server_error", "registration failed");
    }
}

}  // namespace mcph::auth::server
