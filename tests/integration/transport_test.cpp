// The Streamable HTTP transport as a client meets it: real HTTP over 127.0.0.1.
#include <gtest/gtest.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <atomic>
#include <future>
#include <thread>

#include "support/HttpClient.h"
#include "support/TestHost.h"

using namespace mcph::testing;

namespace {

class Transport : public ::testing::Test {
protected:
    static void SetUpTestSuite() { host_ = new TestHost(testConfig(MCPH_PLUGINS_DIR)); }
    static void TearDownTestSuite() {
        delete host_;
        host_ = nullptr;
    }
    HttpClient client() { return HttpClient(host_->port()); }
    static TestHost* host_;
};
TestHost* Transport::host_ = nullptr;

const std::string kInit =
    rpcRequest(1, "initialize", R"({"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}})");

}  // namespace

TEST_F(Transport, InitializeNegotiatesAndOpensASession) {
    auto c = client();
    auto reply = c.post(kInit);
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.header("content-type"), "application/json");
    EXPECT_EQ(reply.header("mcp-session-id").size(), 64u);
    auto result = reply.json()->getObject("result");
    EXPECT_EQ(result->getValue<std::string>("protocolVersion"), "2025-06-18");
    EXPECT_EQ(result->getObject("serverInfo")->getValue<std::string>("name"), "mcp-host");
    EXPECT_TRUE(result->getObject("capabilities")->has("tools"));

    auto unknown = c.post(rpcRequest(2, "initialize", R"({"protocolVersion":"1999-01-01","capabilities":{}})"));
    EXPECT_EQ(unknown.json()->getObject("result")->getValue<std::string>("protocolVersion"), "2025-11-25");

    auto badParams = c.post(rpcRequest(3, "initialize", R"({"capabilities":{}})"));
    EXPECT_EQ(badParams.json()->getObject("error")->getValue<int>("code"), -32602);
    EXPECT_TRUE(badParams.header("mcp-session-id").empty());
}

TEST_F(Transport, NotificationsAndResponsesAreAccepted202WithNoBody) {
    auto c = client();
    auto sid = c.openSession();
    auto note = c.post(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":9}})", sid);
    EXPECT_EQ(note.status, 202);
    EXPECT_TRUE(note.body.empty());
    auto resp = c.post(R"({"jsonrpc":"2.0","id":"s1","result":{}})", sid);
    EXPECT_EQ(resp.status, 202);
}

TEST_F(Transport, SessionRules) {
    auto c = client();
    auto none = c.post(rpcRequest(5, "tools/list"));
    EXPECT_EQ(none.status, 400);
    auto unknown = c.post(rpcRequest(5, "tools/list"), std::string(64, 'a'));
    EXPECT_EQ(unknown.status, 404);

    auto sid = c.openSession();
    EXPECT_EQ(c.post(rpcRequest(6, "ping"), sid).status, 200);
    auto del = c.request("DELETE", "/mcp", "", {{"Mcp-Session-Id", sid}});
    EXPECT_EQ(del.status, 200);
    EXPECT_EQ(c.post(rpcRequest(7, "ping"), sid).status, 404);
    EXPECT_EQ(c.request("DELETE", "/mcp", "", {{"Mcp-Session-Id", sid}}).status, 404);
    EXPECT_EQ(c.request("DELETE", "/mcp").status, 400);
}

