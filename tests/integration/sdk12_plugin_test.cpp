// ABI 1.2 over real HTTP, with the plain-C plugin sdk12 (tests/abi/plugins/sdk12.c): arguments
// read through the host's accessors, structured content built member by member, tools added
// and removed at run time with notifications/tools/list_changed on the session's GET stream and
// on a 2026-07-28 subscriptions/listen stream, and the registry's snapshots: a call in flight
// keeps the plugin it started with.
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <gtest/gtest.h>

#include <istream>
#include <memory>
#include <optional>
#include <string>

#include "pluginhost/OfferingRegistry.h"
#include "pluginhost/PluginLoader.h"
#include "pluginhost/ToolInvoker.h"
#include "support/HttpClient.h"
#include "support/TestHost.h"

using namespace mcph::testing;

namespace {

const std::string kPluginDir = MCPH_TEST_PLUGINS_DIR "/../sdk12-plugins";

Poco::JSON::Object::Ptr parse(const std::string& json) {
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

// A request whose answer is an SSE stream read event by event (a GET stream, a listen stream).
class Stream {
  public:
    Stream(unsigned short port, const std::string& method, const std::string& body,
           const std::map<std::string, std::string>& headers)
        : session_("127.0.0.1", port) {
        session_.setTimeout(Poco::Timespan(20, 0));
        Poco::Net::HTTPRequest request(method, "/mcp", Poco::Net::HTTPRequest::HTTP_1_1);
        request.set("Accept",
                    method == "GET" ? "text/event-stream" : "application/json, text/event-stream");
        if (!body.empty()) {
            request.setContentType("application/json");
            request.setContentLength(static_cast<std::streamsize>(body.size()));
        }
        for (const auto& [k, v] : headers) request.set(k, v);
        session_.sendRequest(request) << body;
        in_ = &session_.receiveResponse(response_);
    }
    int status() const { return response_.getStatus(); }
    // The data of the next event; nullopt at the end of the stream.
    std::optional<std::string> next() {
        std::string line, data;
        while (std::getline(*in_, line)) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.empty()) {
                if (!data.empty()) return data;
                continue;
            }
            if (line.rfind("data: ", 0) == 0) data = line.substr(6);
        }
        return std::nullopt;
    }

  private:
    Poco::Net::HTTPClientSession session_;
    Poco::Net::HTTPResponse response_;
    std::istream* in_ = nullptr;
};

std::string toolNames(HttpClient& c, const std::string& sid) {
    auto tools =
        c.post(rpcRequest(90, "tools/list"), sid).json()->getObject("result")->getArray("tools");
    std::string names;
    for (std::size_t i = 0; i < tools->size(); ++i)
        names += tools->getObject(i)->getValue<std::string>("name") + " ";
    return names;
}

}  // namespace

TEST(Sdk12Plugin, ReadsArgumentsThroughTheAccessorsAndBuildsStructuredContent) {
    TestHost host(testConfig(kPluginDir));
    HttpClient c(host.port());
    const auto sid = c.openSession();
    auto r = c.callTool(sid, "sdk12_args",
                        R"({"text":"hi \"you\"","count":42,"ratio":0.5,"flag":true,)"
                        R"("nested":{"a/b":"slash","n":[1,{"x":null}]},"tags":["x","y"]})");
    ASSERT_FALSE(r->has("isError"))
        << r->getArray("content")->getObject(0)->getValue<std::string>("text");
    auto s = r->getObject("structuredContent");
    EXPECT_EQ(s->getValue<std::string>("text"), "hi \"you\"");
    EXPECT_EQ(s->getValue<int>("count"), 42);
    EXPECT_DOUBLE_EQ(s->getValue<double>("ratio"), 0.5);
    EXPECT_TRUE(s->getValue<bool>("flag"));
    auto seen = s->getObject("seen");
    EXPECT_EQ(seen->getValue<std::string>("slashKey"), "slash");  // "/nested/a~1b"
    EXPECT_EQ(seen->getValue<std::string>("secondTag"), "y");     // "/tags/1"
    std::ostringstream nested;
    seen->getObject("nested")->stringify(nested);
    EXPECT_EQ(nested.str(), R"({"a/b":"slash","n":[1,{"x":null}]})");
    auto codes = s->getObject("codes");
    EXPECT_EQ(codes->getValue<int>("missing"), MCPH_ERR_NOT_FOUND);
    EXPECT_EQ(codes->getValue<int>("textAsInt"), MCPH_ERR_WRONG_TYPE);
    EXPECT_EQ(codes->getValue<int>("badPointer"), MCPH_ERR_INVALID_ARGUMENT);
    auto types = s->getObject("types");
    EXPECT_EQ(types->getValue<int>("missing"), MCPH_JSON_ABSENT);
    EXPECT_EQ(types->getValue<int>("tags"), MCPH_JSON_ARRAY);
    EXPECT_EQ(types->getValue<int>("whole"), MCPH_JSON_OBJECT);
    auto list = s->getArray("list");
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ(list->getElement<std::string>(1), "second");

    // A string argument of the wrong type is the tool's own error, named by the plugin.
    auto wrong = c.callTool(sid, "sdk12_args", R"({"text":7})");
    EXPECT_TRUE(wrong->getValue<bool>("isError"));
}

