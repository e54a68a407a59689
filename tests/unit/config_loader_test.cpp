// The loader's general behaviour and the server, mcp and logging sections.

#include "config_test_support.h"

namespace mcph::config {
namespace {

using test::load;

TEST(ConfigLoader, EmptyObjectGivesTheDefaults) {
    const LoadResult r = load("{}");
    ASSERT_TRUE(r.ok()) << r.errors[0];
    EXPECT_TRUE(r.warnings.empty());
    const HostConfig& c = r.config;
    EXPECT_EQ(c.server.host, "127.0.0.1");
    EXPECT_EQ(c.server.port, 8080);
    EXPECT_EQ(c.server.publicUrl, "");
    EXPECT_EQ(c.server.threads, 64);
    EXPECT_EQ(c.server.maxQueued, 256);
    EXPECT_FALSE(c.server.tls.enabled());
    EXPECT_EQ(c.mcp.path, "/mcp");
    EXPECT_TRUE(c.mcp.allowedOrigins.empty());
    EXPECT_EQ(c.mcp.maxRequestBytes, 4u * 1024 * 1024);
    EXPECT_EQ(c.mcp.pageSize, 100);
    EXPECT_EQ(c.mcp.sessionIdleSeconds, 1800);
    EXPECT_EQ(c.mcp.maxSessions, 20000);
    EXPECT_EQ(c.mcp.maxSessionsPerUser, 32);
    EXPECT_TRUE(c.server.trustedProxies.empty());
    EXPECT_EQ(c.plugins.dir, "");
    EXPECT_TRUE(c.plugins.settingsJson.empty());
    EXPECT_EQ(c.auth.provider, "none");
    EXPECT_FALSE(c.auth.dangerouslyAllowUnauthenticatedNonLoopback);
    EXPECT_TRUE(std::holds_alternative<NoAuthSettings>(c.auth.settings));
    EXPECT_EQ(c.logging.level, "information");
}

TEST(ConfigLoader, EmbeddedDefaultsAreTheDefaultsWithAPluginsDir) {
    const HostConfig c = embeddedDefaults("/opt/mcp/plugins");
    EXPECT_EQ(c.plugins.dir, "/opt/mcp/plugins");
    EXPECT_EQ(c.server.host, "127.0.0.1");
    EXPECT_EQ(c.server.port, 8080);
    EXPECT_EQ(c.auth.provider, "local");
    ASSERT_TRUE(std::holds_alternative<mcph::auth::server::AuthorizationServerOptions>(c.auth.settings));
    EXPECT_EQ(std::get<mcph::auth::server::AuthorizationServerOptions>(c.auth.settings).usersFile, "");
    EXPECT_TRUE(isLoopbackHost(c.server.host));
}

TEST(ConfigLoader, EveryKeyIsRead) {
    const LoadResult r = load(R"({
        "server": {"host": "localhost", "port": 0, "publicUrl": "https://mcp.example.com/",
                   "threads": 8, "maxQueued": 16},
        "mcp": {"path": "/v1/mcp", "allowedOrigins": ["https://app.example.com"],
                "maxRequestBytes": 1024, "pageSize": 1000, "sessionIdleSeconds": 10,
                "maxSessions": 1},
        "auth": {"provider": "none", "dangerouslyAllowUnauthenticatedNonLoopback": false},
        "logging": {"level": "debug"}
    })");
    ASSERT_TRUE(r.ok()) << r.errors[0];
    const HostConfig& c = r.config;
    EXPECT_EQ(c.server.host, "localhost");
    EXPECT_EQ(c.server.port, 0);
    EXPECT_EQ(c.server.publicUrl, "https://mcp.example.com");
    EXPECT_EQ(c.server.threads, 8);
    EXPECT_EQ(c.server.maxQueued, 16);
    EXPECT_EQ(c.mcp.path, "/v1/mcp");
    EXPECT_EQ(c.mcp.allowedOrigins, (test::Lines{"https://app.example.com"}));
    EXPECT_EQ(c.mcp.maxRequestBytes, 1024u);
    EXPECT_EQ(c.mcp.pageSize, 1000);
    EXPECT_EQ(c.mcp.sessionIdleSeconds, 10);
    EXPECT_EQ(c.mcp.maxSessions, 1);
    EXPECT_EQ(c.logging.level, "debug");
    EXPECT_EQ(canonicalMcpUrl(c.server.publicUrl, c.mcp.path), "https://mcp.example.com/v1/mcp");
}

TEST(ConfigLoader, CollectsEveryProblemInOneRun) {
    const LoadResult r = load(R"({
        "server": {"hots": "127.0.0.1", "port": "80a", "threads": 0},
        "mcp": {"path": "mcp", "allowedOrigins": ["*"], "pageSize": 5000},
        "logging": {"level": "verbose"},
        "sever": {}
    })");
    EXPECT_EQ(
        r.errors,
        (test::Lines{"t.json: server.port: expected an integer between 0 and 65535, got \"80a\"",
                     "t.json: server.threads: expected an integer between 1 and 1024, got 0",
                     "t.json: server.hots: unknown key (did you mean \"host\"?)",
                     "t.json: mcp.path: must start with \"/\": \"mcp\"",
                     // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one message split
                     "t.json: mcp.allowedOrigins[0]: the wildcard \"*\" is not allowed: list "
                     "each origin explicitly (scheme://host[:port]): \"*\"",
                     "t.json: mcp.pageSize: expected an integer between 1 and 1000, got 5000",
                     "t.json: logging.level: unknown level \"verbose\"; one of none, fatal, "
                     "critical, error, warning, notice, information, debug, trace",
                     "t.json: sever: unknown key (did you mean \"server\"?)"}));
}

