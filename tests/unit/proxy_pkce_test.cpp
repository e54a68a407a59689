// Pkce (S256 only) and the Secrets primitives under it.
#include <gtest/gtest.h>

#include <set>

#include "mcphost/auth/server/Pkce.h"
#include "mcphost/auth/server/Secrets.h"

using mcph::auth::server::Pkce;
using mcph::auth::server::Secrets;

namespace {
// RFC 7636 Appendix B.
const std::string kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const std::string kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
}  // namespace

TEST(ProxyPkce, Rfc7636AppendixBVector) {
    EXPECT_EQ(Pkce::challengeS256(kVerifier), kChallenge);
    EXPECT_TRUE(Pkce::verify(kVerifier, kChallenge));
    EXPECT_TRUE(Pkce::verify(kVerifier, kChallenge, "S256"));
}

TEST(ProxyPkce, WrongVerifierOrChallengeFails) {
    std::string other = kVerifier;
    other.back() = 'j';
    EXPECT_FALSE(Pkce::verify(other, kChallenge));
    std::string otherChallenge = kChallenge;
    otherChallenge[0] = 'F';
    EXPECT_FALSE(Pkce::verify(kVerifier, otherChallenge));
    EXPECT_FALSE(Pkce::verify(kVerifier, kChallenge + "A"));
    EXPECT_FALSE(Pkce::verify(kVerifier, ""));
    EXPECT_FALSE(Pkce::verify("", kChallenge));
}

TEST(ProxyPkce, OnlyS256) {
    EXPECT_TRUE(Pkce::isSupportedMethod("S256"));
    EXPECT_FALSE(Pkce::isSupportedMethod("plain"));
    EXPECT_FALSE(Pkce::isSupportedMethod("s256"));
    EXPECT_FALSE(Pkce::isSupportedMethod(""));
    // "plain" with challenge == verifier must not pass.
    EXPECT_FALSE(Pkce::verify(kVerifier, kVerifier, "plain"));
    EXPECT_FALSE(Pkce::verify(kVerifier, kChallenge, "plain"));
    EXPECT_FALSE(Pkce::verify(kVerifier, kChallenge, ""));
}

TEST(ProxyPkce, VerifierCharsetAndLength) {
    EXPECT_TRUE(Pkce::isValidVerifier(std::string(43, 'a')));
    EXPECT_TRUE(Pkce::isValidVerifier(std::string(128, '~')));
    EXPECT_TRUE(Pkce::isValidVerifier("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"));
    EXPECT_FALSE(Pkce::isValidVerifier(std::string(42, 'a')));
    EXPECT_FALSE(Pkce::isValidVerifier(std::string(129, 'a')));
    EXPECT_FALSE(Pkce::isValidVerifier(""));
    for (char bad : {'+', '/', '=', ' ', '%', '\n', '\0', '!', '*'}) {
        std::string v(43, 'a');
        v[20] = bad;
        EXPECT_FALSE(Pkce::isValidVerifier(v)) << int(bad);
    }
    std::string nonAscii(43, 'a');
    nonAscii[5] = '\xc3';
    EXPECT_FALSE(Pkce::isValidVerifier(nonAscii));
    // A too-short verifier is refused even when its hash matches the challenge.
    const std::string shortV(42, 'a');
    EXPECT_FALSE(Pkce::verify(shortV, Pkce::challengeS256(shortV)));
}

TEST(ProxyPkce, ChallengeShape) {
    EXPECT_TRUE(Pkce::isValidChallenge(kChallenge));
    EXPECT_FALSE(Pkce::isValidChallenge(kChallenge + "="));  // padded
    EXPECT_FALSE(Pkce::isValidChallenge(kChallenge.substr(1)));
    EXPECT_FALSE(Pkce::isValidChallenge(std::string(43, '+')));
    EXPECT_FALSE(Pkce::isValidChallenge(kVerifier + "x"));
    // Last character with non-zero trailing bits: a second spelling of a digest.
    std::string alt = kChallenge;
    alt.back() = 'N';
    EXPECT_FALSE(Pkce::isValidChallenge(alt));
}

TEST(ProxyPkce, GeneratedVerifiersAreValidAndDistinct) {
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        const auto v = Pkce::generateVerifier();
        EXPECT_TRUE(Pkce::isValidVerifier(v)) << v;
        EXPECT_TRUE(Pkce::verify(v, Pkce::challengeS256(v)));
        seen.insert(v);
    }
    EXPECT_EQ(seen.size(), 50u);
}

TEST(ProxySecrets, HashesAndComparisons) {
    EXPECT_EQ(Secrets::sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(Secrets::sha256("abc").size(), 32u);
    EXPECT_TRUE(Secrets::constantTimeEquals("abc", "abc"));
    EXPECT_TRUE(Secrets::constantTimeEquals("", ""));
    EXPECT_FALSE(Secrets::constantTimeEquals("abc", "abd"));
    EXPECT_FALSE(Secrets::constantTimeEquals("abc", "abcd"));
    EXPECT_FALSE(Secrets::constantTimeEquals("abc", ""));
    EXPECT_EQ(Secrets::randomToken(32).size(), 43u);
    EXPECT_NE(Secrets::randomToken(), Secrets::randomToken());
}

TEST(ProxySecrets, ClientSecretMatchesOnlyItsHash) {
    const auto secret = Secrets::randomToken();
    const auto stored = Secrets::sha256Hex(secret);
    EXPECT_TRUE(Secrets::matchesHash(secret, stored));
    EXPECT_FALSE(Secrets::matchesHash(secret + "x", stored));
    EXPECT_FALSE(Secrets::matchesHash("", stored));
    EXPECT_FALSE(Secrets::matchesHash(secret, ""));  // a public client has no secret to match
    EXPECT_FALSE(Secrets::matchesHash("", ""));
    EXPECT_FALSE(Secrets::matchesHash(stored, stored));  // the hash itself is not the secret
}
