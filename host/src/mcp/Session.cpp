#include "mcp/Session.h"

namespace mcph::mcp {

namespace {
constexpr std::size_t kMaxQueued = 1024;  // a client that never reads must not grow us forever
}

Session::Session(std::string id, std::string principal, std::string protocolVersion, Poco::JSON::Object::Ptr clientInfo)
    : id_(std::move(id)),
      principal_(std::move(principal)),
      protocolVersion_(std::move(protocolVersion)),
      clientInfo_(std::move(clientInfo)) {}

void Session::markInitialized() {
    std::lock_guard<std::mutex> lock(mutex_);
    initialized_ = true;
}

bool Session::initialized() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return initialized_;
}

bool Session::attachStream() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (streamAttached_ || closed_) return false;
    streamAttached_ = true;
    return true;
}

void Session::detachStream() {
    std::lock_guard<std::mutex> lock(mutex_);
    streamAttached_ = false;
    outbox_.clear();
}

void Session::post(std::string message) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!streamAttached_ || closed_ || outbox_.size() >= kMaxQueued) return;
        outbox_.push_back(std::move(message));
    }
    wake_.notify_all();
}

std::optional<std::string> Session::nextMessage(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock, timeout, [this] { return closed_ || !outbox_.empty(); });
    if (closed_ || outbox_.empty()) return std::nullopt;
    std::string message = std::move(outbox_.front());
    outbox_.pop_front();
    return message;
}

void Session::close() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        closed_ = true;
    }
    wake_.notify_all();
}

bool Session::closed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return closed_;
}

}  // namespace mcph::mcp
