// SIGTERM's drain, in-process and as a process: the listener refuses new connections at once
// while a request in flight finishes (on plain TCP and on TLS), readiness reports draining, and
// server.drainSeconds bounds how long a stop may take.
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "support/HostProcess.h"
#include "support/HttpClient.h"
#include "support/TestCertificates.h"
#include "support/TestHost.h"

using namespace mcph::testing;
using Clock = std::chrono::steady_clock;

namespace {

// Polls slow_in_flight until a slow_sleep call runs inside the plugin.
void waitUntilSlowCallRuns(unsigned short port, const std::string& sid) {
    HttpClient probe(port);
    const auto deadline = Clock::now() + std::chrono::seconds(20);
    while (Clock::now() < deadline) {
        auto r = probe.callTool(sid, "slow_in_flight", "{}");
        if (r->getObject("structuredContent")->getValue<int>("inFlight") > 0) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    FAIL() << "the slow call never started";
}

// True once a TCP connect to the port is refused (RST), polled until `deadline`.
bool refusedBefore(unsigned short port, Clock::time_point deadline) {
    while (Clock::now() < deadline) {
        try {
            Poco::Net::StreamSocket socket;
            socket.connect(Poco::Net::SocketAddress("127.0.0.1", port), Poco::Timespan(0, 200000));
            socket.close();
        } catch (const Poco::Net::ConnectionRefusedException&) {
            return true;
        } catch (const Poco::Exception&) {
            // A timeout is what a listener nobody accepts from looks like: keep polling.
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

struct HttpsReply {
    int status = 0;
    std::string body;
    std::string sessionId;
};

// One POST to /mcp over its own TLS connection, trusting exactly `certFile`.
HttpsReply httpsPost(unsigned short port, const std::string& certFile, const std::string& body,
                     const std::string& sessionId = "") {
    Poco::Net::Context::Ptr ctx =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", certFile,
                               Poco::Net::Context::VERIFY_STRICT, 9, false);
    Poco::Net::HTTPSClientSession https("127.0.0.1", port, ctx);
    https.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest req("POST", "/mcp", Poco::Net::HTTPMessage::HTTP_1_1);
    req.setContentType("application/json");
    req.set("Accept", "application/json, text/event-stream");
    if (!sessionId.empty()) {
        req.set("Mcp-Session-Id", sessionId);
        req.set("MCP-Protocol-Version", "2025-11-25");
    }
    req.setContentLength(static_cast<std::streamsize>(body.size()));
    https.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    HttpsReply reply;
    Poco::StreamCopier::copyToString(https.receiveResponse(resp), reply.body);
    reply.status = resp.getStatus();
    reply.sessionId = resp.get("Mcp-Session-Id", "");
    return reply;
}

}  // namespace

// TLS keeps Poco's thread-per-connection server (README: Limits): its drain must hold the same
// promises as the event-driven listener's.
TEST(OpsDrain, OnTlsNewConnectionsAreRefusedAtOnceWhileARequestInFlightFinishes) {
    TempDir dir;
    const std::string cert = dir.path() + "/cert.pem";
    writeSelfSignedCertificate(dir.path() + "/key.pem", cert, "127.0.0.1");
    auto config = testConfig(MCPH_TEST_PLUGINS_DIR);
    config.server.tls.certificateFile = cert;
    config.server.tls.privateKeyFile = dir.path() + "/key.pem";
    TestHost host(config);
    const unsigned short port = host.port();
    const HttpsReply init = httpsPost(
        port, cert, rpcRequest(1, "initialize", R"({"protocolVersion":"2025-11-25","capabilities":{}})"));
    ASSERT_EQ(init.status, 200) << init.body;
    const std::string sid = init.sessionId;
    ASSERT_FALSE(sid.empty());
    ASSERT_EQ(httpsPost(port, cert, R"({"jsonrpc":"2.0","method":"notifications/initialized"})", sid).status,
              202);

    HttpsReply slow;
    std::string failure;
    std::thread caller([&] {
        try {
            slow = httpsPost(port, cert,
                             rpcRequest(2, "tools/call", R"({"name":"slow_sleep","arguments":{"ms":2500}})"), sid);
        } catch (const std::exception& e) {
            failure = e.what();
        }
    });
    // Until the plugin reports the call running (bounded).
    const auto deadline = Clock::now() + std::chrono::seconds(20);
    bool running = false;
    while (!running && Clock::now() < deadline) {
        const HttpsReply probe = httpsPost(
            port, cert, rpcRequest(3, "tools/call", R"({"name":"slow_in_flight","arguments":{}})"), sid);
        running = probe.body.find(R"("inFlight":1)") != std::string::npos;
        if (!running) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_TRUE(running) << "the slow call never started";

    const auto stopStarted = Clock::now();
    std::thread stopper([&] { host.stop(); });
    EXPECT_TRUE(refusedBefore(port, stopStarted + std::chrono::seconds(1)))
        << "the TLS port still accepts connections 1 s into the drain";
    caller.join();
    stopper.join();
    EXPECT_TRUE(failure.empty()) << failure;
    EXPECT_EQ(slow.status, 200) << slow.body;
    EXPECT_NE(slow.body.find("slept 2500 ms"), std::string::npos) << slow.body;
}

TEST(OpsDrain, NewConnectionsAreRefusedAtOnceWhileARequestInFlightFinishes) {
    TestHost host(testConfig(MCPH_TEST_PLUGINS_DIR));
    const unsigned short port = host.port();
    HttpClient c(port);
    const std::string sid = c.openSession();
    HttpClient keptAlive(port);
    ASSERT_EQ(keptAlive.request("GET", "/healthz").status, 200);

    Poco::JSON::Object::Ptr result;
    std::string failure;
    std::thread caller([&] {
        try {
            HttpClient slow(port);
            result = slow.callTool(sid, "slow_sleep", R"({"ms":2500})");
        } catch (const std::exception& e) {
            failure = e.what();
        }
    });
    waitUntilSlowCallRuns(port, sid);

    const auto stopStarted = Clock::now();
    std::thread stopper([&] { host.stop(); });
    EXPECT_TRUE(refusedBefore(port, stopStarted + std::chrono::seconds(1)))
        << "the port still accepts connections 1 s into the drain";

    // The admin listener says draining; the public health check on a connection that was
    // already open says 503 too, and closes it.
    HttpClient admin(host.server().adminPort());
    HttpReply ready = admin.request("GET", "/readyz");
    EXPECT_EQ(ready.status, 503) << ready.body;
    EXPECT_NE(ready.body.find("draining"), std::string::npos) << ready.body;
    HttpClient live(host.server().adminPort());
    EXPECT_EQ(live.request("GET", "/livez").status, 200);
    try {
        HttpReply health = keptAlive.request("GET", "/healthz");
        EXPECT_EQ(health.status, 503);
        EXPECT_EQ(Poco::toLower(health.header("connection")), "close");
    } catch (const Poco::Exception& e) {
        ADD_FAILURE() << "an open keep-alive connection was cut at the start of the drain: "
                      << e.displayText();
    }

    caller.join();
    stopper.join();
    ASSERT_TRUE(result) << failure;
    EXPECT_FALSE(result->has("isError"));
}

TEST(OpsDrain, ServerDrainSecondsBoundsTheStopOfAProcess) {
    TempDir dir;
    const std::string config =
        dir.write("drain.json",
                  R"({"server":{"host":"127.0.0.1","port":0,"drainSeconds":1},"admin":{"port":0},)"
                  R"("plugins":{"dir":")" +
                      std::string(MCPH_TEST_PLUGINS_DIR) + R"("},"auth":{"provider":"none"}})");
    HostProcess host(config);
    HttpClient c(host.port());
    const std::string sid = c.openSession();
    std::string failure;
    std::thread caller([&] {
        try {
            HttpClient slow(host.port());
            slow.callTool(sid, "slow_sleep", R"({"ms":25000})");
        } catch (const std::exception& e) {
            failure = e.what();
        }
    });
    waitUntilSlowCallRuns(host.port(), sid);
    const auto started = Clock::now();
    host.terminate();
    const int code = host.wait();
    const auto took = Clock::now() - started;
    caller.join();
    EXPECT_EQ(code, 0);
    // 1 s of drain plus the bounded time to close streams and connections, far below the call.
    EXPECT_LT(took, std::chrono::seconds(12));
    EXPECT_FALSE(failure.empty()) << "the 25 s call cannot have been answered";
    EXPECT_NE(host.stderrText().find("server.drainSeconds"), std::string::npos)
        << host.stderrText();
}
