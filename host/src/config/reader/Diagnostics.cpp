#include "config/reader/Diagnostics.h"

#include <utility>

namespace mcph::config {

Diagnostics::Diagnostics(std::string source) : source_(std::move(source)) {}

void Diagnostics::error(const std::string& keyPath, const std::string& problem) {
    errors_.push_back(format(keyPath, problem));
}

void Diagnostics::warning(const std::string& keyPath, const std::string& problem) {
    warnings_.push_back(format(keyPath, problem));
}

void Diagnostics::errorAt(int line, int column, const std::string& problem) {
    errors_.push_back(source_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                      problem);
}

std::string Diagnostics::format(const std::string& keyPath, const std::string& problem) const {
    if (keyPath.empty()) {
        return source_ + ": " + problem;
    }
    return source_ + ": " + keyPath + ": " + problem;
}

std::string hexByte(unsigned char byte) {
    static const char digits[] = "0123456789abcdef";
    return std::string("0x") + digits[byte >> 4] + digits[byte & 0x0f];
}

std::string quotedText(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            out += "\\x" + hexByte(static_cast<unsigned char>(c)).substr(2);
        } else {
            out += c;
        }
    }
    return out + "\"";
}

}  // namespace mcph::config