TEST_F(Transport, ToolsListPagesWithOpaqueCursors) {
    auto config = testConfig(MCPH_PLUGINS_DIR);
    config.mcp.pageSize = 1;
    TestHost paged(config);
    HttpClient c(paged.port());
    auto sid = c.openSession();
    std::vector<std::string> names;
    std::string cursor;
    for (int page = 0; page < 100; ++page) {
        std::string params = cursor.empty() ? "{}" : R"({"cursor":")" + cursor + "\"}";
        auto result = c.post(rpcRequest(10 + page, "tools/list", params), sid).json()->getObject("result");
        auto tools = result->getArray("tools");
        ASSERT_EQ(tools->size(), 1u);
        names.push_back(tools->getObject(0)->getValue<std::string>("name"));
        if (!result->has("nextCursor")) break;
        cursor = result->getValue<std::string>("nextCursor");
    }
    EXPECT_EQ(names.size(), paged.registry().snapshot()->tools().size());
    EXPECT_NE(std::find(names.begin(), names.end(), "echo"), names.end());
    EXPECT_NE(std::find(names.begin(), names.end(), "whoami"), names.end());

    auto bad = c.post(rpcRequest(99, "tools/list", R"({"cursor":"bogus"})"), sid).json();
    EXPECT_EQ(bad->getObject("error")->getValue<int>("code"), -32602);
}

TEST_F(Transport, ToolsCallAnswersAsJsonOrSseByAccept) {
    auto c = client();
    auto sid = c.openSession();
    const std::string call = rpcRequest(20, "tools/call", R"({"name":"echo","arguments":{"text":"h\u00e9llo \"q\""}})");
    auto json = c.post(call, sid);
    ASSERT_EQ(json.status, 200);
    auto text = json.json()->getObject("result")->getArray("content")->getObject(0)->getValue<std::string>("text");
    EXPECT_EQ(text, "h\xC3\xA9llo \"q\"");

    auto sse = c.post(call, sid, {{"Accept", "text/event-stream"}});
    ASSERT_EQ(sse.status, 200);
    EXPECT_EQ(sse.header("content-type"), "text/event-stream");
    EXPECT_NE(sse.body.find("event: message\ndata: "), std::string::npos);
    EXPECT_EQ(sse.json()->getValue<int>("id"), 20);
}

TEST_F(Transport, JsonRpcErrorsCarryTheRightCodes) {
    auto c = client();
    auto sid = c.openSession();
    auto code = [](const HttpReply& r) { return r.json()->getObject("error")->getValue<int>("code"); };

    auto parse = c.post("{not json", sid);
    EXPECT_EQ(parse.status, 400);
    EXPECT_EQ(code(parse), -32700);
    auto batch = c.post("[" + rpcRequest(1, "ping") + "]", sid);
    EXPECT_EQ(batch.status, 400);
    EXPECT_EQ(code(batch), -32600);
    EXPECT_EQ(code(c.post(rpcRequest(2, "no/such/method"), sid)), -32601);
    EXPECT_EQ(code(c.post(rpcRequest(3, "tools/call", R"({"name":"nope"})"), sid)), -32602);
    EXPECT_EQ(code(c.post(rpcRequest(4, "tools/call", R"({"arguments":{}})"), sid)), -32602);
    EXPECT_EQ(code(c.post(rpcRequest(5, "tools/call", R"({"name":"echo","arguments":[1]})"), sid)), -32602);

    // A tool that fails is a result with isError, not a JSON-RPC error.
    auto failed = c.post(rpcRequest(6, "tools/call", R"({"name":"echo","arguments":{}})"), sid).json();
    ASSERT_TRUE(failed->has("result"));
    EXPECT_TRUE(failed->getObject("result")->getValue<bool>("isError"));
}

TEST_F(Transport, HeaderRules) {
    auto c = client();
    auto sid = c.openSession();
    EXPECT_EQ(c.post(rpcRequest(1, "ping"), sid, {{"MCP-Protocol-Version", "1999-01-01"}}).status, 400);
    EXPECT_EQ(c.post(rpcRequest(1, "ping"), sid, {{"MCP-Protocol-Version", "2025-03-26"}}).status, 200);
    EXPECT_EQ(c.post(rpcRequest(1, "ping"), sid, {{"Content-Type", "text/plain"}}).status, 415);
    EXPECT_EQ(c.post(rpcRequest(1, "ping"), sid, {{"Accept", "text/html"}}).status, 406);
    EXPECT_EQ(c.request("PUT", "/mcp", "{}").status, 405);
    EXPECT_EQ(c.request("GET", "/nowhere").status, 404);
    EXPECT_EQ(c.request("GET", "/healthz").status, 200);
}

