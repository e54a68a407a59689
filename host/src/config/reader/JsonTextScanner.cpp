#include "config/reader/JsonTextScanner.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <set>

#include "config/reader/Diagnostics.h"

namespace mcph::config {

namespace {

/// Thrown inside the scanner to unwind to scan(); never escapes it.
struct ScanError {
    std::string message;
};

bool isDigit(char c) { return c >= '0' && c <= '9'; }

bool isHex(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

std::string describe(char c) {
    if (c > 0x20 && c < 0x7f) {
        return std::string("'") + c + "'";
    }
    return "byte " + hexByte(static_cast<unsigned char>(c));
}

}  // namespace

JsonTextScanner::Result JsonTextScanner::scan(const std::string& text) {
    JsonTextScanner scanner(text);
    try {
        scanner.run();
    } catch (const ScanError& e) {
        scanner.result_.error = e.message;
        scanner.result_.strictJson.clear();
    }
    return std::move(scanner.result_);
}

JsonTextScanner::JsonTextScanner(const std::string& text) : text_(text) {
    result_.strictJson = text;
}

void JsonTextScanner::run() {
    if (text_.compare(0, 3, "\xEF\xBB\xBF") ==
        0) {  // a UTF-8 byte order mark, as some editors write
        result_.strictJson.replace(0, 3, "   ");
        pos_ = 3;
    }
    skipSpaceAndComments();
    if (atEnd()) {
        fail("the file is empty (expected a JSON object)");
    }
    value(0);
    skipSpaceAndComments();
    if (!atEnd()) {
        fail("unexpected " + describe(peek()) + " after the end of the JSON value");
    }
}

void JsonTextScanner::advance() {
    const auto byte = static_cast<unsigned char>(text_[pos_++]);
    if (byte == '\n') {
        ++here_.line;
        here_.column = 1;
    } else if ((byte & 0xC0) != 0x80) {  // UTF-8 continuation bytes share their lead's column
        ++here_.column;
    }
}

void JsonTextScanner::blankAndAdvance() {
    if (text_[pos_] != '\n') {
        result_.strictJson[pos_] = ' ';
    }
    advance();
}

void JsonTextScanner::fail(const std::string& message) {
    result_.errorPosition = here_;
    throw ScanError{message};
}

void JsonTextScanner::failUnexpected(const char* expected) {
    if (atEnd()) {
        fail(std::string("unexpected end of file, expected ") + expected);
    }
    fail("unexpected " + describe(peek()) + ", expected " + expected);
}

void JsonTextScanner::expect(char c, const char* what) {
    if (atEnd() || peek() != c) {
        failUnexpected(what);
    }
    advance();
}

void JsonTextScanner::skipSpaceAndComments() {
    while (!atEnd()) {
        const char c = peek();
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            advance();
        } else if (c == '/' && text_.compare(pos_, 2, "//") == 0) {
            while (!atEnd() && peek() != '\n') {
                blankAndAdvance();
            }
        } else if (c == '/' && text_.compare(pos_, 2, "/*") == 0) {
            const TextPosition start = here_;
            const std::size_t close = text_.find("*/", pos_ + 2);
            if (close == std::string::npos) {
                here_ = start;
                fail("unterminated /* comment");
            }
            while (pos_ < close + 2) {
                blankAndAdvance();
            }
        } else {
            return;
        }
    }
}

void JsonTextScanner::value(int depth) {
    if (atEnd()) {
        failUnexpected("a value");
    }
    switch (peek()) {
        case '{':
            object(depth + 1);
            return;
        case '[':
            array(depth + 1);
            return;
        case '"':
            string();
            return;
        case 't':
            literal("true");
            return;
        case 'f':
            literal("false");
            return;
        case 'n':
            literal("null");
            return;
        default:
            if (peek() == '-' || isDigit(peek())) {
                number();
                return;
            }
            failUnexpected("a value (strings need double quotes)");
    }
}

void JsonTextScanner::object(int depth) {
    if (depth > maxDepth) {
        fail("nesting deeper than " + std::to_string(maxDepth) + " levels");
    }
    advance();  // '{'
    std::set<std::string> seen;
    skipSpaceAndComments();
    if (!atEnd() && peek() == '}') {
        advance();
        return;
    }
    for (;;) {
        skipSpaceAndComments();
        if (!atEnd() && peek() == '}') {
            fail("trailing comma before '}'");
        }
        if (atEnd() || peek() != '"') {
            failUnexpected("a key in double quotes");
        }
        const TextPosition keyPosition = here_;
        const std::string key = string();
        path_.push_back(key);
        if (!seen.insert(key).second) {
            result_.duplicateKeys.push_back({currentPath(), keyPosition});
        }
        skipSpaceAndComments();
        expect(':', "':' after the key");
        skipSpaceAndComments();
        value(depth);
        path_.pop_back();
        skipSpaceAndComments();
        if (!atEnd() && peek() == '}') {
            advance();
            return;
        }
        expect(',', "',' or '}' after an object member");
    }
}

void JsonTextScanner::array(int depth) {
    if (depth > maxDepth) {
        fail("nesting deeper than " + std::to_string(maxDepth) + " levels");
    }
    advance();  // '['
    skipSpaceAndComments();
    if (!atEnd() && peek() == ']') {
        advance();
        return;
    }
    for (std::size_t index = 0;; ++index) {
        skipSpaceAndComments();
        if (!atEnd() && peek() == ']') {
            fail("trailing comma before ']'");
        }
        path_.push_back("[" + std::to_string(index) + "]");
        value(depth);
        path_.pop_back();
        skipSpaceAndComments();
        if (!atEnd() && peek() == ']') {
            advance();
            return;
        }
        expect(',', "',' or ']' after an array element");
    }
}

std::string JsonTextScanner::string() {
    const TextPosition start = here_;
    advance();  // opening quote
    const std::size_t begin = pos_;
    for (;;) {
        if (atEnd()) {
            here_ = start;
            fail("unterminated string");
        }
        const char c = peek();
        if (c == '"') {
            std::string raw = text_.substr(begin, pos_ - begin);
            advance();
            return raw;
        }
        if (static_cast<unsigned char>(c) < 0x20) {
            fail("control character in a string (write it as an escape such as \\n or \\t)");
        }
        if (static_cast<unsigned char>(c) >= 0x80) {
            utf8Sequence();
            continue;
        }
        advance();
        if (c != '\\') {
            continue;
        }
        if (atEnd()) {
            continue;  // reported as unterminated on the next turn
        }
        const char e = peek();
        if (e == 'u') {
            advance();
            for (int i = 0; i < 4; ++i) {
                if (atEnd() || !isHex(peek())) {
                    fail("\\u must be followed by four hexadecimal digits");
                }
                advance();
            }
        } else if (e != '\0' && std::strchr("\"\\/bfnrt", e) != nullptr) {
            advance();
        } else {
            fail("invalid escape \\" + std::string(1, e) + " in a string");
        }
    }
}

void JsonTextScanner::utf8Sequence() {
    // Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
    const auto byte = [this](std::size_t i) {
        return pos_ + i < text_.size() ? static_cast<unsigned char>(text_[pos_ + i]) : 0u;
    };
    const unsigned lead = byte(0);
    std::size_t length = 0;
    unsigned low = 0x80;
    unsigned high = 0xBF;  // allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        low = lead == 0xE0 ? 0xA0 : 0x80;
        high = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        low = lead == 0xF0 ? 0x90 : 0x80;
        high = lead == 0xF4 ? 0x8F : 0xBF;
    }
    bool valid = length != 0 && byte(1) >= low && byte(1) <= high;
    for (std::size_t i = 2; valid && i < length; ++i) {
        valid = byte(i) >= 0x80 && byte(i) <= 0xBF;
    }
    if (!valid) {
        fail("invalid UTF-8 in a string");
    }
    for (std::size_t i = 0; i < length; ++i) {
        advance();
    }
}

