#include "ops/AccessLog.h"

#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <cstdio>

namespace mcph::ops {

namespace {

// A path is the client's text: long ones are cut so one request cannot flood the log.
constexpr std::size_t kMaxLoggedPath = 512;

std::string shownPath(const std::string& path) {
    if (path.size() <= kMaxLoggedPath) return path;
    return path.substr(0, kMaxLoggedPath) + "...";
}

std::string millis(double ms) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", ms);
    return buffer;
}

}  // namespace

const std::vector<LogField>& AccessLog::fields() {
    static const std::vector<LogField> names = {
        {"http.request.method", false},      {"url.path", false},
        {"http.response.status_code", true}, {"duration_ms", true},
        {"http.response.body.size", true},   {"mcp.method.name", false},
        {"gen_ai.tool.name", false}};
    return names;
}

std::string AccessLog::textOf(const AccessRecord& r) {
    std::string text = r.method + " " + shownPath(r.path) + " " + std::to_string(r.status) + " " +
                       millis(r.durationMs) + "ms " +
                       (r.bytesSent >= 0 ? std::to_string(r.bytesSent) + "B" : std::string("-"));
    if (!r.mcpMethod.empty()) text += " mcp.method=" + r.mcpMethod;
    if (!r.toolName.empty()) text += " tool=" + r.toolName;
    return text;
}

AccessLog::AccessLog(bool enabled) : enabled_(enabled), logger_(Poco::Logger::get(kLoggerName)) {}

void AccessLog::write(const AccessRecord& r) const {
    if (!enabled()) return;
    Poco::Logger& logger = logger_;
    Poco::Message message(kLoggerName, textOf(r), Poco::Message::PRIO_INFORMATION);
    message.set("http.request.method", r.method);
    message.set("url.path", shownPath(r.path));
    message.set("http.response.status_code", std::to_string(r.status));
    message.set("duration_ms", millis(r.durationMs));
    if (r.bytesSent >= 0) message.set("http.response.body.size", std::to_string(r.bytesSent));
    if (!r.mcpMethod.empty()) message.set("mcp.method.name", r.mcpMethod);
    if (!r.toolName.empty()) message.set("gen_ai.tool.name", r.toolName);
    logger.log(message);
}

}  // namespace mcph::ops