TEST(ConfigLoader, UnknownKeysEverywhereWithSuggestions) {
    const LoadResult r = load(R"({"mcp": {"pagesize": 5, "origins": []}, "plugin": {},
                                 "auth": {"provdier": "none"}, "logging": {"lvl": "debug"},
                                 "server": {"tls": {"cert": "x"}}})");
    EXPECT_EQ(
        r.errors,
        (test::Lines{"t.json: server.tls.cert: unknown key (did you mean \"certificateFile\"?)",
                     "t.json: mcp.pagesize: unknown key (did you mean \"pageSize\"?)",
                     "t.json: mcp.origins: unknown key (did you mean \"allowedOrigins\"?)",
                     // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one message split
                     "t.json: auth.provdier: unknown key for auth provider \"none\" "
                     "(did you mean \"provider\"?)",
                     "t.json: logging.lvl: unknown key",
                     "t.json: plugin: unknown key (did you mean \"plugins\"?)"}));
}

TEST(ConfigLoader, WrongTypesAreReported) {
    const LoadResult r = load(R"({"server": 5, "mcp": {"path": 1, "allowedOrigins": "x",
                                 "maxSessions": null}, "logging": [], "auth": {
                                 "dangerouslyAllowUnauthenticatedNonLoopback": "yes"}})");
    EXPECT_EQ(r.errors,
              (test::Lines{"t.json: server: expected an object, got 5",
                           "t.json: mcp.path: expected a string, got 1",
                           "t.json: mcp.allowedOrigins: expected an array of strings, got \"x\"",
                           // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one message split
                           "t.json: mcp.maxSessions: expected an integer between 1 and 1000000, "
                           "got null",
                           "t.json: auth.dangerouslyAllowUnauthenticatedNonLoopback: expected "
                           "true or false, got \"yes\"",
                           "t.json: logging: expected an object, got an array"}));
}

TEST(ConfigLoader, InvalidJsonIsOneLineWithPosition) {
    const LoadResult r = load("{\n  \"server\": {\n    \"port\": 80,\n  }\n}");
    EXPECT_EQ(r.errors, (test::Lines{"t.json:4:3: invalid JSON: trailing comma before '}'"}));
}

TEST(ConfigLoader, EverySyntaxErrorHasAPosition) {
    // Each of these would make Poco throw a message without line or column.
    for (const char* text : {"{\"server\": {\"port\": 1e400}}", "{\"a\": \"\xFF\"}",
                             "{\"server\": {\"port\": 99999999999999999999}}"}) {
        const LoadResult r = load(text);
        ASSERT_EQ(r.errors.size(), 1u) << text;
        EXPECT_TRUE(test::contains(r.errors[0], "t.json:1:")) << text;
    }
}

