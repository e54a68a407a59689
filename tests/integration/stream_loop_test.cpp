// Open GET streams on the event loop, over real HTTP: many more streams than worker threads stay
// open while calls are answered; a client that leaves frees its stream; a quiet stream gets
// heartbeats; the stream limit answers 503 with Retry-After; a reader that stops reading is cut
// off at the buffer bound while another stream keeps flowing; shutdown ends every stream.
#include <gtest/gtest.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/TestHost.h"

namespace {

using Poco::Net::HTTPRequest;
using Poco::Net::HTTPResponse;
using Clock = std::chrono::steady_clock;

const std::string kWatched = "test://watched-resource";

// A POST to /mcp answered as JSON; returns (status, session id header).
std::pair<int, std::string> post(unsigned short port, const std::string& body, const std::string& session = "") {
    Poco::Net::HTTPClientSession s("127.0.0.1", port);
    s.setTimeout(Poco::Timespan(20, 0));
    HTTPRequest request(HTTPRequest::HTTP_POST, "/mcp", HTTPRequest::HTTP_1_1);
    request.setContentType("application/json");
    request.set("Accept", "application/json, text/event-stream");
    if (!session.empty()) {
        request.set("Mcp-Session-Id", session);
        request.set("MCP-Protocol-Version", "2025-11-25");
    }
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    s.sendRequest(request) << body;
    HTTPResponse response;
    std::istream& in = s.receiveResponse(response);
    std::string ignored(std::istreambuf_iterator<char>(in), {});
    return {response.getStatus(), response.get("Mcp-Session-Id", "")};
}

std::string openSession(unsigned short port) {
    auto [status, id] = post(port, R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",)"
                                   R"("capabilities":{},"clientInfo":{"name":"streams","version":"1"}}})");
    EXPECT_EQ(status, 200);
    post(port, R"({"jsonrpc":"2.0","method":"notifications/initialized"})", id);
    return id;
}

void subscribe(unsigned short port, const std::string& session) {
    EXPECT_EQ(post(port, R"({"jsonrpc":"2.0","id":2,"method":"resources/subscribe","params":{"uri":")" + kWatched + R"("}})",
                   session).first,
              200);
}

int touchWatched(unsigned short port, const std::string& session) {
    return post(port, R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"test_update_watched_resource"}})",
                session)
        .first;
}

// A GET stream read byte by byte off a raw socket, so a test sees the head, the chunks, the
// final chunk and the close exactly, and can stop reading at will.
class RawStream {
public:
    RawStream(unsigned short port, const std::string& session, int receiveBuffer = 0,
              const std::string& lastEventId = "")
        : socket_(Poco::Net::SocketAddress::IPv4) {
        // Before connect, so the small window is what the server sees.
        if (receiveBuffer > 0) socket_.setReceiveBufferSize(receiveBuffer);
        socket_.connect(Poco::Net::SocketAddress("127.0.0.1", port));
        socket_.setReceiveTimeout(Poco::Timespan(10, 0));
        std::string request = "GET /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                              "\r\nAccept: text/event-stream\r\nMcp-Session-Id: " + session +
                              "\r\nMCP-Protocol-Version: 2025-11-25\r\n";
        if (!lastEventId.empty()) request += "Last-Event-ID: " + lastEventId + "\r\n";
        request += "\r\n";
        socket_.sendBytes(request.data(), static_cast<int>(request.size()));
    }
    // The status of the response head.
    int status() {
        while (buffer_.find("\r\n\r\n") == std::string::npos && fill()) {
        }
        const auto end = buffer_.find("\r\n\r\n");
        if (end == std::string::npos) return 0;
        head_ = buffer_.substr(0, end);
        received_ = buffer_.substr(end + 4);  // the first chunks may come with the head
        buffer_.clear();
        return std::stoi(head_.substr(9, 3));
    }
    const std::string& head() const { return head_; }
    // Reads until `text` has arrived (true) or the stream ended or timed out (false).
    bool waitFor(const std::string& text) {
        while (received_.find(text) == std::string::npos) {
            if (!fill()) return false;
        }
        return true;
    }
    // Reads to the end of the connection; what arrived.
    const std::string& drain() {
        while (fill()) {
        }
        return received_;
    }
    std::size_t count(const std::string& text) const {
        std::size_t n = 0;
        for (auto at = received_.find(text); at != std::string::npos; at = received_.find(text, at + 1)) ++n;
        return n;
    }
    void close() { socket_.close(); }
    // Ends a read blocked in another thread.
    void shutdown() { socket_.shutdown(); }
    // Reads what has arrived, waiting for some; false at the end of the stream.
    bool fill() {
        char chunk[8192];
        int n = 0;
        try {
            n = socket_.receiveBytes(chunk, sizeof chunk);
        } catch (const Poco::Exception&) {
            return false;
        }
        if (n <= 0) return false;
        buffer_.append(chunk, static_cast<std::size_t>(n));
        if (!head_.empty()) received_.append(chunk, static_cast<std::size_t>(n));
        return true;
    }

    Poco::Net::StreamSocket socket_;
    std::string buffer_;
    std::string head_;
    std::string received_;
};

