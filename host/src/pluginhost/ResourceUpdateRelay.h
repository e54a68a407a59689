#pragma once
// Carries notifications/resources/updated from any plugin (any thread) to the one sink the
// server connects (its session registry). One relay per set of loaded plugins, shared by their
// host API blocks, never a process global: two servers in one process (the tests) each get
// their own plugins' updates.
#include <mutex>
#include <string>

#include "pluginhost/CallServices.h"

namespace mcph::pluginhost {

class ResourceUpdateRelay {
  public:
    // Updates go to `sink` from now on; none (the default) drops them.
    void connect(ResourceUpdateSink* sink);
    // Stops delivering to `sink` if it is the one connected; returns once no delivery to it runs.
    void disconnect(ResourceUpdateSink* sink);
    void publish(const std::string& uri);

  private:
    std::mutex mutex_;
    ResourceUpdateSink* sink_ = nullptr;
};

}  // namespace mcph::pluginhost
