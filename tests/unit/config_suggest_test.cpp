#include "config/reader/Suggest.h"
#include "config_test_support.h"

namespace mcph::config {
namespace {

TEST(ConfigSuggest, EditDistance) {
    EXPECT_EQ(editDistance("host", "host"), 0u);
    EXPECT_EQ(editDistance("hots", "host"), 1u);  // transposition
    EXPECT_EQ(editDistance("prot", "port"), 1u);
    EXPECT_EQ(editDistance("", "abc"), 3u);
    EXPECT_EQ(editDistance("kitten", "sitting"), 3u);
}

TEST(ConfigSuggest, ClosestMatch) {
    const std::vector<std::string> keys = {"host",    "port",      "publicUrl",
                                           "threads", "maxQueued", "tls"};
    EXPECT_EQ(closestMatch("hots", keys), "host");
    EXPECT_EQ(closestMatch("thread", keys), "threads");
    EXPECT_EQ(closestMatch("publicURL", keys), "publicUrl");  // case-insensitive
    EXPECT_EQ(closestMatch("maxqueue", keys), "maxQueued");
    EXPECT_EQ(closestMatch("certificate", keys), std::nullopt);
    EXPECT_EQ(closestMatch("x", keys), std::nullopt);
    EXPECT_EQ(closestMatch("ssl", keys), std::nullopt);
}

TEST(ConfigSuggest, ContainedWordIsSuggested) {
    EXPECT_EQ(closestMatch("origins", {"path", "allowedOrigins"}), "allowedOrigins");
    EXPECT_EQ(closestMatch("info", {"debug", "information"}), "information");
}

}  // namespace
}  // namespace mcph::config