mcph::config::HostConfig streamConfig() {
    auto config = mcph::testing::testConfig(MCPH_PLUGINS_DIR "/../conformance-plugins");
    config.server.threads = 8;  // streams that held a thread each would stop at 4
    return config;
}

// Polls `done` until it holds or `limit` passes (for effects the server applies asynchronously).
template <typename F>
bool eventually(F done, std::chrono::seconds limit = std::chrono::seconds(10)) {
    const auto deadline = Clock::now() + limit;
    while (!done()) {
        if (Clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

}  // namespace

TEST(StreamLoop, FarMoreStreamsThanWorkerThreadsStayOpenWhileCallsAreAnswered) {
    mcph::testing::TestHost host(streamConfig());
    std::vector<std::unique_ptr<RawStream>> streams;
    for (int i = 0; i < 64; ++i) {
        streams.push_back(std::make_unique<RawStream>(host.port(), openSession(host.port())));
        ASSERT_EQ(streams.back()->status(), 200) << "stream " << i;
        ASSERT_TRUE(streams.back()->waitFor(": stream open"));
    }
    // Eight workers, 64 open streams: a call on a new session still gets its answer.
    const std::string fresh = openSession(host.port());
    EXPECT_EQ(touchWatched(host.port(), fresh), 200);
}

TEST(StreamLoop, AClientThatLeavesFreesItsStreamAndTheSessionTakesANewOne) {
    mcph::testing::TestHost host(streamConfig());
    const std::string session = openSession(host.port());
    auto first = std::make_unique<RawStream>(host.port(), session);
    ASSERT_EQ(first->status(), 200);
    ASSERT_TRUE(first->waitFor(": stream open"));
    {
        RawStream second(host.port(), session);
        EXPECT_EQ(second.status(), 409);  // one GET stream per session while the first is open
    }
    first->close();
    // The loop notices the closed socket and releases the session's stream.
    EXPECT_TRUE(eventually([&] {
        RawStream again(host.port(), session);
        return again.status() == 200;
    }));
}

TEST(StreamLoop, AQuietStreamGetsHeartbeats) {
    auto config = streamConfig();
    config.mcp.sseHeartbeatSeconds = 1;
    mcph::testing::TestHost host(config);
    RawStream stream(host.port(), openSession(host.port()));
    ASSERT_EQ(stream.status(), 200);
    EXPECT_TRUE(stream.waitFor(": keep-alive\n\n"));
}

TEST(StreamLoop, TheStreamLimitAnswers503WithRetryAfter) {
    auto config = streamConfig();
    config.mcp.maxStreams = 2;
    mcph::testing::TestHost host(config);
    RawStream a(host.port(), openSession(host.port()));
    RawStream b(host.port(), openSession(host.port()));
    ASSERT_EQ(a.status(), 200);
    ASSERT_EQ(b.status(), 200);
    RawStream c(host.port(), openSession(host.port()));
    EXPECT_EQ(c.status(), 503);
    EXPECT_NE(c.head().find("Retry-After: 30"), std::string::npos) << c.head();
}

TEST(StreamLoop, AReaderThatStopsReadingIsCutOffWhileOthersFlow) {
    auto config = streamConfig();
    config.mcp.streamBufferBytes = 4096;
    mcph::testing::TestHost host(config);
    const std::string slowSession = openSession(host.port());
    const std::string fastSession = openSession(host.port());
    subscribe(host.port(), slowSession);
    subscribe(host.port(), fastSession);
    RawStream slow(host.port(), slowSession, 4096);  // never read past its head
    ASSERT_EQ(slow.status(), 200);
    RawStream fast(host.port(), fastSession);
    ASSERT_EQ(fast.status(), 200);
    // The fast stream is read all along, in a thread of its own; only the count is shared.
    std::atomic<std::size_t> fastUpdates{0};
    std::thread reader([&] {
        while (fast.fill()) fastUpdates = fast.count("notifications/resources/updated");
    });
    // Touch the resource until the slow stream is cut (its session takes a new GET stream),
    // bounded in count.
    int touched = 0;
    bool cut = false;
    for (; touched < 5000 && !cut; ++touched) {
        ASSERT_EQ(touchWatched(host.port(), fastSession), 200);
        if (touched % 50 == 49) {
            RawStream probe(host.port(), slowSession);
            cut = probe.status() == 200;
        }
    }
    EXPECT_TRUE(cut) << "the slow stream was never cut after " << touched << " updates";
    // The fast reader got every update, before and after the cut.
    EXPECT_TRUE(eventually([&] { return fastUpdates.load() >= static_cast<std::size_t>(touched); }))
        << fastUpdates.load() << " of " << touched;
    fast.shutdown();
    reader.join();
}

TEST(StreamLoop, ShutdownEndsEveryOpenStream) {
    mcph::testing::TestHost host(streamConfig());
    std::vector<std::unique_ptr<RawStream>> streams;
    for (int i = 0; i < 10; ++i) {
        streams.push_back(std::make_unique<RawStream>(host.port(), openSession(host.port())));
        ASSERT_EQ(streams.back()->status(), 200);
    }
    host.stop();
    for (auto& s : streams) {
        // Each gets the final chunk, then the connection closes.
        const std::string& all = s->drain();
        EXPECT_NE(all.find("0\r\n\r\n"), std::string::npos);
    }
}
