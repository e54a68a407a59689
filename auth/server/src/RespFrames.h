#pragma once
// Internal to RedisGrantChanges: RESP2 frames read from a byte stream that arrives in pieces.
// Written here rather than taken from Poco::Redis because Poco's client cannot wait with a
// timeout (a receive timeout leaves its stream broken, reported as a lost connection) and cannot
// be woken, and a subscriber must do both: notice stop() and a Redis that went silent. Only what
// a subscription receives is read: arrays of bulk strings and integers, simple strings, errors;
// sizes are bounded, anything else is a protocol error.
#include <cstddef>
#include <string>
#include <vector>

namespace mcph::auth::server::resp {

struct Value {
    char type = 0;     // '+' simple string, '-' error, ':' integer, '$' bulk string, '*' array
    std::string text;  // '+', '-', '$' (and ':' as written)
    bool null = false; // "$-1" or "*-1"
    std::vector<Value> items;  // '*'
};

enum class Parse { Incomplete, Frame, Invalid };

class FrameReader {
  public:
    void append(const char* data, std::size_t size) { buffer_.append(data, size); }
    // The next complete frame into `out` (consumed), or Incomplete (nothing consumed), or Invalid.
    Parse next(Value& out);
    std::size_t buffered() const { return buffer_.size(); }

  private:
    Parse parseAt(std::size_t& pos, Value& out, int depth) const;

    std::string buffer_;
};

// A command as RESP2 sends it: an array of bulk strings.
std::string command(const std::vector<std::string>& words);

}  // namespace mcph::auth::server::resp
