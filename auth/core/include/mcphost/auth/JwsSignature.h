#pragma once
// Signature checks for the asymmetric JWS algorithms we support (RFC 7518 §3). Symmetric
// (HS*) and "none" are not in the table, so no configuration can enable them.
#include <string>
#include <string_view>
#include <vector>

#include "mcphost/auth/PublicKey.h"

namespace mcph::auth {

class JwsSignature {
public:
    // RS256/384/512, PS256/384/512, ES256, ES384.
    static const std::vector<std::string>& supportedAlgorithms();
    static bool isSupported(const std::string& alg);

    // Whether `key` may verify `alg`: RSA keys for RS and PS, the matching curve for ES.
    static bool keyFits(const std::string& alg, const PublicKey& key);

    // Verifies `signature` (as decoded from the token: raw R||S for ES) over `signingInput`.
    // False for any mismatch, including a key that does not fit the algorithm.
    static bool verify(const std::string& alg, const PublicKey& key, std::string_view signingInput,
                       std::string_view signature);
};

}  // namespace mcph::auth
