#pragma once
// Password hashes for the `local` provider's users file: PBKDF2-HMAC-SHA256 (OpenSSL) with a
// random 16-byte salt and 600 000 iterations (OWASP 2023), stored as
//   pbkdf2-sha256$<iterations>$<base64url salt>$<base64url hash>
// PBKDF2 rather than a memory-hard hash because OpenSSL 3 ships it and the file is operator-
// written; verification is constant time and refuses iteration counts below 100 000 or above
// 10 000 000 (a typo, not a stronger hash: one sign-in would cost seconds of CPU).
#include <string>

namespace mcph::auth::server {

class PasswordHash {
public:
    static constexpr int kDefaultIterations = 600000;
    static constexpr int kMinimumIterations = 100000;
    static constexpr int kMaximumIterations = 10000000;

    // Throws std::invalid_argument for an iteration count outside the accepted range and for an
    // empty or over-long (> 1024 bytes) password.
    static std::string hash(const std::string& password, int iterations = kDefaultIterations);
    // False for a wrong, empty or over-long password and for any malformed or too-weak stored
    // value.
    static bool verify(const std::string& password, const std::string& stored);
    // True when `stored` is a well-formed hash this class can verify (for config checks).
    static bool wellFormed(const std::string& stored, std::string* problem = nullptr);
};

}  // namespace mcph::auth::server
