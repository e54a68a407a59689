// The paths of the ABI 1.2 argument accessors and structured builders: names and RFC 6901
// JSON Pointers (escapes, array indexes, appending).
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <sstream>

#include "pluginhost/JsonPointer.h"

using namespace mcph::pluginhost;

namespace {

Poco::Dynamic::Var doc(const std::string& json) { return Poco::JSON::Parser().parse(json); }

std::string text(const Poco::JSON::Object::Ptr& obj) {
    std::ostringstream out;
    obj->stringify(out);
    return out.str();
}

}  // namespace

TEST(JsonPointer, NamesAndPointersParse) {
    EXPECT_EQ(*parseJsonPath("text"), std::vector<std::string>{"text"});
    EXPECT_EQ(*parseJsonPath("a/b"), std::vector<std::string>{"a/b"});  // a name, not a pointer
    EXPECT_EQ(*parseJsonPath(""), std::vector<std::string>{});
    EXPECT_EQ(*parseJsonPath("/"), std::vector<std::string>{""});
    EXPECT_EQ(*parseJsonPath("/a~1b/~0c/0"), (std::vector<std::string>{"a/b", "~c", "0"}));
    // "~01" is "~1" (decoded once, left to right), never '/'.
    EXPECT_EQ(*parseJsonPath("/~01"), std::vector<std::string>{"~1"});
    EXPECT_FALSE(parseJsonPath("/a~2"));
    EXPECT_FALSE(parseJsonPath("/a~"));
}

TEST(JsonPointer, ResolvesMembersAndIndexes) {
    const auto root = doc(R"({"a":{"b c":[10,{"d":true}]},"":1,"m~n":2})");
    EXPECT_EQ(resolveJsonPath(root, *parseJsonPath("/a/b c/0"))->convert<int>(), 10);
    EXPECT_TRUE(resolveJsonPath(root, *parseJsonPath("/a/b c/1/d"))->extract<bool>());
    EXPECT_EQ(resolveJsonPath(root, *parseJsonPath("/"))->convert<int>(), 1);
    EXPECT_EQ(resolveJsonPath(root, *parseJsonPath("/m~0n"))->convert<int>(), 2);
    EXPECT_FALSE(resolveJsonPath(root, *parseJsonPath("/a/b c/2")));    // past the end
    EXPECT_FALSE(resolveJsonPath(root, *parseJsonPath("/a/b c/01")));   // leading zero
    EXPECT_FALSE(resolveJsonPath(root, *parseJsonPath("/a/b c/-")));    // names nothing to read
    EXPECT_FALSE(resolveJsonPath(root, *parseJsonPath("/a/b c/0/x")));  // into a number
    EXPECT_FALSE(resolveJsonPath(root, *parseJsonPath("missing")));
}

TEST(JsonPointer, AssignsCreatingParentsAndAppends) {
    Poco::JSON::Object::Ptr root = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    EXPECT_TRUE(assignJsonPath(root, *parseJsonPath("/a/b"), 1));
    EXPECT_TRUE(assignJsonPath(root, *parseJsonPath("/list/-"), std::string("x")));
    EXPECT_TRUE(assignJsonPath(root, *parseJsonPath("/list/-"), std::string("y")));
    EXPECT_TRUE(assignJsonPath(root, *parseJsonPath("/list/0"), std::string("z")));
    EXPECT_TRUE(assignJsonPath(root, *parseJsonPath("/a/b"), 2));  // replaced in place
    EXPECT_EQ(text(root), R"({"a":{"b":2},"list":["z","y"]})");
    EXPECT_FALSE(assignJsonPath(root, *parseJsonPath("/list/5"), 1));  // no such index
    EXPECT_FALSE(assignJsonPath(root, *parseJsonPath("/a/b/c"), 1));   // under a number
    EXPECT_FALSE(assignJsonPath(root, {}, 1));                         // the root itself
}
