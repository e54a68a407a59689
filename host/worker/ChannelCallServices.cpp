#include "ChannelCallServices.h"

#include "pluginhost/isolation/FrameChannel.h"

namespace mcph::pluginhost::isolation {
namespace {

Poco::JSON::Object::Ptr frameFor(const char* op, std::int64_t id) {
    Poco::JSON::Object::Ptr frame = new Poco::JSON::Object;
    frame->set("op", op);
    frame->set("id", id);
    return frame;
}

}  // namespace

void ChannelCallServices::progress(double progress, std::optional<double> total,
                                   const std::string& message) {
    auto frame = frameFor("progress", id_);
    frame->set("progress", progress);
    if (total) frame->set("total", *total);
    frame->set("message", message);
    channel_.send(frame);
}

void ChannelCallServices::log(const std::string& level, const std::string& logger,
                              const Poco::Dynamic::Var& data) {
    auto frame = frameFor("log", id_);
    frame->set("level", level);
    frame->set("logger", logger);
    frame->set("data", data);
    channel_.send(frame);
}

InputAnswer ChannelCallServices::requestInput(const std::string& key, const std::string& method,
                                              const Poco::JSON::Object::Ptr& params) {
    std::int64_t seq;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        seq = ++nextSeq_;
    }
    auto frame = frameFor("input", id_);
    frame->set("seq", seq);
    frame->set("key", key);
    frame->set("method", method);
    frame->set("params", params);
    InputAnswer none;
    none.status = MCPH_ERR_CANCELLED;
    if (!channel_.send(frame)) return none;
    std::unique_lock<std::mutex> lock(mutex_);
    answered_.wait(lock, [&] { return answers_.count(seq) || cancelled_; });
    auto it = answers_.find(seq);
    if (it == answers_.end()) return none;
    InputAnswer got = std::move(it->second);
    answers_.erase(it);
    return got;
}

void ChannelCallServices::cancel() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        cancelled_ = true;
    }
    answered_.notify_all();
}

void ChannelCallServices::answer(std::int64_t seq, InputAnswer answer) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (seq <= 0 || seq > nextSeq_) return;
        answers_[seq] = std::move(answer);
    }
    answered_.notify_all();
}

}  // namespace mcph::pluginhost::isolation
