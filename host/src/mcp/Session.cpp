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

std::optional<std::uint64_t> Session::attachStream(bool takeOver) {
    std::shared_ptr<StreamSink> replaced;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (closed_ || (streamAttached_ && !takeOver)) return std::nullopt;
        streamAttached_ = true;
        ++streamGeneration_;
        replaced = std::move(sink_);
    }
    if (replaced) replaced->end();
    wake_.notify_all();  // an old stream sees it was replaced
    std::lock_guard<std::mutex> lock(mutex_);
    return streamGeneration_;
}

void Session::detachStream(std::uint64_t generation) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (generation != streamGeneration_) return;  // a newer stream owns the session now
    streamAttached_ = false;
    outbox_.clear();
    sink_.reset();
}

bool Session::setStreamSink(std::uint64_t generation, std::shared_ptr<StreamSink> sink) {
    std::lock_guard<std::mutex> order(deliverMutex_);
    std::deque<std::string> queued;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (closed_ || !streamAttached_ || generation != streamGeneration_) return false;
        sink_ = sink;
        queued.swap(outbox_);
    }
    for (auto& message : queued) sink->deliver(standalone_->append(message), message);
    return true;
}

bool Session::streamCurrent(std::uint64_t generation) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return generation == streamGeneration_ && !closed_;
}

void Session::post(std::string message) {
    std::shared_ptr<StreamSink> sink;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!streamAttached_ || closed_) return;
        sink = sink_;
        if (!sink) {
            if (outbox_.size() >= kMaxQueued) return;
            outbox_.push_back(std::move(message));
        }
    }
    if (!sink) {
        wake_.notify_all();
        return;
    }
    // Kept with its id before it is sent, so a message lost with the connection is replayed
    // to the client that resumes.
    std::lock_guard<std::mutex> order(deliverMutex_);
    sink->deliver(standalone_->append(message), message);
}

std::optional<std::string> Session::nextMessage(std::chrono::milliseconds timeout) {
    std::uint64_t generation;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        generation = streamGeneration_;
    }
    return nextMessage(timeout, generation);
}

std::optional<std::string> Session::nextMessage(std::chrono::milliseconds timeout, std::uint64_t generation) {
    std::unique_lock<std::mutex> lock(mutex_);
    auto stop = [&] { return closed_ || generation != streamGeneration_; };
    wake_.wait_for(lock, timeout, [&] { return stop() || !outbox_.empty(); });
    if (stop() || outbox_.empty()) return std::nullopt;
    std::string message = std::move(outbox_.front());
    outbox_.pop_front();
    return message;
}

void Session::close() {
    std::deque<std::shared_ptr<EventStream>> streams;
    std::shared_ptr<StreamSink> sink;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        closed_ = true;
        for (auto& [_, flag] : calls_) flag->store(true);  // running calls see a cancellation
        streams = eventStreams_;
        sink = std::move(sink_);
    }
    if (sink) sink->end();
    wake_.notify_all();
    answered_.notify_all();
    for (auto& stream : streams) stream->finish();
    standalone_->finish();
}

void Session::setClientCapabilities(Poco::JSON::Object::Ptr capabilities) {
    std::lock_guard<std::mutex> lock(mutex_);
    capabilities_ = std::move(capabilities);
}

bool Session::clientHasCapability(const std::string& name) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return capabilities_ && capabilities_->has(name) && !capabilities_->isNull(name);
}

void Session::subscribe(const std::string& uri) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (subscriptions_.size() < 1024) subscriptions_.insert(uri);
}

void Session::unsubscribe(const std::string& uri) {
    std::lock_guard<std::mutex> lock(mutex_);
    subscriptions_.erase(uri);
}

bool Session::subscribed(const std::string& uri) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return subscriptions_.count(uri) > 0;
}

bool Session::busy() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return streamAttached_ || !calls_.empty();
}

std::shared_ptr<std::atomic<bool>> Session::beginCall(const std::string& idKey) {
    auto flag = std::make_shared<std::atomic<bool>>(false);
    std::lock_guard<std::mutex> lock(mutex_);
    calls_[idKey] = flag;
    return flag;
}

void Session::endCall(const std::string& idKey) {
    std::lock_guard<std::mutex> lock(mutex_);
    calls_.erase(idKey);
}

void Session::cancelCall(const std::string& idKey) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = calls_.find(idKey);
        if (it == calls_.end()) return;
        it->second->store(true);
    }
    answered_.notify_all();  // a call waiting for the client's input stops waiting
}

std::string Session::newOutgoingId() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string id = "mcph-" + std::to_string(nextOutgoing_++);
    outgoing_[id];  // registered before it is sent, so an early answer is kept
    return id;
}

std::optional<Message> Session::awaitResponse(const std::string& id, const std::atomic<bool>& cancelled,
                                              std::chrono::steady_clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mutex_);
    answered_.wait_until(lock, deadline, [&] {
        auto it = outgoing_.find(id);
        return closed_ || cancelled.load() || (it != outgoing_.end() && it->second.has_value());
    });
    std::optional<Message> out;
    auto it = outgoing_.find(id);
    if (it != outgoing_.end()) {
        out = std::move(it->second);
        outgoing_.erase(it);
    }
    return out;
}

bool Session::deliverResponse(const std::string& id, Message response) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = outgoing_.find(id);
        if (it == outgoing_.end() || it->second) return false;
        it->second = std::move(response);
    }
    answered_.notify_all();
    return true;
}

std::shared_ptr<EventStream> Session::openEventStream() {
    std::lock_guard<std::mutex> lock(mutex_);
    auto stream = std::make_shared<EventStream>("p" + std::to_string(nextStream_++));
    eventStreams_.push_back(stream);
    if (eventStreams_.size() > 64) eventStreams_.pop_front();  // old streams can no longer be resumed
    return stream;
}

std::shared_ptr<EventStream> Session::findEventStream(const std::string& id) const {
    if (id == standalone_->id()) return standalone_;
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& stream : eventStreams_) {
        if (stream->id() == id) return stream;
    }
    return nullptr;
}

bool Session::closed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return closed_;
}

}  // namespace mcph::mcp
