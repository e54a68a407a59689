// Matching resources/read URIs against a plugin's RFC 6570 level-1 URI templates.
#include <gtest/gtest.h>

#include "pluginhost/OfferingSpecs.h"

using mcph::pluginhost::ResourceTemplateSpec;

namespace {
ResourceTemplateSpec templ(const std::string& t) {
    ResourceTemplateSpec spec;
    spec.uriTemplate = t;
    return spec;
}
}  // namespace

TEST(ResourceTemplateMatch, VariablesAreExtracted) {
    auto vars = templ("test://template/{id}/data").match("test://template/42/data");
    ASSERT_TRUE(vars);
    EXPECT_EQ(vars->at("id"), "42");
    auto two = templ("db://{table}/{row}").match("db://users/7");
    ASSERT_TRUE(two);
    EXPECT_EQ(two->at("table"), "users");
    EXPECT_EQ(two->at("row"), "7");
}

TEST(ResourceTemplateMatch, OtherUrisDoNotMatch) {
    auto t = templ("test://template/{id}/data");
    EXPECT_FALSE(t.match("test://template/42/other"));
    EXPECT_FALSE(t.match("test://template//data"));        // a variable takes at least one character
    EXPECT_FALSE(t.match("test://template/4/2/data"));     // ... and no '/'
    EXPECT_FALSE(t.match("test://template/42/data/more"));
    EXPECT_FALSE(t.match("other://template/42/data"));
}
