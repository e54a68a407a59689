// The whoami plugin (C++ layer): the auth context comes back as structured content and text.
#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "fake_host.hpp"
#include "test_json.hpp"

namespace abitest {
namespace {

class Whoami : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_EQ(plugin_.init("{}"), MCPH_OK); }

    Poco::JSON::Object::Ptr whoami(const Caller& caller) {
        const Outcome outcome = plugin_.invoke("whoami", "{}", caller);
        EXPECT_EQ(outcome.status, MCPH_OK);
        EXPECT_FALSE(outcome.result.isError);
        if (!outcome.result.structured) {
            ADD_FAILURE() << "no structured content";
            return new Poco::JSON::Object;
        }
        EXPECT_EQ(outcome.text(), *outcome.result.structured) << "text must equal the JSON";
        return parseObject(*outcome.result.structured);
    }

    LoadedPlugin plugin_{paths::whoami};
};

TEST_F(Whoami, DescribesTheAnonymousCaller) {
    const auto me = whoami(Caller::anonymous());
    EXPECT_EQ(me->getValue<std::string>("userId"), "anonymous");
    EXPECT_FALSE(me->getValue<bool>("authenticated"));
    EXPECT_EQ(me->getValue<std::string>("issuer"), "");
    EXPECT_EQ(me->getValue<std::string>("email"), "");
    EXPECT_EQ(me->getValue<std::string>("name"), "");
    EXPECT_EQ(me->getValue<std::string>("clientId"), "");
    EXPECT_EQ(me->getArray("scopes")->size(), 0u);
}

TEST_F(Whoami, ReturnsEveryFieldOfTheContextEscaped) {
    const std::string name = "Zo\xc3\xab \"Z\" O'Neil\\\n\x01";
    const auto me = whoami(Caller::user("https://idp.example/", "user-42",
                                        {"notes:read", "notes:write", "a\"b"}, "zoe@example.com",
                                        name, "client-7"));
    EXPECT_EQ(me->getValue<std::string>("userId"), "user-42");
    EXPECT_TRUE(me->getValue<bool>("authenticated"));
    EXPECT_EQ(me->getValue<std::string>("issuer"), "https://idp.example/");
    EXPECT_EQ(me->getValue<std::string>("email"), "zoe@example.com");
    EXPECT_EQ(me->getValue<std::string>("name"), name);
    EXPECT_EQ(me->getValue<std::string>("clientId"), "client-7");
    const auto scopes = me->getArray("scopes");
    ASSERT_EQ(scopes->size(), 3u);
    EXPECT_EQ(scopes->getElement<std::string>(0), "notes:read");
    EXPECT_EQ(scopes->getElement<std::string>(1), "notes:write");
    EXPECT_EQ(scopes->getElement<std::string>(2), "a\"b");
}

TEST_F(Whoami, OutputSchemaRequiresExactlyTheFieldsReturned) {
    const auto schema = parseObject(plugin_.descriptor()->tools[0].output_schema_json);
    std::set<std::string> required;
    for (const auto& field : *schema->getArray("required")) {
        required.insert(field.convert<std::string>());
    }
    const auto me = whoami(Caller::anonymous());
    std::set<std::string> returned;
    for (const auto& member : *me) {
        returned.insert(member.first);
    }
    EXPECT_EQ(required, returned);
    // Every property is required but picture, which is there only when known (not for anonymous).
    EXPECT_EQ(schema->getObject("properties")->size(), returned.size() + 1);
    EXPECT_TRUE(schema->getObject("properties")->has("picture"));
}

}  // namespace
}  // namespace abitest