TEST(ConfigLoader, TopLevelMustBeAnObject) {
    EXPECT_EQ(load("[1]").errors,
              (test::Lines{"t.json: expected a JSON object at the top level, got an array"}));
    EXPECT_EQ(
        load("// nothing\n").errors,
        (test::Lines{"t.json:2:1: invalid JSON: the file is empty (expected a JSON object)"}));
}

TEST(ConfigLoader, DuplicateKeysAreErrors) {
    const LoadResult r = load("{\"server\": {\"port\": 1,\n \"port\": 2}}");
    EXPECT_EQ(r.errors,
              (test::Lines{"t.json: server.port: duplicate key (again at line 2, column 2)"}));
}

TEST(ConfigLoader, CommentsAreAllowed) {
    const LoadResult r = load("// the host\n{ /* server */ \"server\": {\"port\": 9000} // end\n}");
    ASSERT_TRUE(r.ok()) << r.errors[0];
    EXPECT_EQ(r.config.server.port, 9000);
}

TEST(ConfigLoader, PortRange) {
    for (const char* port : {"0", "1", "65535", "\"8080\"", "8080.0"}) {
        EXPECT_TRUE(load(std::string(R"({"server": {"port": )") + port + "}}").ok()) << port;
    }
    EXPECT_EQ(load(R"({"server": {"port": "8080"}})").config.server.port, 8080);
    for (const char* port : {"-1", "65536", "80.5", "true", "\"\"", "\" 80\"", "1e10",
                             "18446744073709551615", "-9223372036854775808"}) {
        const LoadResult r = load(std::string(R"({"server": {"port": )") + port + "}}");
        ASSERT_EQ(r.errors.size(), 1u) << port;
        EXPECT_TRUE(
            test::contains(r.errors[0], "server.port: expected an integer between 0 and 65535"));
    }
}

TEST(ConfigLoader, IntegerRanges) {
    struct Case {
        const char* section;
        const char* key;
        long long min;
        long long max;
    };
    const Case cases[] = {
        {"server", "threads", 1, 1024},
        {"server", "maxQueued", 1, 100000},
        {"mcp", "maxRequestBytes", 1024, 64LL * 1024 * 1024},
        {"mcp", "pageSize", 1, 1000},
        {"mcp", "sessionIdleSeconds", 10, 604800},
        {"mcp", "maxSessions", 1, 1000000},
        {"mcp", "maxSessionsPerUser", 1, 1000000},
    };
    for (const Case& c : cases) {
        auto json = [&](long long v) {
            return "{\"" + std::string(c.section) + "\": {\"" + c.key + "\": " + std::to_string(v) +
                   "}}";
        };
        EXPECT_TRUE(load(json(c.min)).ok()) << c.key;
        EXPECT_TRUE(load(json(c.max)).ok()) << c.key;
        const std::string expected = "t.json: " + std::string(c.section) + "." + c.key +
                                     ": expected an integer between " + std::to_string(c.min) +
                                     " and " + std::to_string(c.max) + ", got ";
        EXPECT_EQ(load(json(c.min - 1)).errors,
                  (test::Lines{expected + std::to_string(c.min - 1)}));
        EXPECT_EQ(load(json(c.max + 1)).errors,
                  (test::Lines{expected + std::to_string(c.max + 1)}));
    }
}

