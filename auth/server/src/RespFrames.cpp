#include "RespFrames.h"

#include <cstdlib>

namespace mcph::auth::server::resp {
namespace {

constexpr std::size_t kMaxLine = 512;
constexpr long long kMaxBulk = 64 * 1024;
constexpr long long kMaxItems = 16;
constexpr int kMaxDepth = 2;
constexpr std::size_t kMaxBuffered = 1 << 20;

// The line at `pos` (without CRLF) and where the next begins; false when it is not all here.
bool lineAt(const std::string& b, std::size_t pos, std::string& line, std::size_t& next,
            bool& invalid) {
    const std::size_t end = b.find("\r\n", pos);
    if (end == std::string::npos) {
        invalid = b.size() - pos > kMaxLine;
        return false;
    }
    if (end - pos > kMaxLine) {
        invalid = true;
        return false;
    }
    line = b.substr(pos, end - pos);
    next = end + 2;
    return true;
}

bool number(const std::string& text, long long& out) {
    if (text.empty() || text.size() > 20) return false;
    char* end = nullptr;
    out = std::strtoll(text.c_str(), &end, 10);
    return end == text.c_str() + text.size();
}

}  // namespace

Parse FrameReader::next(Value& out) {
    if (buffer_.size() > kMaxBuffered) return Parse::Invalid;
    std::size_t pos = 0;
    Value value;
    const Parse p = parseAt(pos, value, 0);
    if (p == Parse::Frame) {
        buffer_.erase(0, pos);
        out = std::move(value);
    }
    return p;
}

Parse FrameReader::parseAt(std::size_t& pos, Value& out, int depth) const {
    if (pos >= buffer_.size()) return Parse::Incomplete;
    std::string line;
    std::size_t next = 0;
    bool invalid = false;
    if (!lineAt(buffer_, pos + 1, line, next, invalid))
        return invalid ? Parse::Invalid : Parse::Incomplete;
    out.type = buffer_[pos];
    switch (out.type) {
        case '+':
        case '-':
        case ':':
            out.text = line;
            pos = next;
            return Parse::Frame;
        case '$': {
            long long size = 0;
            if (!number(line, size) || size < -1 || size > kMaxBulk) return Parse::Invalid;
            if (size == -1) {
                out.null = true;
                pos = next;
                return Parse::Frame;
            }
            const std::size_t end = next + std::size_t(size);
            if (buffer_.size() < end + 2) return Parse::Incomplete;
            if (buffer_.compare(end, 2, "\r\n") != 0) return Parse::Invalid;
            out.text = buffer_.substr(next, std::size_t(size));
            pos = end + 2;
            return Parse::Frame;
        }
        case '*': {
            long long count = 0;
            if (depth >= kMaxDepth || !number(line, count) || count < -1 || count > kMaxItems)
                return Parse::Invalid;
            std::size_t at = next;
            if (count == -1) {
                out.null = true;
            } else {
                for (long long i = 0; i < count; ++i) {
                    Value item;
                    const Parse p = parseAt(at, item, depth + 1);
                    if (p != Parse::Frame) return p;
                    out.items.push_back(std::move(item));
                }
            }
            pos = at;
            return Parse::Frame;
        }
        default:
            return Parse::Invalid;
    }
}

std::string command(const std::vector<std::string>& words) {
    std::string out = "*" + std::to_string(words.size()) + "\r\n";
    for (const auto& w : words) out += "$" + std::to_string(w.size()) + "\r\n" + w + "\r\n";
    return out;
}

}  // namespace mcph::auth::server::resp
