#include "ops/JsonLogFormatter.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Message.h>

namespace mcph::ops {

namespace {

const char* levelName(Poco::Message::Priority priority) {
    switch (priority) {
        case Poco::Message::PRIO_FATAL:
            return "fatal";
        case Poco::Message::PRIO_CRITICAL:
            return "critical";
        case Poco::Message::PRIO_ERROR:
            return "error";
        case Poco::Message::PRIO_WARNING:
            return "warning";
        case Poco::Message::PRIO_NOTICE:
            return "notice";
        case Poco::Message::PRIO_INFORMATION:
            return "information";
        case Poco::Message::PRIO_DEBUG:
            return "debug";
        case Poco::Message::PRIO_TRACE:
            return "trace";
    }
    return "information";
}

// A numeric field only when it is a plain decimal number; anything else stays a string.
bool isJsonNumber(const std::string& value) {
    if (value.empty()) return false;
    bool digit = false;
    bool dot = false;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (c >= '0' && c <= '9') {
            digit = true;
        } else if (c == '.' && digit && !dot) {
            dot = true;
        } else if (!(c == '-' && i == 0)) {
            return false;
        }
    }
    return digit && value.back() != '.';
}

}  // namespace

std::string JsonLogFormatter::quoted(const std::string& value) {
    static const char* const hex = "0123456789abcdef";
    std::string out = "\"";
    out.reserve(value.size() + 2);
    for (const char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"') {
            out += "\\\"";
        } else if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20 || c == 0x7F) {
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0x0F];
        } else {
            out += ch;
        }
    }
    out += '"';
    return out;
}

void JsonLogFormatter::format(const Poco::Message& msg, std::string& text) {
    text += "{\"time\":\"" +
            Poco::DateTimeFormatter::format(msg.getTime(), "%Y-%m-%dT%H:%M:%S.%iZ") +
            "\",\"level\":\"" + levelName(msg.getPriority()) +
            "\",\"logger\":" + quoted(msg.getSource()) + ",\"message\":" + quoted(msg.getText());
    for (const LogField& field : fields_) {
        if (!msg.has(field.name)) continue;
        const std::string& value = msg.get(field.name);
        text += ",\"" + std::string(field.name) + "\":";
        text += field.numeric && isJsonNumber(value) ? value : quoted(value);
    }
    text += '}';
}

}  // namespace mcph::ops
