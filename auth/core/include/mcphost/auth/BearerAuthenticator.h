#pragma once
// RFC 6750 bearer tokens in the Authorization header, checked by a TokenVerifier, with the
// challenges MCP clients act on (RFC 9728 `resource_metadata`, `scope`; see
// docs/client-interop.md#the-401-challenge).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mcphost/auth/Authenticator.h"
#include "mcphost/auth/TokenVerifier.h"

namespace mcph::auth {

class BearerAuthenticator final : public Authenticator {
public:
    // `resourceMetadataUrl`: the absolute URL of our PRM document; `defaultScopes`: what a
    // client should ask for when it has no token yet (omitted from challenges when empty).
    BearerAuthenticator(std::shared_ptr<TokenVerifier> verifier, std::string resourceMetadataUrl,
                        std::vector<std::string> defaultScopes);

    AuthDecision authenticate(const std::string& authorizationHeader) override;
    AuthDecision insufficientScope(const std::vector<std::string>& requiredScopes) override;
    AuthDecision invalidRequest(const std::string& description) override;

    // The token from `Bearer <token68>` (scheme case-insensitive, exactly one space); nullopt
    // for a malformed value. `isBearer` tells a malformed Bearer header from another scheme.
    static std::optional<std::string> parseBearer(const std::string& header, bool& isBearer);
    // A quoted-string for an auth-param: backslash-escapes '"' and '\', drops control bytes.
    static std::string quote(const std::string& value);

private:
    AuthDecision challenge(int status, const std::string& error, const std::string& description,
                           const std::string& scope) const;

    std::shared_ptr<TokenVerifier> verifier_;
    std::string resourceMetadataUrl_;
    std::string defaultScope_;  // space-joined
};

}  // namespace mcph::auth
