// The admin listener's /metrics over real HTTP: a valid exposition (promtool), and counters
// that move with real requests on the public listener.
#include <gtest/gtest.h>

#include <string>

#include "support/HttpClient.h"
#include "support/MetricsText.h"
#include "support/TestHost.h"

using namespace mcph::testing;

namespace {

std::string scrape(TestHost& host) {
    HttpClient admin(host.server().adminPort());
    HttpReply reply = admin.request("GET", "/metrics");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    return reply.body;
}

double valueOr0(const std::string& exposition, const std::string& series) {
    return sampleValue(exposition, series).value_or(0);
}

const std::string kEchoCalls =
    R"(mcp_server_operation_duration_seconds_count{mcp_method_name="tools/call",gen_ai_tool_name="echo",error_type=""})";
const std::string kEchoPluginCalls = R"(mcp_host_plugin_calls_total{plugin="echo"})";
const std::string kMcpPosts =
    R"(http_server_request_duration_seconds_count{http_request_method="POST",http_response_status_code="200",http_route="/mcp"})";

}  // namespace

TEST(OpsMetrics, AdminListenerIsSeparateAndServesAValidExposition) {
    TestHost host(testConfig(MCPH_PLUGINS_DIR));
    ASSERT_NE(host.server().adminPort(), 0);
    ASSERT_NE(host.server().adminPort(), host.port());
    HttpClient c(host.port());
    const std::string sid = c.openSession();
    c.callTool(sid, "echo", R"({"text":"hi"})");
    c.request("GET", "/no/such/path?secret=1");
    // The public listener serves no metrics.
    EXPECT_EQ(c.request("GET", "/metrics").status, 404);

    const std::string text = scrape(host);
    const PromtoolVerdict verdict = promtoolCheck(text);
    ASSERT_NE(verdict.exitCode, -1)
        << "promtool not found: install the prometheus package (scripts/setup.sh)";
    EXPECT_EQ(verdict.exitCode, 0) << verdict.output << "\n" << text;
    EXPECT_EQ(verdict.output, "") << text;  // lint findings print even when the exit code is 0
    // Routes are patterns: a raw path never becomes a label value.
    EXPECT_EQ(text.find("/no/such/path"), std::string::npos) << text;
    EXPECT_TRUE(sampleValue(
        text,
        R"m(http_server_request_duration_seconds_count{http_request_method="GET",http_response_status_code="404",http_route="(not found)"})m"))
        << text;
    // No session ids, ever.
    EXPECT_EQ(text.find(sid), std::string::npos);
}

TEST(OpsMetrics, AToolCallMovesItsOperationAndPluginCounters) {
    TestHost host(testConfig(MCPH_PLUGINS_DIR));
    HttpClient c(host.port());
    const std::string sid = c.openSession();
    const std::string before = scrape(host);
    c.callTool(sid, "echo", R"({"text":"one"})");
    c.callTool(sid, "echo", R"({"text":"two"})");
    const std::string after = scrape(host);
    EXPECT_EQ(valueOr0(after, kEchoCalls) - valueOr0(before, kEchoCalls), 2) << after;
    EXPECT_EQ(valueOr0(after, kEchoPluginCalls) - valueOr0(before, kEchoPluginCalls), 2) << after;
    EXPECT_GE(valueOr0(after, kMcpPosts) - valueOr0(before, kMcpPosts), 2) << after;
    EXPECT_EQ(valueOr0(after, "mcp_host_open_sessions"), 1) << after;

    // An unknown tool is not a label value of its own.
    c.post(rpcRequest(90, "tools/call", R"({"name":"no-such-tool-xyz","arguments":{}})"), sid);
    const std::string unknown = scrape(host);
    EXPECT_EQ(unknown.find("no-such-tool-xyz"), std::string::npos) << unknown;
    // Neither is an unknown method.
    c.post(rpcRequest(91, "made/up-method-xyz"), sid);
    const std::string made = scrape(host);
    EXPECT_EQ(made.find("made/up-method-xyz"), std::string::npos) << made;
    EXPECT_TRUE(sampleValue(
        made,
        R"(mcp_server_operation_duration_seconds_count{mcp_method_name="_OTHER",gen_ai_tool_name="",error_type="-32601"})"))
        << made;
}

TEST(OpsMetrics, ASessionsEndIsTimed) {
    TestHost host(testConfig(MCPH_PLUGINS_DIR));
    HttpClient c(host.port());
    const std::string sid = c.openSession();
    const double before = valueOr0(scrape(host), "mcp_server_session_duration_seconds_count");
    ASSERT_EQ(c.request("DELETE", "/mcp", "",
                        {{"Mcp-Session-Id", sid}, {"MCP-Protocol-Version", "2025-11-25"}})
                  .status,
              200);
    const std::string after = scrape(host);
    EXPECT_EQ(valueOr0(after, "mcp_server_session_duration_seconds_count") - before, 1) << after;
    EXPECT_EQ(valueOr0(after, "mcp_host_open_sessions"), 0) << after;
}

TEST(OpsMetrics, RefusedBearerChecksAreCountedByReason) {
    auto config = testConfig(MCPH_PLUGINS_DIR);
    mcph::auth::ResourceServerOptions oidc;
    oidc.issuer = "http://127.0.0.1:1";        // never reached: the keys URL is given
    oidc.jwksUrl = "http://127.0.0.1:1/jwks";  // and a malformed token needs no key
    config.auth.provider = "oidc";
    config.auth.settings = oidc;
    TestHost host(config);
    HttpClient c(host.port());
    const std::string init = rpcRequest(
        1, "initialize",
        R"({"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"it","version":"1"}})");
    const std::string missing =
        R"(mcp_host_authentication_outcomes_total{outcome="missing_token"})";
    const std::string invalid =
        R"(mcp_host_authentication_outcomes_total{outcome="invalid_token"})";
    const std::string before = scrape(host);
    EXPECT_EQ(c.post(init).status, 401);
    EXPECT_EQ(c.post(init, "", {{"Authorization", "Bearer not-a-jwt-token-value"}}).status, 401);
    const std::string after = scrape(host);
    EXPECT_EQ(valueOr0(after, missing) - valueOr0(before, missing), 1) << after;
    EXPECT_EQ(valueOr0(after, invalid) - valueOr0(before, invalid), 1) << after;
    EXPECT_EQ(after.find("not-a-jwt-token-value"), std::string::npos);
}

TEST(OpsAdmin, LivenessReadinessAndOnlyThoseRoutes) {
    TestHost host(testConfig(MCPH_PLUGINS_DIR));
    HttpClient admin(host.server().adminPort());
    HttpReply live = admin.request("GET", "/livez");
    EXPECT_EQ(live.status, 200);
    HttpReply ready = admin.request("GET", "/readyz");
    EXPECT_EQ(ready.status, 200) << ready.body;
    EXPECT_EQ(ready.json()->getValue<std::string>("status"), "ready");
    EXPECT_EQ(admin.request("GET", "/mcp").status, 404);
    EXPECT_EQ(admin.request("HEAD", "/livez").status, 200);
    EXPECT_EQ(admin.request("POST", "/metrics", "x").status, 405);
}

TEST(OpsAdmin, DisabledMeansNoListener) {
    auto config = testConfig(MCPH_PLUGINS_DIR);
    config.admin.enabled = false;
    TestHost host(config);
    EXPECT_EQ(host.server().adminPort(), 0);
}
