#pragma once
// PKCE (RFC 7636) the way OAuth 2.1 and the MCP authorization spec want it: S256 only. "plain"
// is refused because it protects nothing once the challenge leaks, and a missing method is
// refused because RFC 7636 would read it as "plain".
#include <string>
#include <string_view>

namespace mcph::auth::server {

class Pkce {
public:
    // 43..128 characters from the unreserved set [A-Za-z0-9-._~] (RFC 7636 §4.1).
    static bool isValidVerifier(std::string_view verifier);
    // An S256 challenge is base64url(SHA-256) without padding: exactly 43 base64url characters.
    static bool isValidChallenge(std::string_view challenge);
    static bool isSupportedMethod(std::string_view method) { return method == "S256"; }

    static std::string challengeS256(std::string_view verifier);
    // True when `verifier` is well formed and hashes to `challenge`; compared in constant time.
    static bool verify(std::string_view verifier, std::string_view challenge, std::string_view method = "S256");
    // A fresh verifier for the host's own upstream PKCE: 32 random bytes, 43 characters.
    static std::string generateVerifier();
};

}  // namespace mcph::auth::server
