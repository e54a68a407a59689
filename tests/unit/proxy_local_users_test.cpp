// LocalUserDirectory: the `local` provider's users file. Loading refuses anything ambiguous
// (unknown keys, look-alike usernames, malformed scopes or hashes) with a message that names the
// problem but never a hash; authentication checks the password. Hashes are made once per suite.
#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>
#include <string>

#include "mcphost/auth/server/LocalUserDirectory.h"
#include "mcphost/auth/server/PasswordHash.h"
#include "proxy_test_support.h"

using mcph::auth::server::LocalUserDirectory;
using mcph::auth::server::PasswordHash;

namespace {

class ProxyLocalUsers : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (aliceHash_.empty()) {
            aliceHash_ = PasswordHash::hash("alice-pw", PasswordHash::kMinimumIterations);
            bobHash_ = PasswordHash::hash("bob-pw", PasswordHash::kMinimumIterations);
        }
    }

    static std::string alice(const std::string& extra = "") {
        return R"({"username":"alice","password":")" + aliceHash_ +
               R"(","email":"alice@example.com","name":"Alice","scopes":["notes:read","notes:write"])" +
               extra + "}";
    }
    static std::string bob(const std::string& extra = "") {
        return R"({"username":"bob","password":")" + bobHash_ + "\"" + extra + "}";
    }
    static std::string file(const std::string& users) { return R"({"users":[)" + users + "]}"; }

    // Loading fails with a message holding `expected` and no password hash.
    static void expectRefused(const std::string& json, const std::string& expected) {
        try {
            LocalUserDirectory::fromJson(json);
            ADD_FAILURE() << "accepted; expected a refusal mentioning " << expected;
        } catch (const std::runtime_error& e) {
            const std::string message = e.what();
            EXPECT_NE(message.find(expected), std::string::npos) << message;
            EXPECT_EQ(message.find(aliceHash_.substr(22)), std::string::npos) << message;
            EXPECT_EQ(message.find(bobHash_.substr(22)), std::string::npos) << message;
        }
    }

    static inline std::string aliceHash_;
    static inline std::string bobHash_;
};

}  // namespace

TEST_F(ProxyLocalUsers, AuthenticatesUsersAndReturnsTheirProfile) {
    const auto dir = LocalUserDirectory::fromJson(file(alice() + "," + bob()));
    EXPECT_EQ(dir.size(), 2u);

    const auto a = dir.authenticate("alice", "alice-pw");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->username, "alice");
    EXPECT_EQ(a->email, "alice@example.com");
    EXPECT_EQ(a->name, "Alice");
    ASSERT_TRUE(a->scopes);
    EXPECT_EQ(*a->scopes, (std::vector<std::string>{"notes:read", "notes:write"}));

    const auto b = dir.authenticate("bob", "bob-pw");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->email, "");
    EXPECT_FALSE(b->scopes) << "no scopes key means no limit";
}

TEST_F(ProxyLocalUsers, WrongPasswordOrUnknownUserIsRefused) {
    const auto dir = LocalUserDirectory::fromJson(file(alice() + "," + bob()));
    EXPECT_FALSE(dir.authenticate("alice", "bob-pw"));
    EXPECT_FALSE(dir.authenticate("alice", ""));
    EXPECT_FALSE(dir.authenticate("Alice", "alice-pw")) << "usernames match exactly";
    EXPECT_FALSE(dir.authenticate("carol", "alice-pw"));
    EXPECT_FALSE(dir.authenticate("", ""));
}

TEST_F(ProxyLocalUsers, EmptyScopeListGrantsNothingButIsAccepted) {
    const auto dir = LocalUserDirectory::fromJson(file(bob(R"(,"scopes":[])")));
    const auto b = dir.authenticate("bob", "bob-pw");
    ASSERT_TRUE(b);
    ASSERT_TRUE(b->scopes);
    EXPECT_TRUE(b->scopes->empty());
}

TEST_F(ProxyLocalUsers, UnknownKeysAreRefusedSoATypoCannotLiftALimit) {
    // "scope" instead of "scopes" would otherwise mean "no limit".
    expectRefused(file(bob(R"(,"scope":["notes:read"])")), "unknown key \"scope\"");
    expectRefused(file(bob(R"(,"admin":true)")), "unknown key \"admin\"");
    expectRefused(R"({"users":[)" + bob() + R"(],"user":[]})", "unknown top-level key \"user\"");
}

