#include "mcphost/auth/server/PasswordHash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <optional>
#include <stdexcept>
#include <string_view>

#include "mcphost/auth/Base64Url.h"

namespace mcph::auth::server {

namespace {

constexpr std::string_view kScheme = "pbkdf2-sha256";
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kMaxSaltBytes = 64;
constexpr std::size_t kHashBytes = 32;
// PBKDF2 pre-hashes long passwords through HMAC, so this only bounds pointless work.
constexpr std::size_t kMaxPasswordBytes = 1024;

struct Parsed {
    int iterations = 0;
    std::string salt;
    std::string hash;
};

void setProblem(std::string* problem, const char* why) {
    if (problem) *problem = why;
}

// Decimal digits only, no sign, no leading zero, within the accepted range.
std::optional<int> parseIterations(std::string_view text) {
    if (text.empty() || text.size() > 9 || text[0] == '0') return std::nullopt;
    long value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return static_cast<int>(value);
}

std::optional<Parsed> parse(const std::string& stored, std::string* problem) {
    // scheme $ iterations $ salt $ hash: exactly four fields.
    std::string_view rest(stored);
    std::string_view fields[4];
    for (int i = 0; i < 4; ++i) {
        const auto dollar = rest.find('$');
        if (i < 3) {
            if (dollar == std::string_view::npos) {
                setProblem(problem, "expected pbkdf2-sha256$<iterations>$<salt>$<hash>");
                return std::nullopt;
            }
            fields[i] = rest.substr(0, dollar);
            rest.remove_prefix(dollar + 1);
        } else {
            if (dollar != std::string_view::npos) {
                setProblem(problem, "expected pbkdf2-sha256$<iterations>$<salt>$<hash>");
                return std::nullopt;
            }
            fields[i] = rest;
        }
    }
    if (fields[0] != kScheme) {
        setProblem(problem, "unknown hash scheme (pbkdf2-sha256 expected)");
        return std::nullopt;
    }
    const auto iterations = parseIterations(fields[1]);
    if (!iterations) {
        setProblem(problem, "iteration count is not a positive decimal number");
        return std::nullopt;
    }
    if (*iterations < PasswordHash::kMinimumIterations) {
        setProblem(problem, "iteration count is below 100000");
        return std::nullopt;
    }
    if (*iterations > PasswordHash::kMaximumIterations) {
        setProblem(problem, "iteration count is above 10000000");
        return std::nullopt;
    }
    auto salt = Base64Url::decode(fields[2]);
    if (!salt || salt->size() < kSaltBytes || salt->size() > kMaxSaltBytes) {
        setProblem(problem, "salt is not 16 to 64 bytes of unpadded base64url");
        return std::nullopt;
    }
    auto hash = Base64Url::decode(fields[3]);
    if (!hash || hash->size() != kHashBytes) {
        setProblem(problem, "hash is not 32 bytes of unpadded base64url");
        return std::nullopt;
    }
    return Parsed{*iterations, std::move(*salt), std::move(*hash)};
}

std::string derive(const std::string& password, const std::string& salt, int iterations) {
    std::string out(kHashBytes, '\0');
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                          reinterpret_cast<const unsigned char*>(salt.data()),
                          static_cast<int>(salt.size()), iterations, EVP_sha256(),
                          static_cast<int>(out.size()),
                          reinterpret_cast<unsigned char*>(out.data())) != 1) {
        throw std::runtime_error("PBKDF2 failed");
    }
    return out;
}

}  // namespace

std::string PasswordHash::hash(const std::string& password, int iterations) {
    if (iterations < kMinimumIterations || iterations > kMaximumIterations)
        throw std::invalid_argument("PBKDF2 iteration count must be within 100000..10000000");
    if (password.empty()) throw std::invalid_argument("empty password");
    if (password.size() > kMaxPasswordBytes) throw std::invalid_argument("password too long");
    std::string salt(kSaltBytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(salt.size())) !=
        1)
        throw std::runtime_error("random generator failed");
    return std::string(kScheme) + "$" + std::to_string(iterations) + "$" + Base64Url::encode(salt) +
           "$" + Base64Url::encode(derive(password, salt, iterations));
}

bool PasswordHash::verify(const std::string& password, const std::string& stored) {
    const auto parsed = parse(stored, nullptr);
    if (!parsed || password.empty() || password.size() > kMaxPasswordBytes) return false;
    const std::string candidate = derive(password, parsed->salt, parsed->iterations);
    return CRYPTO_memcmp(candidate.data(), parsed->hash.data(), kHashBytes) == 0;
}

bool PasswordHash::wellFormed(const std::string& stored, std::string* problem) {
    return parse(stored, problem).has_value();
}

}  // namespace mcph::auth::server
