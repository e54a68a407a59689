#pragma once
// The events of one SSE stream of a session, kept so that a client whose connection dropped
// can resume it with Last-Event-ID (SEP-1699, stateful revisions). Event ids are
// "<stream id>.<sequence>"; the stream id tells which stream a Last-Event-ID belongs to.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mcph::mcp {

class EventStream {
public:
    explicit EventStream(std::string id) : id_(std::move(id)) {}

    const std::string& id() const { return id_; }
    // Stores one event and returns its id. The oldest events go beyond a bound.
    std::string append(std::string data);
    // No more events will come (the request was answered).
    void finish();
    bool finished() const;

    // Events after `afterSeq`, waiting up to `timeout` when there are none yet and the stream
    // is not finished. Each is (event id, data).
    std::vector<std::pair<std::string, std::string>> after(std::uint64_t afterSeq, std::chrono::milliseconds timeout);
    // Wakes waiters (session closing).
    void wake();

    // Splits "<stream>.<seq>" into its parts.
    static std::optional<std::pair<std::string, std::uint64_t>> parseEventId(const std::string& eventId);

private:
    const std::string id_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::pair<std::uint64_t, std::string>> events_;
    std::uint64_t nextSeq_ = 1;
    bool finished_ = false;
};

}  // namespace mcph::mcp
