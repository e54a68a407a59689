// A tool call's SSE stream on the stateful revisions, over real HTTP: the host asks the client
// for input on it, the client answers with a POST, a dropped stream is resumed with
// Last-Event-ID, and a cancelled call ends without a response. Uses the conformance plugin's
// test_elicitation tool (which waits for the client's answer).
#include <gtest/gtest.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <istream>
#include <memory>
#include <optional>
#include <string>

#include "support/TestHost.h"

namespace {

using Poco::Net::HTTPRequest;
using Poco::Net::HTTPResponse;

// One SSE event as the client reads it.
struct Event {
    std::string id;
    std::string data;
};

// An HTTP exchange whose answer is read event by event, so a test can stop reading (or drop
// the connection) in the middle of a stream.
class Exchange {
public:
    Exchange(unsigned short port, const std::string& method, const std::string& body,
             const std::map<std::string, std::string>& headers)
        : session_("127.0.0.1", port) {
        session_.setTimeout(Poco::Timespan(20, 0));
        HTTPRequest request(method, "/mcp", HTTPRequest::HTTP_1_1);
        request.setContentType("application/json");
        request.set("Accept", "application/json, text/event-stream");
        for (const auto& [k, v] : headers) request.set(k, v);
        if (!body.empty()) request.setContentLength(static_cast<std::streamsize>(body.size()));
        session_.sendRequest(request) << body;
        in_ = &session_.receiveResponse(response_);
    }
    const HTTPResponse& response() const { return response_; }
    std::string body() { return std::string(std::istreambuf_iterator<char>(*in_), {}); }
    // The next event with data or an id; nullopt at the end of the stream.
    std::optional<Event> next() {
        Event e;
        std::string line;
        bool any = false;
        while (std::getline(*in_, line)) {
            if (line.empty()) {
                if (any) return e;
                continue;
            }
            if (line[0] == ':') continue;  // a comment (stream open, keep-alive)
            any = true;
            if (line.rfind("id: ", 0) == 0) e.id = line.substr(4);
            if (line.rfind("data: ", 0) == 0) e.data = line.substr(6);
        }
        return std::nullopt;
    }
    void drop() { session_.abort(); }

private:
    Poco::Net::HTTPClientSession session_;
    HTTPResponse response_;
    std::istream* in_ = nullptr;
};

Poco::JSON::Object::Ptr parse(const std::string& json) {
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

class CallStream : public ::testing::Test {
protected:
    void SetUp() override {
        host_ = std::make_unique<mcph::testing::TestHost>(mcph::testing::testConfig(MCPH_PLUGINS_DIR "/../conformance-plugins"));
        Exchange init(host_->port(), "POST",
                      R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",)"
                      R"("capabilities":{"elicitation":{}},"clientInfo":{"name":"test","version":"1"}}})",
                      {});
        ASSERT_EQ(init.response().getStatus(), HTTPResponse::HTTP_OK);
        session_ = init.response().get("Mcp-Session-Id");
        init.body();
    }
    std::map<std::string, std::string> headers() const {
        return {{"Mcp-Session-Id", session_}, {"MCP-Protocol-Version", "2025-11-25"}};
    }
    std::unique_ptr<Exchange> callElicitation(int id) {
        return std::make_unique<Exchange>(
            host_->port(), "POST",
            R"({"jsonrpc":"2.0","id":)" + std::to_string(id) +
                R"(,"method":"tools/call","params":{"name":"test_elicitation","arguments":{"message":"Ready?"}}})",
            headers());
    }
    // Reads the call's stream up to the host's elicitation request; returns that event.
    static Event readUntilRequest(Exchange& call) {
        auto priming = call.next();
        EXPECT_TRUE(priming && !priming->id.empty() && priming->data.empty()) << "the stream starts with a priming event";
        auto request = call.next();
        EXPECT_TRUE(request);
        return request.value_or(Event{});
    }

    std::unique_ptr<mcph::testing::TestHost> host_;
    std::string session_;
};

}  // namespace

TEST_F(CallStream, TheClientAnswersTheHostsRequestAndResumesADroppedStream) {
    auto call = callElicitation(7);
    ASSERT_EQ(call->response().getContentType(), "text/event-stream");
    Event asked = readUntilRequest(*call);
    auto request = parse(asked.data);
    EXPECT_EQ(request->getValue<std::string>("method"), "elicitation/create");
    EXPECT_EQ(request->getObject("params")->getValue<std::string>("message"), "Ready?");
    call->drop();  // the connection breaks; the call goes on

    Exchange answer(host_->port(), "POST",
                    R"({"jsonrpc":"2.0","id":")" + request->getValue<std::string>("id") +
                        R"(","result":{"action":"accept","content":{"response":"yes"}}})",
                    headers());
    EXPECT_EQ(answer.response().getStatus(), HTTPResponse::HTTP_ACCEPTED);

    auto resumeHeaders = headers();
    resumeHeaders["Last-Event-ID"] = asked.id;
    Exchange resumed(host_->port(), "GET", "", resumeHeaders);
    ASSERT_EQ(resumed.response().getStatus(), HTTPResponse::HTTP_OK);
    auto result = resumed.next();
    ASSERT_TRUE(result);
    auto reply = parse(result->data);
    EXPECT_EQ(reply->getValue<int>("id"), 7);
    auto text = reply->getObject("result")->getArray("content")->getObject(0)->getValue<std::string>("text");
    EXPECT_EQ(text, R"(User response: action=accept, content={"response":"yes"})");
    EXPECT_FALSE(resumed.next()) << "the resumed stream ends with the result";
}

