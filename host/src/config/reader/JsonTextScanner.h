#pragma once

#include <optional>
#include <string>
#include <vector>

namespace mcph::config {

/// A position in the scanned text, 1-based; columns count characters, not bytes.
struct TextPosition {
    int line = 1;
    int column = 1;
};

/// Prepares a hand-written config file for Poco::JSON::Parser.
///
/// Why not Parser::setAllowComments(true)? In Poco 1.11 it rejects `//` line comments, and
/// Poco's syntax errors carry no line or column. This scanner checks the JSON grammar itself
/// (RFC 8259 plus `//` and `/* */` comments), so a syntax error is reported with its position,
/// and hands Poco the same text with every comment blanked out (newlines kept). It also finds
/// duplicate keys, which Poco would silently resolve to the last one, and caps nesting depth,
/// so that Poco's recursive parser never sees deep input.
class JsonTextScanner {
  public:
    struct DuplicateKey {
        std::string keyPath;  ///< e.g. "server.port"
        TextPosition position;
    };
    struct Result {
        std::string strictJson;  ///< valid when !error
        std::optional<std::string> error;
        TextPosition errorPosition;
        std::vector<DuplicateKey> duplicateKeys;
    };

    static constexpr int maxDepth = 64;

    static Result scan(const std::string& text);

  private:
    explicit JsonTextScanner(const std::string& text);

    void run();
    void value(int depth);
    void object(int depth);
    void array(int depth);
    std::string string();  ///< returns the raw text between the quotes
    void utf8Sequence();
    void number();
    void literal(const char* word);
    void skipSpaceAndComments();
    bool atEnd() const { return pos_ >= text_.size(); }
    char peek() const { return text_[pos_]; }
    void advance();
    void blankAndAdvance();
    void expect(char c, const char* what);
    [[noreturn]] void fail(const std::string& message);
    [[noreturn]] void failUnexpected(const char* expected);
    std::string currentPath() const;

    const std::string& text_;
    std::size_t pos_ = 0;
    TextPosition here_;
    Result result_;
    std::vector<std::string> path_;
};

}  // namespace mcph::config
