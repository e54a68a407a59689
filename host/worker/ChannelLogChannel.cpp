#include "ChannelLogChannel.h"

#include <Poco/Message.h>

#include "pluginhost/isolation/FrameChannel.h"

namespace mcph::pluginhost::isolation {

void ChannelLogChannel::log(const Poco::Message& message) {
    Poco::JSON::Object::Ptr frame = new Poco::JSON::Object;
    frame->set("op", "hostlog");
    frame->set("priority", static_cast<int>(message.getPriority()));
    frame->set("text", message.getText());
    channel_.send(frame);
}

}  // namespace mcph::pluginhost::isolation
