// The host's check of structured tool output against the tool's output schema.
#include <gtest/gtest.h>
#include <Poco/JSON/Parser.h>

#include "pluginhost/JsonSchemaCheck.h"

using mcph::pluginhost::checkAgainstSchema;

namespace {

Poco::Dynamic::Var json(const std::string& text) { return Poco::JSON::Parser().parse(text); }
Poco::JSON::Object::Ptr schema(const std::string& text) { return json(text).extract<Poco::JSON::Object::Ptr>(); }

const char* kWeather = R"({"type":"object","properties":{
    "city":{"type":"string","minLength":1},
    "celsius":{"type":"number","minimum":-90,"maximum":60},
    "sky":{"enum":["clear","cloudy"]},
    "hours":{"type":"array","items":{"type":"integer"}}},
  "required":["city","celsius"],"additionalProperties":false})";

}  // namespace

TEST(JsonSchemaCheck, AValueThatFitsPasses) {
    EXPECT_FALSE(checkAgainstSchema(json(R"({"city":"Oslo","celsius":-3.5,"sky":"clear","hours":[1,2]})"), schema(kWeather)));
}

TEST(JsonSchemaCheck, EachBrokenRuleIsNamedWithItsPath) {
    auto s = schema(kWeather);
    EXPECT_EQ(*checkAgainstSchema(json(R"({"city":"Oslo"})"), s), "$: missing required property \"celsius\"");
    EXPECT_EQ(*checkAgainstSchema(json(R"({"city":"Oslo","celsius":"cold"})"), s),
              "$.celsius: expected type \"number\", got \"cold\"");
    EXPECT_EQ(*checkAgainstSchema(json(R"({"city":"Oslo","celsius":1,"wind":3})"), s), "$.wind: additional property not allowed");
    EXPECT_EQ(*checkAgainstSchema(json(R"({"city":"Oslo","celsius":1,"hours":[1,2.5]})"), s),
              "$.hours[1]: expected type \"integer\", got 2.5");
    EXPECT_TRUE(checkAgainstSchema(json(R"({"city":"Oslo","celsius":1,"sky":"rain"})"), s));
    EXPECT_TRUE(checkAgainstSchema(json(R"({"city":"Oslo","celsius":99})"), s));
    EXPECT_TRUE(checkAgainstSchema(json(R"({"city":"","celsius":1})"), s));
}

TEST(JsonSchemaCheck, LocalReferencesAndCompositionAreFollowed) {
    auto s = schema(R"({"type":"object","$defs":{"id":{"type":"string","minLength":2}},
        "properties":{"owner":{"$ref":"#/$defs/id"},"size":{"oneOf":[{"type":"integer"},{"type":"string"}]}}})");
    EXPECT_FALSE(checkAgainstSchema(json(R"({"owner":"ab","size":3})"), s));
    EXPECT_TRUE(checkAgainstSchema(json(R"({"owner":"a"})"), s));
    EXPECT_TRUE(checkAgainstSchema(json(R"({"size":true})"), s));
}

TEST(JsonSchemaCheck, UnknownKeywordsAndRemoteReferencesNeverFailAValue) {
    auto s = schema(R"({"type":"object","properties":{"u":{"format":"uri","$ref":"https://example.com/s.json"}}})");
    EXPECT_FALSE(checkAgainstSchema(json(R"({"u":"not checked"})"), s));
}
