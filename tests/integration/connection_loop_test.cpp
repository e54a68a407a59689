// The plain-TCP listener's connection model (http/EventDrivenHttpServer): idle keep-alive
// connections wait in the event loop, not on a worker thread, over real sockets on loopback.
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/HttpClient.h"
#include "support/TestHost.h"

namespace {

using Clock = std::chrono::steady_clock;

// One keep-alive connection speaking HTTP/1.1 by hand, so a test knows which socket carries
// which request (a client library would silently reconnect).
class RawConnection {
  public:
    explicit RawConnection(unsigned short port)
        : socket_(Poco::Net::SocketAddress("127.0.0.1", port)) {
        socket_.setReceiveTimeout(Poco::Timespan(10, 0));
    }

    void send(const std::string& bytes) {
        socket_.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
    }

    // Sends a GET for /healthz and reads its response; the status code.
    int getHealth() {
        send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        return readResponse();
    }

    // Reads one response with a Content-Length body; its status, or 0 if the server closed.
    int readResponse() {
        std::string head;
        while (head.find("\r\n\r\n") == std::string::npos) {
            char c;
            if (socket_.receiveBytes(&c, 1) <= 0) return 0;
            head += c;
        }
        std::size_t length = 0;
        const auto at = head.find("Content-Length: ");
        if (at != std::string::npos) length = std::stoul(head.substr(at + 16));
        std::string body(length, '\0');
        std::size_t got = 0;
        while (got < length) {
            const int n = socket_.receiveBytes(&body[got], static_cast<int>(length - got));
            if (n <= 0) return 0;
            got += static_cast<std::size_t>(n);
        }
        return std::stoi(head.substr(9, 3));
    }

    // True once the server has closed this connection (reads end of stream).
    bool closedByServer() {
        char c;
        try {
            return socket_.receiveBytes(&c, 1) == 0;
        } catch (const Poco::Net::ConnectionResetException&) {
            return true;
        }
    }

  private:
    Poco::Net::StreamSocket socket_;
};

TEST(ConnectionLoop, IdleKeepAliveConnectionsHoldNoWorkerThread) {
    auto config = mcph::testing::testConfig(MCPH_PLUGINS_DIR);
    config.server.threads = 2;
    mcph::testing::TestHost host(config);

    // Forty clients, twenty times the workers, each made a request and keeps its connection.
    std::vector<std::unique_ptr<RawConnection>> idle;
    for (int i = 0; i < 40; ++i) {
        idle.push_back(std::make_unique<RawConnection>(host.port()));
        ASSERT_EQ(idle.back()->getHealth(), 200) << "client " << i;
    }
    // With a thread per connection the two workers would sit on two idle clients and this
    // request would wait for their keep-alive timeout; here it is answered at once.
    RawConnection late(host.port());
    EXPECT_EQ(late.getHealth(), 200);
    EXPECT_EQ(host.server().connectionCount(), 41u);
    // Every idle connection still serves its next request, on the same socket.
    for (std::size_t i = 0; i < idle.size(); ++i)
        EXPECT_EQ(idle[i]->getHealth(), 200) << "client " << i;
}

TEST(ConnectionLoop, ManyClientsTakingTurnsOnTwoWorkersAreAllAnswered) {
    auto config = mcph::testing::testConfig(MCPH_PLUGINS_DIR);
    config.server.threads = 2;
    mcph::testing::TestHost host(config);
    std::vector<std::unique_ptr<RawConnection>> clients;
    for (int i = 0; i < 100; ++i) clients.push_back(std::make_unique<RawConnection>(host.port()));
    // Every client sends before any reads: the requests queue for the two workers.
    for (int round = 0; round < 3; ++round) {
        for (auto& c : clients) c->send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        for (std::size_t i = 0; i < clients.size(); ++i) {
            EXPECT_EQ(clients[i]->readResponse(), 200) << "round " << round << " client " << i;
        }
    }
}

TEST(ConnectionLoop, PipelinedRequestsAreAnsweredInOrderOnOneConnection) {
    auto config = mcph::testing::testConfig(MCPH_PLUGINS_DIR);
    config.server.threads = 1;
    mcph::testing::TestHost host(config);
    RawConnection c(host.port());
    // Three requests in one write: the second and third are already in the server's buffer
    // when the first is answered, where epoll cannot see them.
    c.send(
        "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\nGET /nope HTTP/1.1\r\nHost: a\r\n\r\n"
        "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n");
    EXPECT_EQ(c.readResponse(), 200);
    EXPECT_EQ(c.readResponse(), 404);
    EXPECT_EQ(c.readResponse(), 200);
}

TEST(ConnectionLoop, AClientThatClosesItsIdleConnectionIsForgotten) {
    auto config = mcph::testing::testConfig(MCPH_PLUGINS_DIR);
    mcph::testing::TestHost host(config);
    {
        RawConnection c(host.port());
        ASSERT_EQ(c.getHealth(), 200);
        EXPECT_EQ(host.server().connectionCount(), 1u);
    }
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (host.server().connectionCount() != 0 && Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(host.server().connectionCount(), 0u);
}

TEST(ConnectionLoop, StoppingClosesIdleConnectionsAndRefusesNewOnes) {
    auto config = mcph::testing::testConfig(MCPH_PLUGINS_DIR);
    mcph::testing::TestHost host(config);
    const unsigned short port = host.port();
    RawConnection idle(port);
    ASSERT_EQ(idle.getHealth(), 200);
    host.stop();
    EXPECT_TRUE(idle.closedByServer());
    EXPECT_THROW(RawConnection late(port), Poco::Net::ConnectionRefusedException);
}

TEST(ConnectionLoop, ARequestAlreadySentWhenStoppingBeginsIsAnsweredThenClosed) {
    auto config = mcph::testing::testConfig(MCPH_TEST_PLUGINS_DIR);
    config.server.threads = 1;
    config.server.drainSeconds = 20;
    mcph::testing::TestHost host(config);
    mcph::testing::HttpClient c(host.port());
    const std::string sid = c.openSession();
    // A keep-alive client, accepted and idle.
    RawConnection waiting(host.port());
    ASSERT_EQ(waiting.getHealth(), 200);
    // The only worker is busy with a slow call...
    std::thread slow([&] {
        mcph::testing::HttpClient s(host.port());
        s.callTool(sid, "slow_sleep", R"({"ms":1500})");
    });
    const auto deadline = Clock::now() + std::chrono::seconds(20);
    while (host.server().metrics().requestsInFlight().value() == 0 && Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_GT(host.server().metrics().requestsInFlight().value(), 0)
        << "the slow call never started";
    // ... when the idle client sends its next request, and then the host is told to stop.
    waiting.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    std::thread stopper([&] { host.stop(); });
    // It is answered (503: the host is draining), not dropped, and the connection then closes.
    EXPECT_EQ(waiting.readResponse(), 503);
    EXPECT_TRUE(waiting.closedByServer());
    slow.join();
    stopper.join();
}

}  // namespace