void JsonTextScanner::number() {
    const TextPosition start = here_;
    const std::size_t begin = pos_;
    const bool negative = peek() == '-';
    if (negative) {
        advance();
    }
    if (atEnd() || !isDigit(peek())) {
        failUnexpected("a digit");
    }
    if (peek() == '0') {
        advance();
        if (!atEnd() && isDigit(peek())) {
            fail("numbers must not have leading zeros");
        }
    }
    while (!atEnd() && isDigit(peek())) {
        advance();
    }
    // Poco stores integers as Int64 or UInt64 and throws, position-less, on anything larger.
    const std::size_t digitsBegin = begin + (negative ? 1 : 0);
    const std::string digits = text_.substr(digitsBegin, pos_ - digitsBegin);
    const std::string limit = negative ? "9223372036854775808" : "18446744073709551615";
    const bool integral = atEnd() || (peek() != '.' && peek() != 'e' && peek() != 'E');
    if (integral &&
        (digits.size() > limit.size() || (digits.size() == limit.size() && digits > limit))) {
        here_ = start;
        fail("integer out of range");
    }
    if (!atEnd() && peek() == '.') {
        advance();
        if (atEnd() || !isDigit(peek())) {
            failUnexpected("a digit after '.'");
        }
        while (!atEnd() && isDigit(peek())) {
            advance();
        }
    }
    if (!atEnd() && (peek() == 'e' || peek() == 'E')) {
        advance();
        if (!atEnd() && (peek() == '+' || peek() == '-')) {
            advance();
        }
        if (atEnd() || !isDigit(peek())) {
            failUnexpected("a digit in the exponent");
        }
        while (!atEnd() && isDigit(peek())) {
            advance();
        }
    }
    if (!integral) {
        // Poco refuses, position-less, what overflows a double.
        const std::string literal = text_.substr(begin, pos_ - begin);
        if (std::isinf(std::strtod(literal.c_str(), nullptr))) {
            here_ = start;
            fail("number out of range");
        }
    }
}

void JsonTextScanner::literal(const char* word) {
    const std::size_t length = std::strlen(word);
    if (text_.compare(pos_, length, word) != 0) {
        failUnexpected("a value (strings need double quotes)");
    }
    for (std::size_t i = 0; i < length; ++i) {
        advance();
    }
}

std::string JsonTextScanner::currentPath() const {
    std::string out;
    for (const std::string& segment : path_) {
        if (!out.empty() && (segment.empty() || segment.front() != '[')) {
            out += '.';
        }
        out += segment;
    }
    return out;
}

}  // namespace mcph::config
