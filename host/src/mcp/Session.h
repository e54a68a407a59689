#pragma once
// One MCP session (stateful revisions): who owns it, what was negotiated, and the queue of
// server-to-client messages waiting for the GET stream.
#include <Poco/JSON/Object.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "mcp/EventStream.h"
#include "mcp/JsonRpc.h"

namespace mcph::mcp {

// Where a GET stream's messages go when no thread waits on the session for them (the
// transport's event loop holds the connection): each message with its event id, in order.
class StreamSink {
public:
    virtual ~StreamSink() = default;
    // False when the connection is gone (the message stays in the event log for a resume).
    virtual bool deliver(const std::string& eventId, const std::string& data) = 0;
    // Ends the stream: the session closed, or a resumed stream took over.
    virtual void end() = 0;
};

class Session {
public:
    Session(std::string id, std::string principal, std::string protocolVersion, Poco::JSON::Object::Ptr clientInfo);

    const std::string& id() const { return id_; }
    const std::string& principal() const { return principal_; }
    const std::string& protocolVersion() const { return protocolVersion_; }

    void markInitialized();
    bool initialized() const;

    // The GET stream: at most one per session (a second one is refused with 409), unless it
    // resumes with Last-Event-ID: a reconnecting client's old stream is dead, so the new one
    // takes over (`takeOver`) and the old one ends at once. Returns the stream's generation,
    // nullopt when refused.
    std::optional<std::uint64_t> attachStream(bool takeOver = false);
    void detachStream(std::uint64_t generation);
    bool streamCurrent(std::uint64_t generation) const;
    // What the GET stream sent, with event ids ("g.<n>"), for resumption.
    const std::shared_ptr<EventStream>& standaloneEvents() const { return standalone_; }
    // Hands the stream of `generation` to `sink`: messages queued so far, then every later one,
    // go there with their event ids. False when that stream is no longer the current one.
    bool setStreamSink(std::uint64_t generation, std::shared_ptr<StreamSink> sink);
    // Queues a message for the GET stream (or delivers it to its sink); dropped when no stream
    // is attached (MCP lets the server send only on streams the client opened).
    void post(std::string message);
    // Waits up to `timeout` for a queued message; nullopt on timeout or once the session closed.
    std::optional<std::string> nextMessage(std::chrono::milliseconds timeout);
    // The same for the stream of `generation`: nullopt at once when another stream took over.
    std::optional<std::string> nextMessage(std::chrono::milliseconds timeout, std::uint64_t generation);

    // A call in flight or an open GET stream: the client is using the session right now, so
    // the registry never evicts it to make room.
    bool busy() const;

    // Ends the session: wakes its stream so the GET request returns.
    void close();
    bool closed() const;

    // What the client declared in initialize (sampling, elicitation, roots, ...).
    void setClientCapabilities(Poco::JSON::Object::Ptr capabilities);
    bool clientHasCapability(const std::string& name) const;

    // logging/setLevel: messages below this severity (0 = debug ... 7 = emergency) are dropped.
    void setLogLevel(int severity) { logLevel_.store(severity); }
    int logLevel() const { return logLevel_.load(); }

    // resources/subscribe and unsubscribe.
    void subscribe(const std::string& uri);
    void unsubscribe(const std::string& uri);
    bool subscribed(const std::string& uri) const;

    // Client requests in flight, so notifications/cancelled can reach them.
    std::shared_ptr<std::atomic<bool>> beginCall(const std::string& idKey);
    void endCall(const std::string& idKey);
    void cancelCall(const std::string& idKey);

    // Server-to-client requests: a fresh id, then wait for the client's response (or the
    // call's cancellation, the session's end, the deadline). nullopt when none came.
    std::string newOutgoingId();
    std::optional<Message> awaitResponse(const std::string& id, const std::atomic<bool>& cancelled,
                                         std::chrono::steady_clock::time_point deadline);
    // A response POSTed by the client; false when nobody waits for that id.
    bool deliverResponse(const std::string& id, Message response);

    // POST response streams, for resumption with Last-Event-ID.
    std::shared_ptr<EventStream> openEventStream();
    std::shared_ptr<EventStream> findEventStream(const std::string& id) const;

private:
    const std::string id_;
    const std::string principal_;
    const std::string protocolVersion_;
    const Poco::JSON::Object::Ptr clientInfo_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::string> outbox_;
    std::shared_ptr<StreamSink> sink_;  // the current stream's, when the event loop holds it
    std::mutex deliverMutex_;  // keeps sink deliveries in event-id order (taken before mutex_)
    bool initialized_ = false;
    bool streamAttached_ = false;
    std::uint64_t streamGeneration_ = 0;
    const std::shared_ptr<EventStream> standalone_ = std::make_shared<EventStream>("g");
    bool closed_ = false;

    std::atomic<int> logLevel_{0};
    Poco::JSON::Object::Ptr capabilities_;
    std::set<std::string> subscriptions_;
    std::map<std::string, std::shared_ptr<std::atomic<bool>>> calls_;
    std::map<std::string, std::optional<Message>> outgoing_;  // id -> response once it came
    std::condition_variable answered_;
    std::uint64_t nextOutgoing_ = 1;
    std::deque<std::shared_ptr<EventStream>> eventStreams_;
    std::uint64_t nextStream_ = 1;
};

}  // namespace mcph::mcp
