#pragma once
// A dynamic client registration request (RFC 7591), read the way real MCP clients send it
// (docs/client-interop.md#dynamic-client-registration): any subset of fields, unknown fields
// ignored, `scope` never required (and `scope: ""` fine), several redirect URIs of which odd ones
// are dropped, not fatal.
//
// Decisions, each chosen so that no real client fails and no request gains more than it asked:
// - token_endpoint_auth_method: none, client_secret_post and client_secret_basic are honoured
//   (the latter two get a secret). Anything else (private_key_jwt, client_secret_jwt,
//   tls_client_auth) is downgraded to `none`, and the response says so: clients read the method
//   back (Claude does) and PKCE still protects the code. An absent method also means `none`,
//   not RFC 7591's default client_secret_basic: a secret the client did not ask for is one more
//   thing to leak, and the echoed `none` tells the client exactly what it got.
// - grant_types / response_types: reduced to what we support (authorization_code,
//   refresh_token / code); unsupported ones (a jwt-bearer grant) are ignored, not refused.
// - A member of the wrong JSON type is ignored like an unknown one, except redirect_uris,
//   whose shape decides the registration.
// - client_name: control characters or more than 200 characters and it is dropped (the consent
//   page then shows the client id); it is shown, never trusted.
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mcphost/auth/server/RedirectUriPolicy.h"

namespace mcph::auth::server {

struct RegistrationError {
    std::string error;        // RFC 7591 §3.2.2 code: invalid_redirect_uri | invalid_client_metadata
    std::string description;  // safe to return to the client
};

struct RegistrationParseResult;

class RegistrationRequest {
public:
    static constexpr std::size_t kMaxBodyBytes = 64 * 1024;
    static constexpr std::size_t kMaxRedirectUris = 20;
    static constexpr std::size_t kMaxNameLength = 200;

    std::vector<std::string> redirectUris;  // accepted by the policy, in the order given
    std::vector<std::pair<std::string, std::string>> rejectedRedirectUris;  // uri, reason (for logs)
    std::string clientName;
    std::string requestedAuthMethod;  // as sent ("" when absent)
    std::string authMethod = "none";  // what will be registered
    std::vector<std::string> grantTypes{"authorization_code", "refresh_token"};
    std::vector<std::string> responseTypes{"code"};
    std::string scope;  // as sent; only echoed
    std::string clientUri, logoUri, softwareId, softwareVersion;  // echoed, never rendered as links

    bool needsSecret() const { return authMethod != "none"; }

    // Either a request or an error for a 400 response.
    static RegistrationParseResult parse(const std::string& body, const RedirectUriPolicy& policy);
};

struct RegistrationParseResult {
    std::optional<RegistrationRequest> request;
    RegistrationError error;  // when `request` is empty
};

}  // namespace mcph::auth::server