TEST(Sdk12Plugin, AStatefulCallReturningInputRequiredIsAToolErrorNotA500) {
    TestHost host(testConfig(kPluginDir));
    HttpClient c(host.port());
    const auto sid = c.openSession();
    auto reply = c.post(
        rpcRequest(5, "tools/call", R"({"name":"sdk12_input_required","arguments":{}})"), sid);
    ASSERT_EQ(reply.status, 200) << reply.body;
    auto result = reply.json()->getObject("result");
    ASSERT_TRUE(result) << reply.body;
    EXPECT_TRUE(result->getValue<bool>("isError"));
    EXPECT_NE(reply.body.find("input required"), std::string::npos) << reply.body;
    // The session and the host keep serving.
    EXPECT_FALSE(c.callTool(sid, "sdk12_args", R"({"text":"still here"})")->has("isError"));
}

TEST(Sdk12Plugin, ToolsAddedAndRemovedAtRunTimeAreAnnouncedOnTheGetStream) {
    TestHost host(testConfig(kPluginDir));
    HttpClient c(host.port());
    const auto sid = c.openSession();
    auto init = c.post(
        R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",)"
        R"("capabilities":{},"clientInfo":{"name":"t","version":"1"}}})");
    EXPECT_TRUE(init.json()
                    ->getObject("result")
                    ->getObject("capabilities")
                    ->getObject("tools")
                    ->getValue<bool>("listChanged"));

    Stream get(host.port(), "GET", "",
               {{"Mcp-Session-Id", sid}, {"MCP-Protocol-Version", "2025-11-25"}});
    ASSERT_EQ(get.status(), 200);
    EXPECT_EQ(toolNames(c, sid).find("dyn_one"), std::string::npos);

    auto added = c.callTool(sid, "sdk12_add", R"({"name":"dyn_one"})");
    EXPECT_EQ(added->getObject("structuredContent")->getValue<int>("status"), MCPH_OK);
    auto event = get.next();
    ASSERT_TRUE(event);
    EXPECT_EQ(parse(*event)->getValue<std::string>("method"), "notifications/tools/list_changed");
    EXPECT_NE(toolNames(c, sid).find("dyn_one"), std::string::npos);
    auto called = c.callTool(sid, "dyn_one", "{}");
    EXPECT_EQ(called->getArray("content")->getObject(0)->getValue<std::string>("text"),
              "dynamic dyn_one");

    // Another plugin's name, or an invalid one, is refused and announces nothing.
    EXPECT_EQ(c.callTool(sid, "sdk12_add", R"({"name":"sdk12_args"})")
                  ->getObject("structuredContent")
                  ->getValue<int>("status"),
              MCPH_OK);  // its own tool: replaced
    EXPECT_TRUE(get.next());
    EXPECT_EQ(c.callTool(sid, "sdk12_add", R"({"name":"bad name"})")
                  ->getObject("structuredContent")
                  ->getValue<int>("status"),
              MCPH_ERR_INVALID_ARGUMENT);

    auto removed = c.callTool(sid, "sdk12_remove", R"({"name":"dyn_one"})");
    EXPECT_EQ(removed->getObject("structuredContent")->getValue<int>("status"), MCPH_OK);
    event = get.next();
    ASSERT_TRUE(event);
    EXPECT_EQ(parse(*event)->getValue<std::string>("method"), "notifications/tools/list_changed");
    EXPECT_EQ(toolNames(c, sid).find("dyn_one"), std::string::npos);
    auto gone = c.post(rpcRequest(9, "tools/call", R"({"name":"dyn_one","arguments":{}})"), sid);
    EXPECT_EQ(gone.json()->getObject("error")->getValue<int>("code"), -32602);
    EXPECT_EQ(c.callTool(sid, "sdk12_remove", R"({"name":"dyn_one"})")
                  ->getObject("structuredContent")
                  ->getValue<int>("status"),
              MCPH_ERR_NOT_FOUND);
}

