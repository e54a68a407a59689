// PasswordHash: the stored format, verification against an independent PBKDF2 computation, and
// refusal of every malformed or too-weak stored value. PBKDF2 at the minimum iteration count
// still costs tens of milliseconds, so the suite hashes once and reuses it.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <stdexcept>
#include <string>

#include "auth_test_support.h"
#include "mcphost/auth/server/PasswordHash.h"

using mcph::auth::server::PasswordHash;

namespace {

constexpr int kIterations = PasswordHash::kMinimumIterations;  // keeps the suite fast

// The stored form, computed with OpenSSL directly and encoded by the tests' own base64url.
std::string independentHash(const std::string& password, const std::string& salt, int iterations) {
    unsigned char out[32];
    PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                      reinterpret_cast<const unsigned char*>(salt.data()),
                      static_cast<int>(salt.size()), iterations, EVP_sha256(), sizeof out, out);
    return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + authtest::b64url(salt) + "$" +
           authtest::b64url(std::string(reinterpret_cast<char*>(out), sizeof out));
}

class ProxyPasswordHash : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (stored_.empty()) stored_ = PasswordHash::hash("correct horse", kIterations);
    }
    static inline std::string stored_;
};

}  // namespace

TEST_F(ProxyPasswordHash, HashHasTheDocumentedFormAndVerifies) {
    // pbkdf2-sha256 $ 100000 $ 16 bytes (22 chars) $ 32 bytes (43 chars)
    const auto first = stored_.find('$'), second = stored_.find('$', first + 1),
               third = stored_.find('$', second + 1);
    ASSERT_NE(third, std::string::npos);
    EXPECT_EQ(stored_.substr(0, first), "pbkdf2-sha256");
    EXPECT_EQ(stored_.substr(first + 1, second - first - 1), "100000");
    EXPECT_EQ(third - second - 1, 22u);
    EXPECT_EQ(stored_.size() - third - 1, 43u);
    EXPECT_EQ(stored_.find('='), std::string::npos);
    EXPECT_TRUE(PasswordHash::wellFormed(stored_));
    EXPECT_TRUE(PasswordHash::verify("correct horse", stored_));
}

TEST_F(ProxyPasswordHash, WrongPasswordsFail) {
    EXPECT_FALSE(PasswordHash::verify("correct horsE", stored_));
    EXPECT_FALSE(PasswordHash::verify("correct horse ", stored_));
    EXPECT_FALSE(PasswordHash::verify("", stored_));
    EXPECT_FALSE(PasswordHash::verify(std::string(2000, 'a'), stored_));
}

TEST_F(ProxyPasswordHash, MatchesAnIndependentPbkdf2) {
    const std::string salt = "0123456789abcdef";
    EXPECT_TRUE(PasswordHash::verify("pässwörd", independentHash("pässwörd", salt, kIterations)));
    EXPECT_FALSE(PasswordHash::verify("passwörd", independentHash("pässwörd", salt, kIterations)));
}

TEST_F(ProxyPasswordHash, SaltIsFreshEachTime) {
    const std::string again = PasswordHash::hash("correct horse", kIterations);
    EXPECT_NE(again, stored_);
    EXPECT_TRUE(PasswordHash::verify("correct horse", again));
}

TEST_F(ProxyPasswordHash, HashRefusesBadArguments) {
    EXPECT_THROW(PasswordHash::hash("pw", PasswordHash::kMinimumIterations - 1),
                 std::invalid_argument);
    EXPECT_THROW(PasswordHash::hash("pw", PasswordHash::kMaximumIterations + 1),
                 std::invalid_argument);
    EXPECT_THROW(PasswordHash::hash("pw", 0), std::invalid_argument);
    EXPECT_THROW(PasswordHash::hash("pw", -600000), std::invalid_argument);
    EXPECT_THROW(PasswordHash::hash("", kIterations), std::invalid_argument);
    EXPECT_THROW(PasswordHash::hash(std::string(1025, 'x'), kIterations), std::invalid_argument);
}

TEST_F(ProxyPasswordHash, WeakIterationCountIsRefusedEvenWithTheRightPassword) {
    const std::string weak = independentHash("pw", "0123456789abcdef", 1000);
    std::string problem;
    EXPECT_FALSE(PasswordHash::wellFormed(weak, &problem));
    EXPECT_NE(problem.find("below"), std::string::npos) << problem;
    EXPECT_FALSE(PasswordHash::verify("pw", weak));
}

TEST_F(ProxyPasswordHash, MalformedStoredValuesAreRefused) {
    const std::string salt = authtest::b64url("0123456789abcdef");
    const std::string hash = authtest::b64url(std::string(32, 'h'));
    const std::string good = "pbkdf2-sha256$100000$" + salt + "$" + hash;
    ASSERT_TRUE(PasswordHash::wellFormed(good));
    const std::string bad[] = {
        "",
        "pbkdf2-sha256",
        "pbkdf2-sha256$100000$" + salt,
        good + "$extra",
        "pbkdf2-sha1$100000$" + salt + "$" + hash,
        "PBKDF2-SHA256$100000$" + salt + "$" + hash,
        "pbkdf2-sha256$0100000$" + salt + "$" + hash,  // leading zero
        "pbkdf2-sha256$+100000$" + salt + "$" + hash,  // sign
        "pbkdf2-sha256$1e6$" + salt + "$" + hash,
        "pbkdf2-sha256$$" + salt + "$" + hash,
        "pbkdf2-sha256$10000001$" + salt + "$" + hash,  // above the maximum
        "pbkdf2-sha256$99999999999$" + salt + "$" + hash,
        "pbkdf2-sha256$100000$" + authtest::b64url("short") + "$" + hash,
        "pbkdf2-sha256$100000$" + salt + "==$" + hash,  // padding
        "pbkdf2-sha256$100000$" + salt + "$" + authtest::b64url(std::string(31, 'h')),
        "pbkdf2-sha256$100000$" + salt + "$" + hash + "A",
        "pbkdf2-sha256$100000$" + salt + "$" + hash.substr(0, 42) + "+",  // not base64url
        " " + good,
    };
    for (const auto& value : bad) {
        SCOPED_TRACE(value);
        std::string problem;
        EXPECT_FALSE(PasswordHash::wellFormed(value, &problem));
        EXPECT_FALSE(problem.empty());
        EXPECT_FALSE(PasswordHash::verify("pw", value));
    }
}

TEST_F(ProxyPasswordHash, TamperedHashFails) {
    std::string tampered = stored_;
    tampered.back() = tampered.back() == 'A' ? 'Q' : 'A';  // 'A'/'Q' keep the trailing bits zero
    ASSERT_TRUE(PasswordHash::wellFormed(tampered));
    EXPECT_FALSE(PasswordHash::verify("correct horse", tampered));
}