TEST(ConfigLoader, ServerHost) {
    for (const char* host : {"127.0.0.1", "::1", "localhost", "127.0.0.2"}) {
        const LoadResult r = load(std::string(R"({"server": {"host": ")") + host + "\"}}");
        EXPECT_TRUE(r.ok()) << host;
        EXPECT_EQ(r.config.server.host, host);
    }
    EXPECT_EQ(load(R"({"server": {"host": ""}})").errors,
              (test::Lines{"t.json: server.host: expected an IP address or host name, got \"\""}));
    EXPECT_EQ(load(R"({"server": {"host": "[::1]"}})").errors,
              (test::Lines{"t.json: server.host: expected an IP address or host name, got "
                           "\"[::1]\" (write IPv6 addresses without brackets)"}));
    EXPECT_EQ(load(R"({"server": {"host": "http://localhost"}})").errors.size(), 1u);
}

TEST(ConfigLoader, PublicUrl) {
    EXPECT_EQ(load(R"({"server": {"publicUrl": "HTTPS://MCP.example.com/base/"}})")
                  .config.server.publicUrl,
              "https://mcp.example.com/base");
    EXPECT_EQ(load(R"({"server": {"publicUrl": "ftp://x"}})").errors,
              (test::Lines{"t.json: server.publicUrl: not an absolute http(s) URL: \"ftp://x\""}));
    EXPECT_EQ(load(R"({"server": {"publicUrl": "https://h/mcp?x=1"}})").errors,
              (test::Lines{"t.json: server.publicUrl: must not contain a query: "
                           "\"https://h/mcp?x=1\""}));
    EXPECT_EQ(load(R"({"server": {"publicUrl": "https://h/#top"}})").errors,
              (test::Lines{"t.json: server.publicUrl: must not contain a fragment: "
                           "\"https://h/#top\""}));
}

TEST(ConfigLoader, PublicUrlWithUserInfoIsRefusedWithoutRepeatingIt) {
    const LoadResult r = load(R"({"server": {"publicUrl": "https://admin:hunter2@h/"}})");
    EXPECT_EQ(r.errors, (test::Lines{"t.json: server.publicUrl: must not contain user "
                                     "information (user:password@)"}));
}

TEST(ConfigLoader, PublicUrlSchemeNeedNotMatchTls) {
    test::TempDir dir;
    dir.write("cert.pem", "x");
    dir.write("key.pem", "x");
    const LoadResult r = load(R"({"server": {"publicUrl": "http://127.0.0.1:8080",
                                 "tls": {"certificateFile": "cert.pem", "privateKeyFile": "key.pem"}}})",
                              dir.str());
    EXPECT_TRUE(r.ok()) << r.errors[0];
}

TEST(ConfigLoader, TlsFilesAreResolvedAndChecked) {
    test::TempDir dir;
    const std::string cert = dir.write("tls/cert.pem", "cert");
    const std::string key = dir.write("tls/key.pem", "key");
    const LoadResult r =
        load(R"({"server": {"tls": {"certificateFile": "tls/cert.pem", "privateKeyFile": ")" + key +
                 "\"}}}",
             dir.str());
    ASSERT_TRUE(r.ok()) << r.errors[0];
    EXPECT_TRUE(r.config.server.tls.enabled());
    EXPECT_EQ(r.config.server.tls.certificateFile, cert);
    EXPECT_EQ(r.config.server.tls.privateKeyFile, key);
    EXPECT_EQ(derivedBaseUrl(r.config.server.host, 8443, r.config.server.tls.enabled()),
              "https://127.0.0.1:8443");
}

TEST(ConfigLoader, TlsFilesGoTogether) {
    test::TempDir dir;
    dir.write("cert.pem", "cert");
    EXPECT_EQ(load(R"({"server": {"tls": {"certificateFile": "cert.pem"}}})", dir.str()).errors,
              (test::Lines{"t.json: server.tls.privateKeyFile: required when "
                           "server.tls.certificateFile is set"}));
    EXPECT_EQ(load(R"({"server": {"tls": {"privateKeyFile": "cert.pem"}}})", dir.str()).errors,
              (test::Lines{"t.json: server.tls.certificateFile: required when "
                           "server.tls.privateKeyFile is set"}));
    EXPECT_TRUE(load(R"({"server": {"tls": {}}})").ok());
}

TEST(ConfigLoader, TlsFilesMustExistAndBeFiles) {
    test::TempDir dir;
    dir.mkdir("adir");
    const LoadResult r = load(R"({"server": {"tls": {"certificateFile": "missing.pem",
                                 "privateKeyFile": "adir"}}})",
                              dir.str());
    EXPECT_EQ(r.errors,
              (test::Lines{"t.json: server.tls.certificateFile: file does not exist: " + dir.str() +
                               "/missing.pem",
                           "t.json: server.tls.privateKeyFile: not a regular file: " + dir.str() +
                               "/adir"}));
}