TEST_F(Transport, DnsRebindingIsRefused) {
    auto c = client();
    EXPECT_EQ(c.post(kInit, "", {{"Origin", "http://evil.example"}}).status, 403);
    EXPECT_EQ(c.post(kInit, "", {{"Host", "evil.example"}}).status, 403);
    EXPECT_EQ(c.post(kInit, "", {{"Origin", "null"}}).status, 403);
    auto own = "http://127.0.0.1:" + std::to_string(host_->port());
    EXPECT_EQ(c.post(kInit, "", {{"Origin", own}}).status, 200);
}

TEST_F(Transport, OversizedBodiesAre413AndTheHostKeepsServing) {
    auto config = testConfig(MCPH_PLUGINS_DIR);
    config.mcp.maxRequestBytes = 2048;
    TestHost small(config);
    HttpClient c(small.port());
    auto sid = c.openSession();
    std::string big = rpcRequest(1, "tools/call", R"({"name":"echo","arguments":{"text":")" + std::string(4096, 'x') + "\"}}");
    EXPECT_EQ(c.post(big, sid).status, 413);
    HttpClient again(small.port());
    EXPECT_EQ(again.post(rpcRequest(2, "ping"), sid).status, 200);
}

TEST_F(Transport, GetStreamOnePerSessionAndEndsWithTheSession) {
    auto c = client();
    auto sid = c.openSession();
    std::promise<int> opened;
    std::string rest;
    std::thread listener([&] {
        Poco::Net::HTTPClientSession http("127.0.0.1", host_->port());
        Poco::Net::HTTPRequest req("GET", "/mcp", Poco::Net::HTTPMessage::HTTP_1_1);
        req.set("Accept", "text/event-stream");
        req.set("Mcp-Session-Id", sid);
        http.sendRequest(req);
        Poco::Net::HTTPResponse resp;
        std::istream& in = http.receiveResponse(resp);
        std::string first;
        std::getline(in, first);  // ": stream open": the stream is attached now
        opened.set_value(resp.getStatus());
        Poco::StreamCopier::copyToString(in, rest);  // until the server ends the stream
    });
    ASSERT_EQ(opened.get_future().get(), 200);

    HttpClient other(host_->port());
    EXPECT_EQ(other.request("GET", "/mcp", "", {{"Accept", "text/event-stream"}, {"Mcp-Session-Id", sid}}).status, 409);
    EXPECT_EQ(c.request("DELETE", "/mcp", "", {{"Mcp-Session-Id", sid}}).status, 200);
    listener.join();  // returns only because DELETE ended the stream

    EXPECT_EQ(c.request("GET", "/mcp", "", {{"Accept", "text/event-stream"}, {"Mcp-Session-Id", sid}}).status, 404);
    auto fresh = c.openSession();
    EXPECT_EQ(c.request("GET", "/mcp", "", {{"Accept", "application/json"}, {"Mcp-Session-Id", fresh}}).status, 406);
}

TEST_F(Transport, ManyClientsAtOnce) {
    constexpr int kClients = 16, kCalls = 20;
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kClients; ++i) {
        threads.emplace_back([&, i] {
            HttpClient c(host_->port());
            auto sid = c.openSession();
            for (int k = 0; k < kCalls; ++k) {
                const std::string text = "c" + std::to_string(i) + "-" + std::to_string(k);
                auto r = c.callTool(sid, "echo", R"({"text":")" + text + "\"}");
                if (r->getArray("content")->getObject(0)->getValue<std::string>("text") == text) ++ok;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), kClients * kCalls);
}

TEST_F(Transport, WhoamiSeesTheAnonymousContext) {
    auto c = client();
    auto sid = c.openSession();
    auto r = c.callTool(sid, "whoami", "{}");
    auto sc = r->getObject("structuredContent");
    EXPECT_EQ(sc->getValue<std::string>("userId"), "anonymous");
    EXPECT_FALSE(sc->getValue<bool>("authenticated"));
}

