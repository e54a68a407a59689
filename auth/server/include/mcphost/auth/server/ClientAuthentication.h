#pragma once
// Who is calling /token or /revoke (RFC 6749 §2.3): `none` (client_id in the body),
// client_secret_post, client_secret_basic, and Basic together with a matching client_id in the
// body (docs/client-interop.md#client-authentication). A confidential client must prove its secret
// whichever way it sends it; a public client has none to prove. Failures are 401 invalid_client,
// with a Basic challenge when the client tried Basic (RFC 6749 §5.2).
#include <optional>
#include <string>

#include "mcphost/auth/server/ClientLookup.h"
#include "mcphost/auth/server/EndpointMessages.h"

namespace mcph::auth::server {

struct ClientAuthResult {
    std::optional<ClientRecord> client;      // set on success
    std::optional<EndpointResponse> refusal;  // set on failure
};

class ClientAuthentication {
public:
    static ClientAuthResult authenticate(const EndpointRequest& request, ClientLookup& clients);
};

// The JSON error answers of the token and revocation endpoints (RFC 6749 §5.2), no-store.
EndpointResponse oauthError(int status, const std::string& error, const std::string& description);

}  // namespace mcph::auth::server