TEST_F(ProxyLocalUsers, DuplicateAndLookAlikeUsernamesAreRefused) {
    expectRefused(file(bob() + "," + bob()), "duplicate username");
    const std::string bigBob = R"({"username":"BOB","password":")" + aliceHash_ + "\"}";
    expectRefused(file(bob() + "," + bigBob), "duplicate username");
}

TEST_F(ProxyLocalUsers, MalformedUsersAreRefused) {
    expectRefused(file(R"({"username":"","password":")" + aliceHash_ + "\"}"), "\"username\"");
    expectRefused(file(R"({"password":")" + aliceHash_ + "\"}"), "\"username\"");
    expectRefused(file(R"({"username":" alice","password":")" + aliceHash_ + "\"}"),
                  "\"username\"");
    expectRefused(file(R"({"username":"a\nb","password":")" + aliceHash_ + "\"}"), "\"username\"");
    expectRefused(file(R"({"username":7,"password":")" + aliceHash_ + "\"}"), "\"username\"");
    expectRefused(file(R"({"username":"carol"})"), "\"password\"");
    expectRefused(file(R"({"username":"carol","password":"hunter2"})"), "not a usable hash");
    expectRefused(file(bob(R"(,"email":null)")), "\"email\" must be a string");
    expectRefused(file(bob(R"(,"name":["x"])")), "\"name\" must be a string");
    expectRefused(file(R"("bob")"), "user 1: must be an object");
}

TEST_F(ProxyLocalUsers, WeakHashIsRefusedWithoutEchoingIt) {
    std::string weak = bobHash_;
    weak.replace(weak.find("$100000$"), 8, "$1000$");
    try {
        LocalUserDirectory::fromJson(file(R"({"username":"carol","password":")" + weak + "\"}"));
        ADD_FAILURE() << "accepted a 1000-iteration hash";
    } catch (const std::runtime_error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("carol"), std::string::npos) << message;
        EXPECT_NE(message.find("below 100000"), std::string::npos) << message;
        EXPECT_EQ(message.find(weak.substr(20)), std::string::npos) << message;
    }
}

TEST_F(ProxyLocalUsers, ScopesMustBeScopeTokens) {
    expectRefused(file(bob(R"(,"scopes":"notes:read")")), "array of strings");
    expectRefused(file(bob(R"(,"scopes":[1])")), "array of strings");
    expectRefused(file(bob(R"(,"scopes":["notes read"])")), "malformed scope");
    expectRefused(file(bob(R"(,"scopes":["notes\"read"])")), "malformed scope");
    expectRefused(file(bob(R"(,"scopes":[""])")), "malformed scope");
    expectRefused(file(bob(R"(,"scopes":["caf\u00e9"])")), "malformed scope");
}

TEST_F(ProxyLocalUsers, DocumentShapeIsChecked) {
    expectRefused("", "not a valid JSON object");
    expectRefused("[]", "not a valid JSON object");
    expectRefused(R"({"users":[)", "not a valid JSON object");
    expectRefused("{}", "\"users\" must be an array");
    expectRefused(R"({"users":{}})", "\"users\" must be an array");
    expectRefused(R"({"users":[]})", "\"users\" is empty");
}

TEST_F(ProxyLocalUsers, LoadsFromAFileAndNamesTheFileInErrors) {
    proxytest::TempDir dir;
    const std::string path = dir.file("users.json");
    {
        std::ofstream out(path);
        out << file(alice());
    }
    const auto users = LocalUserDirectory::load(path);
    EXPECT_TRUE(users.authenticate("alice", "alice-pw"));

    {
        std::ofstream out(path);
        out << file(bob(R"(,"scope":["x"])"));
    }
    try {
        LocalUserDirectory::load(path);
        ADD_FAILURE() << "accepted an unknown key";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
    try {
        LocalUserDirectory::load(dir.file("missing.json"));
        ADD_FAILURE() << "loaded a missing file";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("missing.json"), std::string::npos) << e.what();
    }
}