TEST_F(Transport, CorsAnswersOnlyForAllowedOrigins) {
    auto config = testConfig(MCPH_PLUGINS_DIR);
    config.mcp.allowedOrigins = {"http://localhost:6274"};
    TestHost host(config);
    HttpClient c(host.port());
    const std::map<std::string, std::string> preflight = {{"Origin", "http://localhost:6274"},
                                                          {"Access-Control-Request-Method", "POST"},
                                                          {"Access-Control-Request-Headers", "mcp-session-id, authorization"}};
    auto ok = c.request("OPTIONS", "/mcp", "", preflight);
    EXPECT_EQ(ok.status, 204);
    EXPECT_EQ(ok.header("access-control-allow-origin"), "http://localhost:6274");
    EXPECT_NE(ok.header("access-control-allow-headers").find("mcp-session-id"), std::string::npos);

    auto evil = c.request("OPTIONS", "/mcp", "", {{"Origin", "http://evil.example"}, {"Access-Control-Request-Method", "POST"}});
    EXPECT_EQ(evil.status, 403);
    EXPECT_EQ(evil.header("access-control-allow-origin"), "");

    auto init = c.post(kInit, "", {{"Origin", "http://localhost:6274"}});
    EXPECT_EQ(init.status, 200);
    EXPECT_EQ(init.header("access-control-allow-origin"), "http://localhost:6274");
    EXPECT_NE(init.header("access-control-expose-headers").find("Mcp-Session-Id"), std::string::npos);
    // Without an Origin (not a browser) nothing CORS-related is added.
    EXPECT_EQ(c.post(kInit).header("access-control-allow-origin"), "");
    EXPECT_EQ(c.request("OPTIONS", "/mcp").status, 405);
}

// GET streams live on the event loop (http/SseStreamHub), not on worker threads: more streams
// than workers stay open, the workers still answer calls, and ending a session ends its stream.
TEST_F(Transport, OpenStreamsDoNotTakeWorkerThreads) {
    auto config = testConfig(MCPH_PLUGINS_DIR);
    config.server.threads = 4;
    TestHost host(config);
    HttpClient c(host.port());
    std::vector<std::string> sids;
    for (int i = 0; i < 7; ++i) sids.push_back(c.openSession());

    // Six listeners hold their streams open (each read its first line: attached).
    std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> listeners;
    std::vector<std::istream*> streams;
    for (int i = 0; i < 6; ++i) {
        auto http = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", host.port());
        http->setTimeout(Poco::Timespan(10, 0));
        Poco::Net::HTTPRequest req("GET", "/mcp", Poco::Net::HTTPMessage::HTTP_1_1);
        req.set("Accept", "text/event-stream");
        req.set("Mcp-Session-Id", sids[i]);
        http->sendRequest(req);
        Poco::Net::HTTPResponse resp;
        std::istream& in = http->receiveResponse(resp);
        std::string first;
        std::getline(in, first);
        ASSERT_EQ(resp.getStatus(), 200) << "stream " << i;
        streams.push_back(&in);
        listeners.push_back(std::move(http));
    }
    // Four workers, six open streams: the workers still do the real work.
    EXPECT_EQ(c.callTool(sids[6], "echo", R"({"text":"ok"})")->getArray("content")->getObject(0)->getValue<std::string>("text"), "ok");
    // Ending a session ends its stream: the listener reads to the end of it (a stream left open
    // would throw a timeout here), finding only the blank line after the opening comment.
    EXPECT_EQ(c.request("DELETE", "/mcp", "", {{"Mcp-Session-Id", sids[0]}}).status, 200);
    const std::string rest(std::istreambuf_iterator<char>(*streams[0]), {});
    EXPECT_EQ(rest, "\n");
    for (auto& l : listeners) l->abort();
}