TEST(Sdk12Plugin, AListenStreamThatAskedForToolChangesGetsThem) {
    TestHost host(testConfig(kPluginDir));
    const std::string meta =
        R"("_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}})";
    Stream listen(host.port(), "POST",
                  R"({"jsonrpc":"2.0","id":1,"method":"subscriptions/listen","params":{)" + meta +
                      R"(,"notifications":{"toolsListChanged":true,"promptsListChanged":false}}})",
                  {{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", "subscriptions/listen"}});
    ASSERT_EQ(listen.status(), 200);
    auto ack = listen.next();
    ASSERT_TRUE(ack);
    auto ackParams = parse(*ack)->getObject("params");
    EXPECT_TRUE(ackParams->getObject("notifications")->getValue<bool>("toolsListChanged"));
    EXPECT_FALSE(ackParams->getObject("notifications")->has("promptsListChanged"));
    const std::string id = ackParams->getObject("_meta")->getValue<std::string>(
        "io.modelcontextprotocol/subscriptionId");

    HttpClient c(host.port());
    auto add = c.post(
        R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"sdk12_add","arguments":{"name":"dyn_two"},)" +
            meta + "}}",
        "",
        {{"MCP-Protocol-Version", "2026-07-28"},
         {"Mcp-Method", "tools/call"},
         {"Mcp-Name", "sdk12_add"}});
    ASSERT_EQ(add.status, 200) << add.body;
    auto event = listen.next();
    ASSERT_TRUE(event);
    auto note = parse(*event);
    EXPECT_EQ(note->getValue<std::string>("method"), "notifications/tools/list_changed");
    EXPECT_EQ(note->getObject("params")->getObject("_meta")->getValue<std::string>(
                  "io.modelcontextprotocol/subscriptionId"),
              id);
}

TEST(Sdk12Plugin, ACallKeepsTheSnapshotItTookWhileThePluginIsRemoved) {
    auto report = mcph::pluginhost::loadPluginDirectory(kPluginDir, {});
    ASSERT_EQ(report.plugins.size(), 1u);
    mcph::pluginhost::OfferingRegistry registry(report);
    struct Counter : mcph::pluginhost::OfferingChangeSink {
        int tools = 0;
        void offeringsChanged(const mcph::pluginhost::OfferingChange& c) override {
            tools += c.tools ? 1 : 0;
        }
    } counter;
    registry.connect(&counter);

    auto held = registry.snapshot();  // what a call in flight holds
    std::weak_ptr<mcph::pluginhost::LoadedPlugin> plugin = held->plugins().at(0).plugin;
    EXPECT_TRUE(registry.removePlugin("sdk12"));
    EXPECT_FALSE(registry.removePlugin("sdk12"));
    EXPECT_EQ(counter.tools, 1);  // one change, one event
    EXPECT_FALSE(registry.snapshot()->find("sdk12_args"));
    ASSERT_FALSE(plugin.expired());  // still loaded for the call that holds it
    const auto* tool = held->find("sdk12_args");
    ASSERT_TRUE(tool);
    auto r = mcph::pluginhost::ToolInvoker().call(*tool, parse(R"({"text":"old"})"),
                                                  mcph::auth::AuthContext::anonymous());
    EXPECT_EQ(r->getObject("structuredContent")->getValue<std::string>("text"), "old");
    held.reset();
    EXPECT_TRUE(plugin.expired());  // unloaded once its last call let go
    registry.disconnect(&counter);
}
