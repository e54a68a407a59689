#include "http/OperationRecord.h"

#include "ops/RequestNotes.h"

namespace mcph::http {

namespace {

constexpr const char* kOther = "_OTHER";
// Longer method names are not noted in the access log (they are the client's text).
constexpr std::size_t kMaxNotedMethod = 128;

}  // namespace

OperationRecord::OperationRecord(ops::HostMetrics* metrics, const PluginOfTool& pluginOfTool,
                                 const mcp::Message& request)
    : metrics_(metrics), method_(request.method), started_(std::chrono::steady_clock::now()) {
    if (method_ == "tools/call" && request.params) {
        const std::string name = request.params->optValue<std::string>("name", "");
        plugin_ = pluginOfTool ? pluginOfTool(name) : std::string();
        tool_ = plugin_.empty() ? std::string(kOther) : name;
    }
    ops::RequestNotes& notes = ops::RequestNotes::current();
    if (method_.size() <= kMaxNotedMethod) notes.mcpMethod = method_;
    if (!plugin_.empty()) notes.toolName = tool_;
}

void OperationRecord::result(const Poco::JSON::Object::Ptr& result) {
    if (method_ == "tools/call" && result && result->has("isError") &&
        result->get("isError").isBoolean() && result->getValue<bool>("isError")) {
        errorType_ = "tool_error";
    }
}

void OperationRecord::error(int rpcCode) {
    errorType_ = std::to_string(rpcCode);
    // An unknown method is the client's text: never a label value.
    if (rpcCode == mcp::rpc::kMethodNotFound) method_ = kOther;
}

OperationRecord::~OperationRecord() {
    if (!metrics_) return;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    try {
        metrics_->mcpOperation(method_, tool_, errorType_, seconds);
        if (!plugin_.empty()) metrics_->pluginCall(plugin_, !errorType_.empty());
    } catch (...) {
        // Metrics never fail a request.
    }
}

}  // namespace mcph::http
