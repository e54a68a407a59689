#pragma once
// A Client ID Metadata Document, read and checked: the JSON a client publishes at its client id
// URL in place of registering. Pure logic, no I/O; the same checks apply to fetched documents and
// to the pinned vendor copies.
//
// Decisions (draft-ietf-oauth-client-id-metadata-document §4,
// docs/client-interop.md#client-id-metadata-documents):
// - `client_id` must equal the URL byte for byte; nothing is normalised.
// - Redirect URIs go through RegistrationRequest and RedirectUriPolicy exactly as at /register:
//   bad ones are dropped, none left is a refusal.
// - The client must be able to act as a public client, because the host verifies no client
//   assertions: `token_endpoint_auth_method` absent or `none` is accepted; another asymmetric
//   method (private_key_jwt) is accepted only when `token_endpoint_auth_methods_supported` also
//   lists `none` (ChatGPT publishes `"token_endpoint_auth_method": "private_key_jwt"` with
//   `"token_endpoint_auth_methods_supported": ["none", "private_key_jwt"]`, reusing the RFC 8414
//   field name). Shared-secret methods and a `client_secret` member are refused: a document is
//   public, so a secret in it is no secret (draft §4.1).
// - `grant_types`, when present, must include authorization_code and `response_types`, when
//   present, must include code; other grants (Claude lists jwt-bearer) are ignored.
// - `client_name` is self-asserted: it is shown as a claim, never trusted; logo_uri and
//   client_uri are not used.
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mcphost/auth/Clock.h"
#include "mcphost/auth/server/AuthStore.h"
#include "mcphost/auth/server/RedirectUriPolicy.h"

namespace mcph::auth::server {

struct ClientMetadataDocumentResult;

struct ClientMetadataDocument {
    static constexpr std::size_t kDefaultMaxBytes = 5 * 1024;  // the draft's suggested limit

    std::string clientId;
    std::string clientName;  // "" when absent or unprintable
    std::vector<std::string> redirectUris;
    std::vector<std::pair<std::string, std::string>>
        rejectedRedirectUris;        // uri, reason (for logs)
    std::string declaredAuthMethod;  // token_endpoint_auth_method as published ("" when absent)

    // A public client: no secret, auth method none.
    ClientRecord toClientRecord(TimePoint now) const;

    static ClientMetadataDocumentResult parse(const std::string& body,
                                              const std::string& expectedClientId,
                                              const RedirectUriPolicy& policy,
                                              std::size_t maxBytes = kDefaultMaxBytes);
};

struct ClientMetadataDocumentResult {
    std::optional<ClientMetadataDocument> document;
    std::string error;  // when `document` is empty; names the rule, never echoes document text
};

}  // namespace mcph::auth::server
