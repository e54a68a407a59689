#pragma once
// The few primitives every proxy component needs: unguessable random values, SHA-256 (tokens
// and codes are stored only as hashes, so a copy of the database grants nothing), and a
// comparison whose time does not depend on where the first difference is.
#include <cstddef>
#include <string>
#include <string_view>

namespace mcph::auth::server {

class Secrets {
public:
    // `bytes` random bytes from OpenSSL's CSPRNG, base64url without padding. Throws
    // std::runtime_error if the generator fails (never falls back to a weak source).
    static std::string randomToken(std::size_t bytes = 32);
    static std::string sha256(std::string_view data);     // raw 32 bytes
    static std::string sha256Hex(std::string_view data);  // lowercase hex, the form stored
    // Constant time for equal lengths; different lengths are unequal at once (lengths of the
    // values compared here are public: hashes and base64url of fixed-size digests).
    static bool constantTimeEquals(std::string_view a, std::string_view b);
    // Whether `secret` hashes to `storedHashHex` (a client secret at /token against the stored
    // hash). Plain SHA-256 is enough: our secrets are 256 random bits, not passwords. An empty
    // stored hash (a public client) matches nothing.
    static bool matchesHash(std::string_view secret, std::string_view storedHashHex);
};

}  // namespace mcph::auth::server
