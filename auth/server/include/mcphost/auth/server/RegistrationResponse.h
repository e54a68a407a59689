#pragma once
// The 201 body for a successful registration (RFC 7591 §3.2.1): client_id, the secret only
// when one was issued, redirect_uris exactly as registered, and every other member only when it
// has a value: clients such as the TS SDK validate the body and choke on nulls.
#include <optional>
#include <string>

#include <Poco/JSON/Object.h>

#include "mcphost/auth/Clock.h"
#include "mcphost/auth/server/RegistrationRequest.h"

namespace mcph::auth::server {

class RegistrationResponse {
public:
    // `clientSecret` is the plaintext secret, present only for confidential clients; it is
    // shown this once and stored only as a hash.
    static Poco::JSON::Object::Ptr build(const RegistrationRequest& request, const std::string& clientId,
                                         const std::optional<std::string>& clientSecret, TimePoint issuedAt);
    static std::string json(const RegistrationRequest& request, const std::string& clientId,
                            const std::optional<std::string>& clientSecret, TimePoint issuedAt);
    // {"error": ..., "error_description": ...} for a 400.
    static std::string errorJson(const RegistrationError& error);
};

}  // namespace mcph::auth::server