TEST_F(CallStream, ACancelledCallEndsWithoutAResponse) {
    auto call = callElicitation(8);
    readUntilRequest(*call);
    Exchange cancel(host_->port(), "POST",
                    R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":8,"reason":"changed my mind"}})",
                    headers());
    EXPECT_EQ(cancel.response().getStatus(), HTTPResponse::HTTP_ACCEPTED);
    EXPECT_FALSE(call->next()) << "no response event after cancellation";
}

TEST_F(CallStream, AnUnknownLastEventIdIsNotFound) {
    auto resumeHeaders = headers();
    resumeHeaders["Last-Event-ID"] = "p999.1";
    Exchange resumed(host_->port(), "GET", "", resumeHeaders);
    EXPECT_EQ(resumed.response().getStatus(), HTTPResponse::HTTP_NOT_FOUND);
}

TEST_F(CallStream, ASessionsGetStreamIsResumedWithLastEventIdAndTheOldOneEnds) {
    auto post = [&](const std::string& body) {
        Exchange e(host_->port(), "POST", body, headers());
        e.body();
        return e.response().getStatus();
    };
    ASSERT_EQ(post(R"({"jsonrpc":"2.0","id":2,"method":"resources/subscribe","params":{"uri":"test://watched-resource"}})"),
              HTTPResponse::HTTP_OK);
    const std::string touch = R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"test_update_watched_resource"}})";

    Exchange first(host_->port(), "GET", "", headers());
    ASSERT_EQ(first.response().getStatus(), HTTPResponse::HTTP_OK);
    ASSERT_EQ(post(touch), HTTPResponse::HTTP_OK);
    auto update1 = first.next();
    ASSERT_TRUE(update1);
    EXPECT_EQ(update1->id, "g.1");
    EXPECT_EQ(parse(update1->data)->getValue<std::string>("method"), "notifications/resources/updated");
    ASSERT_EQ(post(touch), HTTPResponse::HTTP_OK);
    ASSERT_TRUE(first.next());  // g.2, which the client is about to lose

    // The client reconnects after g.1: it gets g.2 again, then what comes next.
    auto resumeHeaders = headers();
    resumeHeaders["Last-Event-ID"] = "g.1";
    Exchange resumed(host_->port(), "GET", "", resumeHeaders);
    ASSERT_EQ(resumed.response().getStatus(), HTTPResponse::HTTP_OK);
    auto replayed = resumed.next();
    ASSERT_TRUE(replayed);
    EXPECT_EQ(replayed->id, "g.2");
    EXPECT_FALSE(first.next()) << "the replaced stream ends";
    ASSERT_EQ(post(touch), HTTPResponse::HTTP_OK);
    auto update3 = resumed.next();
    ASSERT_TRUE(update3);
    EXPECT_EQ(update3->id, "g.3");
}
