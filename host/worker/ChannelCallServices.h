#pragma once
// CallServices inside the worker: what the plugin asks of its call (progress, client log
// messages, input requests) goes to the host as frames for that call; cancellation arrives as a
// frame and is read from the flag it sets.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>

#include "pluginhost/CallServices.h"

namespace mcph::pluginhost::isolation {

class FrameChannel;

class ChannelCallServices : public CallServices {
  public:
    ChannelCallServices(FrameChannel& channel, std::int64_t id) : channel_(channel), id_(id) {}

    void progress(double progress, std::optional<double> total,
                  const std::string& message) override;
    void log(const std::string& level, const std::string& logger,
             const Poco::Dynamic::Var& data) override;
    bool cancelled() override { return cancelled_; }
    InputAnswer requestInput(const std::string& key, const std::string& method,
                             const Poco::JSON::Object::Ptr& params) override;

    // From the worker's reader thread.
    void cancel();
    void answer(std::int64_t seq, InputAnswer answer);

  private:
    FrameChannel& channel_;
    const std::int64_t id_;
    std::atomic<bool> cancelled_{false};
    std::mutex mutex_;
    std::condition_variable answered_;
    std::int64_t nextSeq_ = 0;
    std::map<std::int64_t, InputAnswer> answers_;
};

}  // namespace mcph::pluginhost::isolation
