#pragma once
// The plain-TCP HTTP server: worker threads run request handling and plugin calls only; waiting
// costs no thread. Every connection that waits for its client (a new one before its first
// request, a keep-alive one between requests) sits in one epoll set; the worker threads wait on
// that set together, and the kernel hands each readable connection to exactly one of them
// (EPOLLONESHOT). That worker answers what the client sent (HttpConnection, with Poco's parser
// and handlers) and re-arms the connection. An idle keep-alive client costs a socket, not a
// thread, and a request costs one wake-up, as on a thread-per-connection server. Long-lived SSE
// streams leave for the stream hub (SseStreamHub) once their head is sent.
//
// Why not Poco's HTTPServer (measured, see the transport issue's note): it gives each connection
// a thread for its whole life, so 64 threads meant 64 connected clients. Why workers on the
// epoll set rather than one loop thread handing connections to a pool: the hand-off costs a
// second wake-up and two more epoll_ctl calls per request, on the path the benchmark measures
// against a bare Poco server (bench/README.md). Why not
// Boost.Beast: the handlers, the request framing checks and Poco's parser stay as they are;
// only who waits changed. TLS listeners keep Poco's HTTPServer (an SSL session may hold
// decrypted bytes epoll cannot see), see HostServer.
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http/HttpConnection.h"

namespace mcph::http {

struct EventDrivenHttpServerOptions {
    int workerThreads = 64;
    // Connections open at once (idle or busy, streams not counted); past it a new connection is
    // closed at once, so the descriptors streams and the rest of the host need stay free.
    std::size_t maxConnections = 10000;
    // Timeouts, keep-alive and the Server header, as Poco's HTTPServer reads them:
    // getTimeout() bounds the wait for a new connection's first request and each read within a
    // request; getKeepAliveTimeout() how long an idle keep-alive connection stays open.
    Poco::Net::HTTPServerParams::Ptr params;
};

class EventDrivenHttpServer {
  public:
    EventDrivenHttpServer(Poco::Net::HTTPRequestHandlerFactory::Ptr factory,
                          const Poco::Net::ServerSocket& listener,
                          EventDrivenHttpServerOptions options);
    ~EventDrivenHttpServer();
    EventDrivenHttpServer(const EventDrivenHttpServer&) = delete;
    EventDrivenHttpServer& operator=(const EventDrivenHttpServer&) = delete;

    void start();
    // Closes the listening socket now: new connections are refused, not queued, and every
    // connection closes after its next answer.
    void stopAccepting();
    // stopAccepting(), answers the requests already received (with Connection: close), closes
    // every connection and waits for the workers. Idempotent.
    void stop();

    // Connections open now (idle or in a worker).
    std::size_t connectionCount() const { return connections_.load(); }

  private:
    using Clock = std::chrono::steady_clock;

    // A connection and what the idle sweep needs to know of it.
    struct Entry {
        std::unique_ptr<HttpConnection> connection;
        Clock::time_point idleDeadline;
        bool waiting = false;  // armed in the epoll set (no worker has it)
        bool expired = false;  // shut down by the sweep; the next worker to see it closes it
    };

    void runWorker();
    void waitAndServe();      // waits for one event and handles it
    void serveWhatIsReady();  // at stop, the requests clients already sent
    void acceptAll();
    void serve(Entry* entry);
    void arm(Entry* entry, Clock::time_point deadline);  // waits for the client again
    void close(Entry* entry);
    void runSweeper();

    Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
    Poco::Net::ServerSocket listener_;
    const EventDrivenHttpServerOptions options_;
    const std::chrono::milliseconds firstRequestTimeout_;
    const std::chrono::milliseconds keepAliveTimeout_;

    int epoll_ = -1;
    int stopFd_ = -1;  // an eventfd, readable once stopping: wakes every worker
    std::atomic<bool> stopping_{false};
    std::atomic<bool> draining_{false};  // the listener is closed: answers close their connection
    std::atomic<std::size_t> connections_{0};

    std::mutex listenerMutex_;  // accept() and closing the listener never overlap
    bool listening_ = false;
    Clock::time_point acceptPausedUntil_{};  // out of descriptors: the listener rests

    std::mutex entriesMutex_;
    std::unordered_map<Entry*, std::unique_ptr<Entry>> entries_;  // every open connection

    std::mutex sweeperMutex_;
    std::condition_variable sweeperWake_;
    std::thread sweeper_;
    std::vector<std::thread> workers_;
    bool started_ = false;
};

}  // namespace mcph::http
