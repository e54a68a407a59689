#include "mcp/EventStream.h"

namespace mcph::mcp {
namespace {
constexpr std::size_t kMaxKept = 256;  // a client that never resumes must not grow us forever
}

std::string EventStream::append(std::string data) {
    std::uint64_t seq;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        seq = nextSeq_++;
        events_.emplace_back(seq, std::move(data));
        if (events_.size() > kMaxKept) events_.pop_front();
    }
    changed_.notify_all();
    return id_ + "." + std::to_string(seq);
}

void EventStream::finish() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        finished_ = true;
    }
    changed_.notify_all();
}

bool EventStream::finished() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return finished_;
}

void EventStream::wake() { changed_.notify_all(); }

std::vector<std::pair<std::string, std::string>> EventStream::after(std::uint64_t afterSeq, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    auto pending = [&] { return !events_.empty() && events_.back().first > afterSeq; };
    if (!pending() && !finished_) changed_.wait_for(lock, timeout, [&] { return pending() || finished_; });
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [seq, data] : events_) {
        if (seq > afterSeq) out.emplace_back(id_ + "." + std::to_string(seq), data);
    }
    return out;
}

std::optional<std::pair<std::string, std::uint64_t>> EventStream::parseEventId(const std::string& eventId) {
    const std::size_t dot = eventId.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 >= eventId.size() || eventId.size() > 64) return std::nullopt;
    std::uint64_t seq = 0;
    for (std::size_t i = dot + 1; i < eventId.size(); ++i) {
        const char c = eventId[i];
        if (c < '0' || c > '9' || seq > (UINT64_MAX - 9) / 10) return std::nullopt;
        seq = seq * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return std::make_pair(eventId.substr(0, dot), seq);
}

}  // namespace mcph::mcp