TEST(ConfigLoader, TlsFileMustBeReadable) {
    if (::geteuid() == 0) {
        GTEST_SKIP() << "root can read any file";
    }
    test::TempDir dir;
    const std::string key = dir.write("key.pem", "x");
    dir.write("cert.pem", "x");
    std::filesystem::permissions(key, std::filesystem::perms::none);
    EXPECT_EQ(load(R"({"server": {"tls": {"certificateFile": "cert.pem",
                        "privateKeyFile": "key.pem"}}})",
                   dir.str())
                  .errors,
              (test::Lines{"t.json: server.tls.privateKeyFile: file is not readable: " + key}));
}

TEST(ConfigLoader, McpPath) {
    EXPECT_EQ(load(R"({"mcp": {"path": "/api/mcp"}})").config.mcp.path, "/api/mcp");
    EXPECT_EQ(load(R"({"mcp": {"path": "/"}})").errors,
              (test::Lines{"t.json: mcp.path: must name a path such as \"/mcp\", not \"/\" "
                           "alone: \"/\""}));
    EXPECT_EQ(load(R"({"mcp": {"path": "/mcp/"}})").errors,
              (test::Lines{"t.json: mcp.path: must not end with \"/\": \"/mcp/\""}));
    EXPECT_EQ(load(R"({"mcp": {"path": "/a/../mcp"}})").errors.size(), 1u);
    EXPECT_EQ(load(R"({"mcp": {"path": "/mcp?x"}})").errors.size(), 1u);
}

TEST(ConfigLoader, AllowedOrigins) {
    const LoadResult r = load(R"({"mcp": {"allowedOrigins":
        ["https://App.example.com:443", "http://localhost:3000"]}})");
    ASSERT_TRUE(r.ok()) << r.errors[0];
    EXPECT_EQ(r.config.mcp.allowedOrigins,
              (test::Lines{"https://app.example.com", "http://localhost:3000"}));

    EXPECT_EQ(load(R"({"mcp": {"allowedOrigins": ["https://ok.com", "*", 5,
                                 "https://a.com/"]}})")
                  .errors,
              (test::Lines{"t.json: mcp.allowedOrigins[2]: expected a string, got 5",
                           "t.json: mcp.allowedOrigins[1]: the wildcard \"*\" is not allowed: "
                           "list each origin explicitly (scheme://host[:port]): \"*\"",
                           "t.json: mcp.allowedOrigins[3]: an origin has no path: write "
                           "scheme://host[:port] without a trailing \"/\": \"https://a.com/\""}));
}

TEST(ConfigLoader, LoggingLevels) {
    for (const char* level : {"none", "fatal", "critical", "error", "warning", "notice",
                              "information", "debug", "trace"}) {
        const LoadResult r = load(std::string(R"({"logging": {"level": ")") + level + "\"}}");
        EXPECT_TRUE(r.ok()) << level;
        EXPECT_EQ(r.config.logging.level, level);
    }
    EXPECT_EQ(load(R"({"logging": {"level": "DEBUG"}})").config.logging.level, "debug");
    EXPECT_EQ(load(R"({"logging": {"level": "info"}})").errors,
              (test::Lines{"t.json: logging.level: unknown level \"info\" (did you mean "
                           "\"information\"?); one of none, fatal, critical, error, warning, "
                           "notice, information, debug, trace"}));
}

TEST(ConfigLoader, RequestStateSecretIsLongAndNeverShown) {
    const LoadResult shortOne = load(R"({"mcp": {"requestStateSecret": "too-short-secret"}})");
    ASSERT_EQ(shortOne.errors.size(), 1u);
    EXPECT_NE(shortOne.errors[0].find("mcp.requestStateSecret: must be at least 32 characters"), std::string::npos);
    EXPECT_EQ(shortOne.errors[0].find("too-short-secret"), std::string::npos);
    const LoadResult ok = load(R"({"mcp": {"requestStateSecret": "0123456789abcdef0123456789abcdef"}})");
    ASSERT_TRUE(ok.ok()) << ok.errors[0];
    EXPECT_EQ(ok.config.mcp.requestStateSecret, "0123456789abcdef0123456789abcdef");
}

}  // namespace
}  // namespace mcph::config
