#include "mcp/Cursor.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/NumberParser.h>

#include <sstream>

namespace mcph::mcp {
namespace {
constexpr const char* kPrefix = "mcph1:";
constexpr std::size_t kMaxCursorLength = 64;
}  // namespace

std::string encodeCursor(std::size_t offset) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder << kPrefix << offset;
    encoder.close();
    return out.str();
}

std::optional<std::size_t> decodeCursor(const std::string& cursor) {
    if (cursor.empty() || cursor.size() > kMaxCursorLength) return std::nullopt;
    std::string plain;
    try {
        std::istringstream in(cursor);
        Poco::Base64Decoder decoder(in, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
        std::getline(decoder, plain, '\0');
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
    const std::string prefix = kPrefix;
    if (plain.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
    const std::string digits = plain.substr(prefix.size());
    if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return static_cast<std::size_t>(Poco::NumberParser::parseUnsigned64(digits));
}

}  // namespace mcph::mcp
