// ${NAME} expansion as seen through the loader: in any string, never leaking values.

#include "config_test_support.h"

namespace mcph::config {
namespace {

using test::load;
using test::ScopedEnv;

TEST(ConfigLoaderEnv, ExpandsStringsNumbersAndFlags) {
    ScopedEnv host("MCPH_T_HOST", std::string("::1"));
    ScopedEnv port("MCPH_T_PORT", std::string("9090"));
    ScopedEnv flag("MCPH_T_FLAG", std::string("true"));
    ScopedEnv domain("MCPH_T_DOMAIN", std::string("mcp.example.com"));
    const LoadResult r = load(R"({
        "server": {"host": "${MCPH_T_HOST}", "port": "${MCPH_T_PORT}",
                   "publicUrl": "https://${MCPH_T_DOMAIN}/"},
        "mcp": {"allowedOrigins": ["https://app.${MCPH_T_DOMAIN}"]},
        "auth": {"dangerouslyAllowUnauthenticatedNonLoopback": "${MCPH_T_FLAG}"}})");
    ASSERT_TRUE(r.ok()) << r.errors[0];
    EXPECT_EQ(r.config.server.host, "::1");
    EXPECT_EQ(r.config.server.port, 9090);
    EXPECT_EQ(r.config.server.publicUrl, "https://mcp.example.com");
    EXPECT_EQ(r.config.mcp.allowedOrigins, (test::Lines{"https://app.mcp.example.com"}));
    EXPECT_TRUE(r.config.auth.dangerouslyAllowUnauthenticatedNonLoopback);
}

TEST(ConfigLoaderEnv, MissingVariableNamesKeyAndVariable) {
    ScopedEnv unset("MCPH_T_MISSING", std::nullopt);
    EXPECT_EQ(load(R"({"logging": {"level": "${MCPH_T_MISSING}"}})").errors,
              (test::Lines{"t.json: logging.level: environment variable \"MCPH_T_MISSING\" is "
                           "not set"}));
}

TEST(ConfigLoaderEnv, EscapedReferenceIsLiteral) {
    ScopedEnv unset("MCPH_T_X", std::nullopt);
    test::TempDir dir;
    const LoadResult r =
        load(R"({"plugins": {"settings": {"p": {"template": "$${MCPH_T_X}"}}}})", dir.str());
    ASSERT_TRUE(r.ok()) << r.errors[0];
    EXPECT_EQ(r.config.plugins.settingsJson.at("p"), R"({"template":"${MCPH_T_X}"})");
}

TEST(ConfigLoaderEnv, MalformedReferencesAreErrors) {
    EXPECT_EQ(load(R"({"server": {"host": "${MCPH_T_HOST"}})").errors,
              (test::Lines{"t.json: server.host: unterminated \"${\" (write \"$${\" for a "
                           "literal \"${\")"}));
    EXPECT_EQ(load(R"({"server": {"host": "${9}"}})").errors,
              (test::Lines{"t.json: server.host: invalid environment variable reference \"${9}\" "
                           "(names match [A-Za-z_][A-Za-z0-9_]*)"}));
}

TEST(ConfigLoaderEnv, InvalidExpandedValuesAreShownAsTheReference) {
    ScopedEnv port("MCPH_T_PORT", std::string("s3cr3t-port"));
    ScopedEnv url("MCPH_T_URL", std::string("ftp://s3cr3t.example"));
    ScopedEnv origin("MCPH_T_ORIGIN", std::string("https://s3cr3t.example/path"));
    ScopedEnv level("MCPH_T_LEVEL", std::string("s3cr3t"));
    ScopedEnv dir("MCPH_T_DIR", std::string("/s3cr3t/nowhere"));
    const LoadResult r = load(R"({
        "server": {"port": "${MCPH_T_PORT}", "publicUrl": "${MCPH_T_URL}"},
        "mcp": {"allowedOrigins": ["${MCPH_T_ORIGIN}"]},
        "plugins": {"dir": "${MCPH_T_DIR}"},
        "logging": {"level": "${MCPH_T_LEVEL}"}})");
    ASSERT_EQ(r.errors.size(), 5u);
    for (const std::string& e : r.errors) {
        EXPECT_FALSE(test::contains(e, "s3cr3t")) << e;
    }
    EXPECT_EQ(r.errors[0],
              "t.json: server.port: expected an integer between 0 and 65535, got the value of "
              "\"${MCPH_T_PORT}\"");
    EXPECT_EQ(
        r.errors[1],
        "t.json: server.publicUrl: not an absolute http(s) URL: the value of \"${MCPH_T_URL}\"");
    EXPECT_EQ(r.errors[3],
              "t.json: plugins.dir: directory does not exist: the value of \"${MCPH_T_DIR}\"");
}

TEST(ConfigLoaderEnv, ExpandsInsidePluginSettingsAtAnyDepth) {
    ScopedEnv key("MCPH_T_API_KEY", std::string("k-123"));
    ScopedEnv region("MCPH_T_REGION", std::string("eu"));
    const LoadResult r = load(R"({"plugins": {"settings": {"weather": {
        "apiKey": "${MCPH_T_API_KEY}", "n": 3, "nested": {"list": ["${MCPH_T_REGION}-1", true]}}}}})");
    ASSERT_TRUE(r.ok()) << r.errors[0];
    EXPECT_EQ(r.config.plugins.settingsJson.at("weather"),
              R"({"apiKey":"k-123","n":3,"nested":{"list":["eu-1",true]}})");
}

TEST(ConfigLoaderEnv, MissingVariableInPluginSettingsHasTheFullPath) {
    ScopedEnv unset("MCPH_T_NOPE", std::nullopt);
    const LoadResult r = load(R"({"plugins": {"settings": {"weather": {
        "nested": {"list": ["ok", "${MCPH_T_NOPE}"]}}}}})");
    EXPECT_EQ(r.errors, (test::Lines{"t.json: plugins.settings.weather.nested.list[1]: "
                                     "environment variable \"MCPH_T_NOPE\" is not set"}));
    EXPECT_EQ(r.config.plugins.settingsJson.count("weather"), 0u);
}

}  // namespace
}  // namespace mcph::config
