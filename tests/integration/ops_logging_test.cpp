// The access log (one line per request, no query, no token) captured from its Poco logger, and
// logging.format "json" from a real host process: every line one JSON object.
#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <gtest/gtest.h>

#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "ops/AccessLog.h"
#include "ops/JsonLogFormatter.h"
#include "support/HostProcess.h"
#include "support/HttpClient.h"
#include "support/TestHost.h"

using namespace mcph::testing;

namespace {

class CapturingChannel final : public Poco::Channel {
  public:
    void log(const Poco::Message& message) override {
        std::lock_guard<std::mutex> lock(mutex_);
        messages_.push_back(message);
    }
    std::vector<Poco::Message> messages() {
        std::lock_guard<std::mutex> lock(mutex_);
        return messages_;
    }

  private:
    std::mutex mutex_;
    std::vector<Poco::Message> messages_;
};

// Routes the access logger into a capture for the test's lifetime, then puts it back.
class AccessLogCapture {
  public:
    AccessLogCapture()
        : logger_(Poco::Logger::get(mcph::ops::AccessLog::kLoggerName)),
          previousChannel_(logger_.getChannel()),
          previousLevel_(logger_.getLevel()),
          channel_(new CapturingChannel) {
        logger_.setChannel(channel_);
        logger_.setLevel(Poco::Message::PRIO_INFORMATION);
    }
    ~AccessLogCapture() {
        logger_.setChannel(previousChannel_);
        logger_.setLevel(previousLevel_);
    }
    std::vector<Poco::Message> messages() { return channel_->messages(); }

  private:
    Poco::Logger& logger_;
    Poco::AutoPtr<Poco::Channel> previousChannel_;
    int previousLevel_;
    Poco::AutoPtr<CapturingChannel> channel_;
};

std::vector<std::string> linesOf(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) lines.push_back(line);
    }
    return lines;
}

}  // namespace

TEST(OpsAccessLog, OneLinePerRequestWithoutQueryOrToken) {
    AccessLogCapture capture;
    TestHost host(testConfig(MCPH_PLUGINS_DIR));
    HttpClient c(host.port());
    const std::string sid = c.openSession();
    const auto reply =
        c.request("POST", "/mcp?code=QUERY-SECRET-1",
                  rpcRequest(7, "tools/call", R"({"name":"echo","arguments":{"text":"hello"}})"),
                  {{"Content-Type", "application/json"},
                   {"Accept", "application/json, text/event-stream"},
                   {"Mcp-Session-Id", sid},
                   {"MCP-Protocol-Version", "2025-11-25"},
                   {"Authorization", "Bearer TOKEN-SECRET-2"},
                   {"Cookie", "sid=COOKIE-SECRET-3"}});
    ASSERT_EQ(reply.status, 200) << reply.body;

    const auto messages = capture.messages();
    // initialize, notifications/initialized, tools/call
    ASSERT_EQ(messages.size(), 3u);
    const Poco::Message& call = messages.back();
    EXPECT_EQ(call.getSource(), "mcp-host.access");
    const std::string& text = call.getText();
    EXPECT_EQ(text.rfind("POST /mcp 200 ", 0), 0u) << text;
    EXPECT_NE(text.find(" mcp.method=tools/call tool=echo"), std::string::npos) << text;
    EXPECT_NE(text.find(std::to_string(reply.body.size()) + "B"), std::string::npos) << text;
    for (const char* secret : {"QUERY-SECRET-1", "TOKEN-SECRET-2", "COOKIE-SECRET-3", "code="}) {
        EXPECT_EQ(text.find(secret), std::string::npos) << text;
    }
    EXPECT_EQ(call.get("url.path"), "/mcp");
    EXPECT_EQ(call.get("http.response.status_code"), "200");
    EXPECT_EQ(call.get("gen_ai.tool.name"), "echo");
    EXPECT_EQ(messages.front().get("mcp.method.name"), "initialize");

    // The same record as a JSON line: one object with typed fields.
    std::string line;
    mcph::ops::JsonLogFormatter().format(call, line);
    EXPECT_EQ(line.find('\n'), std::string::npos);
    Poco::JSON::Parser parser;
    auto json = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(json->getValue<std::string>("logger"), "mcp-host.access");
    EXPECT_EQ(json->getValue<std::string>("level"), "information");
    EXPECT_EQ(json->getValue<int>("http.response.status_code"), 200);
    EXPECT_TRUE(json->get("http.response.status_code").isInteger());
    EXPECT_EQ(json->getValue<std::string>("mcp.method.name"), "tools/call");
}

TEST(OpsAccessLog, OffWhenConfiguredOff) {
    AccessLogCapture capture;
    auto config = testConfig(MCPH_PLUGINS_DIR);
    config.logging.accessLog = false;
    TestHost host(config);
    HttpClient c(host.port());
    EXPECT_EQ(c.request("GET", "/healthz").status, 200);
    EXPECT_TRUE(capture.messages().empty());
}

TEST(OpsJsonLogs, EveryLineOfAHostProcessIsOneJsonObject) {
    TempDir dir;
    const std::string config = dir.write(
        "json.json",
        R"({"server":{"host":"127.0.0.1","port":0},"admin":{"port":0},"plugins":{"dir":")" +
            std::string(MCPH_PLUGINS_DIR) +
            R"("},"auth":{"provider":"none"},"logging":{"format":"json"}})");
    HostProcess host(config);
    HttpClient c(host.port());
    const std::string sid = c.openSession();
    c.callTool(sid, "echo", "{\"text\":\"a\\nforged line\"}");
    c.request("GET", "/x%0d%0aforged?token=QUERY-SECRET");
    host.terminate();
    EXPECT_EQ(host.wait(), 0);
    const std::string log = host.stderrText();
    bool sawToolCall = false;
    bool sawStopped = false;
    Poco::JSON::Parser parser;
    for (const auto& line : linesOf(log)) {
        Poco::JSON::Object::Ptr json;
        try {
            parser.reset();
            json = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
        } catch (const std::exception& e) {
            ADD_FAILURE() << "not a JSON object: " << line;
            continue;
        }
        for (const char* key : {"time", "level", "logger", "message"})
            EXPECT_TRUE(json->has(key)) << line;
        EXPECT_EQ(line.find("QUERY-SECRET"), std::string::npos) << line;
        if (json->optValue<std::string>("gen_ai.tool.name", "") == "echo") {
            sawToolCall = true;
            EXPECT_EQ(json->getValue<std::string>("logger"), "mcp-host.access");
            EXPECT_EQ(json->getValue<int>("http.response.status_code"), 200);
        }
        if (json->getValue<std::string>("message") == "stopped") sawStopped = true;
    }
    EXPECT_TRUE(sawToolCall) << log;
    EXPECT_TRUE(sawStopped) << log;
}
