#pragma once
// One MCP session (stateful revisions): who owns it, what was negotiated, and the queue of
// server-to-client messages waiting for the GET stream.
#include <Poco/JSON/Object.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

namespace mcph::mcp {

class Session {
public:
    Session(std::string id, std::string principal, std::string protocolVersion, Poco::JSON::Object::Ptr clientInfo);

    const std::string& id() const { return id_; }
    const std::string& principal() const { return principal_; }
    const std::string& protocolVersion() const { return protocolVersion_; }

    void markInitialized();
    bool initialized() const;

    // The GET stream: at most one per session (a second one is refused with 409).
    bool attachStream();
    void detachStream();
    // Queues a message for the GET stream; dropped when no stream is attached (MCP lets the
    // server send only on streams the client opened).
    void post(std::string message);
    // Waits up to `timeout` for a queued message; nullopt on timeout or once the session closed.
    std::optional<std::string> nextMessage(std::chrono::milliseconds timeout);

    // Ends the session: wakes its stream so the GET request returns.
    void close();
    bool closed() const;

private:
    const std::string id_;
    const std::string principal_;
    const std::string protocolVersion_;
    const Poco::JSON::Object::Ptr clientInfo_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::string> outbox_;
    bool initialized_ = false;
    bool streamAttached_ = false;
    bool closed_ = false;
};

}  // namespace mcph::mcp
