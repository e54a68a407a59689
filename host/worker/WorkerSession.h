#pragma once
// The worker's whole life: load the plugin as the host asks (under the resource limits it
// sends), report it, then run each call on a thread of its own until the host closes the
// channel. The plugin is loaded by the host's own loader and called by its own invoker, so
// it sees exactly the C ABI it would see in-process.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "pluginhost/LoadedPlugin.h"
#include "pluginhost/ResourceUpdateRelay.h"
#include "pluginhost/isolation/FrameChannel.h"

namespace mcph::pluginhost::isolation {

class ChannelCallServices;

class WorkerSession : public ResourceUpdateSink {
  public:
    explicit WorkerSession(int channelFd);
    int run();  // the process's exit status

    void resourceUpdated(const std::string& uri) override;

  private:
    bool load();
    void startCall(const Poco::JSON::Object::Ptr& frame);
    void runCall(std::int64_t id, const Poco::JSON::Object::Ptr& frame,
                 std::shared_ptr<ChannelCallServices> services);
    std::shared_ptr<ChannelCallServices> findCall(const Poco::JSON::Object::Ptr& frame);
    void fail(const std::string& reason);

    FrameChannel channel_;
    ResourceUpdateRelay resourceUpdates_;
    std::unique_ptr<LoadedPlugin> plugin_;
    std::mutex callsMutex_;
    std::map<std::int64_t, std::shared_ptr<ChannelCallServices>> calls_;
};

}  // namespace mcph::pluginhost::isolation
