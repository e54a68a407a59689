#pragma once

#include <string>
#include <vector>

namespace mcph::config {

/// Collects the errors and warnings of one config load, each as a single line
/// `<source>: <key.path>: <problem>` (or `<source>: <problem>` for whole-file problems).
class Diagnostics {
  public:
    explicit Diagnostics(std::string source);

    void error(const std::string& keyPath, const std::string& problem);
    void warning(const std::string& keyPath, const std::string& problem);
    /// A problem located in the text rather than at a key: `<source>:<line>:<column>: <problem>`.
    void errorAt(int line, int column, const std::string& problem);

    const std::string& source() const { return source_; }
    const std::vector<std::string>& errors() const { return errors_; }
    const std::vector<std::string>& warnings() const { return warnings_; }

  private:
    std::string format(const std::string& keyPath, const std::string& problem) const;

    std::string source_;
    std::vector<std::string> errors_;
    std::vector<std::string> warnings_;
};

/// "0x41" for 'A': two lower-case hex digits.
std::string hexByte(unsigned char byte);

/// `"text"` with quotes, backslashes and control characters escaped, for use in messages.
std::string quotedText(const std::string& text);

}  // namespace mcph::config
