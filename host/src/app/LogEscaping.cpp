#include "app/LogEscaping.h"

#include <Poco/Message.h>

#include <algorithm>
#include <stdexcept>

namespace mcph::app {

namespace {

bool isControl(unsigned char c) { return c < 0x20 || c == 0x7F; }

}  // namespace

std::string escapeControlCharacters(const std::string& text) {
    if (std::none_of(text.begin(), text.end(), [](char c) { return isControl(static_cast<unsigned char>(c)); }))
        return text;
    static const char* const hex = "0123456789abcdef";
    std::string out;
    out.reserve(text.size() + 16);
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (!isControl(c)) {
            out += ch;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 0x0F];
        }
    }
    return out;
}

EscapingFormatter::EscapingFormatter(Poco::AutoPtr<Poco::Formatter> inner) : inner_(std::move(inner)) {
    if (!inner_) throw std::invalid_argument("EscapingFormatter needs a formatter to wrap");
}

void EscapingFormatter::format(const Poco::Message& msg, std::string& text) {
    std::string line;
    inner_->format(msg, line);
    text += escapeControlCharacters(line);
}

}  // namespace mcph::app
