#include "config/UrlChecks.h"
#include "config_test_support.h"

namespace mcph::config {
namespace {

TEST(ConfigUrlChecks, LoopbackHosts) {
    for (const char* host : {"127.0.0.1", "127.1.2.3", "127.255.255.255", "::1", "localhost",
                             "LocalHost", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"}) {
        EXPECT_TRUE(isLoopbackHost(host)) << host;
    }
    for (const char* host :
         {"0.0.0.0", "::", "10.0.0.1", "128.0.0.1", "192.168.1.1", "localhost.example.com",
          "mylocalhost", "example.com", "", "::2", "127.0.0.1.nip.io"}) {
        EXPECT_FALSE(isLoopbackHost(host)) << host;
    }
}

TEST(ConfigUrlChecks, WildcardHosts) {
    EXPECT_TRUE(isWildcardHost("0.0.0.0"));
    EXPECT_TRUE(isWildcardHost("::"));
    EXPECT_FALSE(isWildcardHost("127.0.0.1"));
    EXPECT_FALSE(isWildcardHost("example.com"));
}

TEST(ConfigUrlChecks, ValidHosts) {
    for (const char* host :
         {"127.0.0.1", "0.0.0.0", "::", "::1", "fe80::1", "localhost", "mcp.example.com", "a-b.c",
          "host.", "xn--bcher-kva.example", "my_service"}) {
        EXPECT_TRUE(isValidHost(host)) << host;
    }
    for (const char* host : {"", "[::1]", "1.2.3", "256.1.1.1", "01.2.3.4", "-a.com", "a-.com",
                             "a..b", "a b", "host:80", "http://x", "a/b", ".", "1.2.3.4.5"}) {
        EXPECT_FALSE(isValidHost(host)) << host;
    }
}

std::string publicUrl(const std::string& text) {
    std::string problem;
    std::optional<std::string> out = normalizePublicUrl(text, problem);
    return out ? *out : "ERROR: " + problem;
}

TEST(ConfigUrlChecks, PublicUrlIsNormalized) {
    EXPECT_EQ(publicUrl("https://mcp.example.com/"), "https://mcp.example.com");
    EXPECT_EQ(publicUrl("https://mcp.example.com"), "https://mcp.example.com");
    EXPECT_EQ(publicUrl("HTTPS://MCP.Example.COM:8443/Base//"),
              "https://mcp.example.com:8443/Base");
    EXPECT_EQ(publicUrl("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
    EXPECT_EQ(publicUrl("http://[::1]:8080/"), "http://[::1]:8080");
    EXPECT_EQ(publicUrl("https://h/a%20b"), "https://h/a%20b");
}

TEST(ConfigUrlChecks, PublicUrlProblems) {
    EXPECT_EQ(publicUrl("ftp://x"), "ERROR: not an absolute http(s) URL");
    EXPECT_EQ(publicUrl("example.com"), "ERROR: not an absolute http(s) URL");
    EXPECT_EQ(publicUrl("/mcp"), "ERROR: not an absolute http(s) URL");
    EXPECT_EQ(publicUrl("https://h/?a=1"), "ERROR: must not contain a query");
    EXPECT_EQ(publicUrl("https://h/?"), "ERROR: must not contain a query");
    EXPECT_EQ(publicUrl("https://h#frag"), "ERROR: must not contain a fragment");
    EXPECT_EQ(publicUrl("https://user:pw@h/"),
              "ERROR: must not contain user information (user:password@)");
    EXPECT_EQ(publicUrl("https://"), "ERROR: not a valid host name or IP address in the URL");
    EXPECT_EQ(publicUrl("https://a b/"), "ERROR: not a valid host name or IP address in the URL");
    EXPECT_EQ(publicUrl("https://h:0/"), "ERROR: invalid port (expected 1 to 65535)");
    EXPECT_EQ(publicUrl("https://h:70000"), "ERROR: invalid port (expected 1 to 65535)");
    EXPECT_EQ(publicUrl("https://h:/"), "ERROR: invalid port (expected 1 to 65535)");
    EXPECT_EQ(publicUrl("https://[zz]/"), "ERROR: invalid IPv6 address in brackets");
    EXPECT_EQ(publicUrl("https://h/a b"),
              "ERROR: invalid character in the URL path (percent-encode it)");
    EXPECT_EQ(publicUrl("https://h/%zz"),
              "ERROR: invalid character in the URL path (percent-encode it)");
}

std::string origin(const std::string& text) {
    std::string problem;
    std::optional<std::string> out = normalizeOrigin(text, problem);
    return out ? *out : "ERROR: " + problem;
}

TEST(ConfigUrlChecks, OriginsAreNormalized) {
    EXPECT_EQ(origin("https://app.example.com"), "https://app.example.com");
    EXPECT_EQ(origin("HTTPS://App.Example.com:443"), "https://app.example.com");
    EXPECT_EQ(origin("http://localhost:80"), "http://localhost");
    EXPECT_EQ(origin("http://localhost:3000"), "http://localhost:3000");
    EXPECT_EQ(origin("https://h:80"), "https://h:80");
    EXPECT_EQ(origin("http://[::1]:5173"), "http://[::1]:5173");
}

TEST(ConfigUrlChecks, OriginProblems) {
    EXPECT_EQ(origin("*"),
              "ERROR: the wildcard \"*\" is not allowed: list each origin "
              "explicitly (scheme://host[:port])");
    EXPECT_EQ(origin("null"),
              "ERROR: the \"null\" origin (sandboxed or file: pages) is not allowed");
    EXPECT_EQ(origin("https://a.com/"),
              "ERROR: an origin has no path: write scheme://host[:port] "
              "without a trailing \"/\"");
    EXPECT_EQ(origin("https://a.com/app"), origin("https://a.com/"));
    EXPECT_EQ(origin("a.com"), "ERROR: not an origin of the form scheme://host[:port]");
    EXPECT_EQ(origin("vscode-webview://abc123"),
              "ERROR: only http and https origins are supported");
    EXPECT_EQ(origin("https://*.a.com"), "ERROR: not a valid host name or IP address in the URL");
}

TEST(ConfigUrlChecks, McpPathRules) {
    EXPECT_EQ(mcpPathProblem("/mcp"), std::nullopt);
    EXPECT_EQ(mcpPathProblem("/api/v1/mcp"), std::nullopt);
    EXPECT_EQ(mcpPathProblem("/a-b_c.d~e"), std::nullopt);
    EXPECT_EQ(mcpPathProblem("mcp"), "must start with \"/\"");
    EXPECT_EQ(mcpPathProblem(""), "must start with \"/\"");
    EXPECT_EQ(mcpPathProblem("/"), "must name a path such as \"/mcp\", not \"/\" alone");
    EXPECT_EQ(mcpPathProblem("/mcp/"), "must not end with \"/\"");
    EXPECT_EQ(mcpPathProblem("/mcp?x=1"), "must not contain a query or fragment");
    EXPECT_EQ(mcpPathProblem("/mcp#x"), "must not contain a query or fragment");
    EXPECT_EQ(mcpPathProblem("/a/../mcp"), "must not contain empty, \".\" or \"..\" segments");
    EXPECT_EQ(mcpPathProblem("/.."), "must not contain empty, \".\" or \"..\" segments");
    EXPECT_EQ(mcpPathProblem("/a/./b"), "must not contain empty, \".\" or \"..\" segments");
    EXPECT_EQ(mcpPathProblem("//mcp"), "must not contain empty, \".\" or \"..\" segments");
    EXPECT_EQ(mcpPathProblem("/m cp"), "invalid character (percent-encode it)");
    EXPECT_EQ(mcpPathProblem("/..mcp"), std::nullopt);  // a name, not a segment of its own
}

TEST(ConfigUrlChecks, CanonicalMcpUrl) {
    EXPECT_EQ(canonicalMcpUrl("https://mcp.example.com", "/mcp"), "https://mcp.example.com/mcp");
    EXPECT_EQ(canonicalMcpUrl("https://mcp.example.com/", "/mcp"), "https://mcp.example.com/mcp");
    EXPECT_EQ(canonicalMcpUrl("https://h/base//", "/mcp"), "https://h/base/mcp");
    EXPECT_EQ(canonicalMcpUrl("http://127.0.0.1:41234", "/v1/mcp"),
              "http://127.0.0.1:41234/v1/mcp");
}

TEST(ConfigUrlChecks, DerivedBaseUrl) {
    EXPECT_EQ(derivedBaseUrl("127.0.0.1", 8080, false), "http://127.0.0.1:8080");
    EXPECT_EQ(derivedBaseUrl("localhost", 443, true), "https://localhost:443");
    EXPECT_EQ(derivedBaseUrl("::1", 9000, false), "http://[::1]:9000");
    EXPECT_EQ(derivedBaseUrl("0.0.0.0", 8080, false), "http://127.0.0.1:8080");
    EXPECT_EQ(derivedBaseUrl("::", 8080, true), "https://[::1]:8080");
}

}  // namespace
}  // namespace mcph::config
