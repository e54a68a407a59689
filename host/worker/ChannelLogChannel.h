#pragma once
// The worker's Poco logging channel: every line the plugin writes through the host API's `log`
// (and anything else logged in the worker) goes to the host over the frame channel, where it is
// logged under the plugin's name with the host's own formatting and escaping.
#include <Poco/Channel.h>

namespace mcph::pluginhost::isolation {

class FrameChannel;

class ChannelLogChannel : public Poco::Channel {
  public:
    explicit ChannelLogChannel(FrameChannel& channel) : channel_(channel) {}
    void log(const Poco::Message& message) override;

  private:
    FrameChannel& channel_;
};

}  // namespace mcph::pluginhost::isolation
