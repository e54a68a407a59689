#pragma once
// Open SSE streams without a thread each. Once a GET stream's response head is sent, its socket
// leaves Poco's worker thread (HTTPServerRequestImpl::detachSocket) and is adopted here: one
// event-loop thread (epoll) writes what producers queue, sends a heartbeat comment on quiet
// streams, and notices a client that went away. A worker thread is then free for the requests
// that do work, and an open stream costs a socket and its small buffer.
//
// Why this design (measured, see the transport issue's note): Poco's HTTPServer holds a thread
// per connection for as long as a handler runs, and a stream's handler runs for the stream's
// whole life, so streams were capped at half the worker threads. Keeping Poco for
// request/response (its parser, framing checks and handlers stay) and moving only the long-lived
// streams to a loop removes that cap with no hand-written HTTP parsing: what the loop writes is
// chunked-encoding frames around SSE text.
//
// Plain TCP only: a TLS listener's streams stay on their worker thread (non-blocking SSL_write
// needs its own retry rules).
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace mcph::http {

struct SseStreamHubOptions {
    std::chrono::seconds heartbeat{20};       // a comment on a stream quiet this long
    std::size_t maxBufferedBytes = 1 << 20;   // a reader this far behind is cut off
};

class SseStreamHub;

// One adopted stream. Producers call send() from any thread.
class SseConnection : public std::enable_shared_from_this<SseConnection> {
public:
    // Queues one SSE message (complete text, ending in a blank line) as one chunk. False when the
    // stream has ended; a reader too far behind ends it (it resumes with Last-Event-ID).
    bool send(const std::string& sseText);
    // Ends the stream: the final chunk, then the connection closes.
    void end();
    bool ended() const { return ended_.load(); }

private:
    friend class SseStreamHub;
    SseConnection(SseStreamHub& hub, Poco::Net::StreamSocket socket, std::function<void()> onClosed);
    bool flushLocked();  // writes what it can; false on a socket error
    bool ready() const { return pending_.empty(); }

    SseStreamHub& hub_;
    Poco::Net::StreamSocket socket_;
    int fd_;
    std::function<void()> onClosed_;
    std::mutex mutex_;
    std::string pending_;  // chunk-framed bytes not yet accepted by the socket
    bool finishing_ = false;  // end() asked: close once pending_ is written
    bool broken_ = false;     // a write failed or the reader fell too far behind: close now
    bool writeArmed_ = false;
    std::chrono::steady_clock::time_point lastWrite_;
    std::atomic<bool> ended_{false};
};

class SseStreamHub {
public:
    explicit SseStreamHub(SseStreamHubOptions options);
    ~SseStreamHub();
    SseStreamHub(const SseStreamHub&) = delete;
    SseStreamHub& operator=(const SseStreamHub&) = delete;

    // Takes over `socket`, whose response head (chunked transfer coding) was sent and flushed.
    // `onClosed` runs once, on the loop thread, when the stream ends for any reason.
    std::shared_ptr<SseConnection> adopt(Poco::Net::StreamSocket socket, std::function<void()> onClosed);
    // Ends every stream (shutdown) and waits until each has closed.
    void endAll();
    std::size_t size() const;

private:
    friend class SseConnection;
    void run();
    void wake();
    void wantWrite(const std::shared_ptr<SseConnection>& c);  // arm EPOLLOUT from the loop
    void finish(const std::shared_ptr<SseConnection>& c);       // loop thread only
    void heartbeats(std::chrono::steady_clock::time_point now);

    const SseStreamHubOptions options_;
    int epoll_ = -1;
    int wakeFd_ = -1;
    std::atomic<bool> stopping_{false};
    mutable std::mutex mutex_;
    std::unordered_map<int, std::shared_ptr<SseConnection>> streams_;  // by fd
    std::vector<std::shared_ptr<SseConnection>> dirty_;  // need EPOLLOUT or closing
    std::thread loop_;
};

}  // namespace mcph::http
