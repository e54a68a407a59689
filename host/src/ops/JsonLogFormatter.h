#pragma once
// logging.format "json": every log line one JSON object, for log shippers that parse lines:
// {"time":"2026-01-02T03:04:05.678Z","level":"information","logger":"mcp-host","message":"...",
//  ...fields}. Fields are the message parameters named at construction (the access log's).
// Control characters are \u-escaped, so, as with the text format, no quoted text can start a
// line of its own.
#include <Poco/Formatter.h>

#include <string>
#include <vector>

#include "ops/AccessLog.h"

namespace mcph::ops {

class JsonLogFormatter final : public Poco::Formatter {
  public:
    explicit JsonLogFormatter(std::vector<LogField> fields = AccessLog::fields())
        : fields_(std::move(fields)) {}

    void format(const Poco::Message& msg, std::string& text) override;

    // `value` as a JSON string literal (quotes included).
    static std::string quoted(const std::string& value);

  private:
    std::vector<LogField> fields_;
};

}  // namespace mcph::ops
