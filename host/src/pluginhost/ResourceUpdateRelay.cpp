#include "pluginhost/ResourceUpdateRelay.h"

namespace mcph::pluginhost {

void ResourceUpdateRelay::connect(ResourceUpdateSink* sink) {
    std::lock_guard<std::mutex> lock(mutex_);
    sink_ = sink;
}

void ResourceUpdateRelay::disconnect(ResourceUpdateSink* sink) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (sink_ == sink) sink_ = nullptr;
}

void ResourceUpdateRelay::publish(const std::string& uri) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (sink_) sink_->resourceUpdated(uri);
}

}  // namespace mcph::pluginhost
