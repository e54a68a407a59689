#pragma once
// Internal to SigningKey: the signing key as several instances keep it in a shared store, never
// in clear. AES-256-GCM (OpenSSL) under a key derived from the operator's secret with HKDF-SHA256,
// so the store alone (a Redis dump, a replica, a backup) does not give anyone the power to mint
// tokens. Sealed text: "mcph-sealed-v1.<nonce>.<ciphertext>.<tag>", each part base64url.
#include <optional>
#include <string>

namespace mcph::auth::server::seal {

bool isSealed(const std::string& stored);
// Throws std::runtime_error if OpenSSL fails.
std::string sealKey(const std::string& pem, const std::string& secret);
// nullopt when `sealed` is malformed or was sealed with another secret (GCM's tag says which).
std::optional<std::string> openKey(const std::string& sealed, const std::string& secret);

}  // namespace mcph::auth::server::seal
