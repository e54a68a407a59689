#pragma once
// One line per HTTP request on the logger "mcp-host.access": method, path (never the query,
// which may carry codes or tokens), status, duration, bytes sent, and the MCP method and tool
// when the request was an MCP call. The values also travel as message parameters, so the JSON
// log format writes them as fields of their own.
#include <Poco/Logger.h>

#include <cstdint>
#include <string>
#include <vector>

namespace mcph::ops {

struct AccessRecord {
    std::string method;
    std::string path;  // without query or fragment
    int status = 0;
    double durationMs = 0;
    std::int64_t bytesSent = -1;  // -1: not known (a streamed body)
    std::string mcpMethod;
    std::string toolName;
};

// A message parameter the JSON formatter writes as a field.
struct LogField {
    const char* name;
    bool numeric;
};

class AccessLog {
  public:
    static constexpr const char* kLoggerName = "mcp-host.access";

    explicit AccessLog(bool enabled);
    // Configured on and the logger lets information through: only then is a record built.
    bool enabled() const { return enabled_ && logger_.information(); }

    void write(const AccessRecord& record) const;

    // `GET /mcp 200 1.2ms 345B mcp.method=tools/call tool=echo`
    static std::string textOf(const AccessRecord& record);
    // The parameters write() sets, for the JSON formatter.
    static const std::vector<LogField>& fields();

  private:
    bool enabled_;
    // Looked up once: Logger::get takes a process-wide lock, not something to do per request.
    Poco::Logger& logger_;
};

}  // namespace mcph::ops
