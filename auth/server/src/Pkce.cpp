#include "mcphost/auth/server/Pkce.h"

#include "mcphost/auth/Base64Url.h"
#include "mcphost/auth/server/Secrets.h"

namespace mcph::auth::server {

namespace {

bool isAlnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

bool Pkce::isValidVerifier(std::string_view verifier) {
    if (verifier.size() < 43 || verifier.size() > 128) return false;
    for (char c : verifier) {
        if (!isAlnum(c) && c != '-' && c != '.' && c != '_' && c != '~') return false;
    }
    return true;
}

bool Pkce::isValidChallenge(std::string_view challenge) {
    if (challenge.size() != 43) return false;
    // Base64Url::decode is strict (no padding, zero trailing bits): one spelling per digest.
    const auto raw = Base64Url::decode(challenge);
    return raw && raw->size() == 32;
}

std::string Pkce::challengeS256(std::string_view verifier) { return Base64Url::encode(Secrets::sha256(verifier)); }

bool Pkce::verify(std::string_view verifier, std::string_view challenge, std::string_view method) {
    if (!isSupportedMethod(method) || !isValidVerifier(verifier) || !isValidChallenge(challenge)) return false;
    return Secrets::constantTimeEquals(challengeS256(verifier), challenge);
}

std::string Pkce::generateVerifier() { return Secrets::randomToken(32); }

}  // namespace mcph::auth::server
