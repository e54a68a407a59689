#pragma once
// Times one MCP request for mcp_server_operation_duration_seconds and, for tools/call, counts
// the call against its plugin; also notes the method and tool for the access log. Created just
// before the dispatcher runs; whatever way the request ends, the record is written once, when
// the object goes out of scope. Label values stay bounded: an unknown method or tool is
// recorded as "_OTHER", never as the client's text.
#include <Poco/JSON/Object.h>

#include <chrono>
#include <functional>
#include <string>

#include "mcp/JsonRpc.h"
#include "ops/HostMetrics.h"

namespace mcph::http {

// The plugin that serves a tool, or "" when no loaded plugin does.
using PluginOfTool = std::function<std::string(const std::string& tool)>;

class OperationRecord {
  public:
    OperationRecord(ops::HostMetrics* metrics, const PluginOfTool& pluginOfTool,
                    const mcp::Message& request);
    ~OperationRecord();
    OperationRecord(const OperationRecord&) = delete;
    OperationRecord& operator=(const OperationRecord&) = delete;

    // The call's result: a tools/call result with isError true counts as "tool_error".
    void result(const Poco::JSON::Object::Ptr& result);
    // A JSON-RPC error (its code is the error type), or another failure ("insufficient_scope").
    void error(int rpcCode);
    void error(const std::string& errorType) { errorType_ = errorType; }

  private:
    ops::HostMetrics* metrics_;
    std::string method_;
    std::string tool_;
    std::string plugin_;
    std::string errorType_;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace mcph::http
