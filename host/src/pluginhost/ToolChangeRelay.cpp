#include "pluginhost/ToolChangeRelay.h"

namespace mcph::pluginhost {

void ToolChangeRelay::connect(ToolChangeSink* sink) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    sink_ = sink;
}

void ToolChangeRelay::disconnect(ToolChangeSink* sink) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    if (sink_ == sink) sink_ = nullptr;
}

mcph_status ToolChangeRelay::addTool(const mcph_host_api* caller, const mcph_tool* tool) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return sink_ ? sink_->addTool(caller, tool) : MCPH_ERR_UNSUPPORTED;
}

mcph_status ToolChangeRelay::removeTool(const mcph_host_api* caller, const std::string& name) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return sink_ ? sink_->removeTool(caller, name) : MCPH_ERR_UNSUPPORTED;
}

}  // namespace mcph::pluginhost
