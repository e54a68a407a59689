#include "http/RequestFraming.h"

#include <Poco/String.h>

#include <vector>

namespace mcph::http {
namespace {

// RFC 9110 §5.6.2: the characters of a token (method, field name, transfer coding).
bool isTchar(unsigned char c) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    switch (c) {
        case '!':
        case '#':
        case '$':
        case '%':
        case '&':
        case '\'':
        case '*':
        case '+':
        case '-':
        case '.':
        case '^':
        case '_':
        case '`':
        case '|':
        case '~':
            return true;
        default:
            return false;
    }
}

bool isToken(const std::string& s) {
    if (s.empty()) return false;
    for (unsigned char c : s) {
        if (!isTchar(c)) return false;
    }
    return true;
}

// Field values may hold visible characters, spaces and tabs, never other control characters: a
// stray CR is how one field line is made to look like two to a different parser.
bool isFieldValue(const std::string& s) {
    for (unsigned char c : s) {
        if ((c < 0x20 && c != '\t') || c == 0x7F) return false;
    }
    return true;
}

bool isDigits(const std::string& s) {
    if (s.empty() || s.size() > 18) return false;  // 18 digits fit an int64 with room to spare
    for (unsigned char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

// origin-form ("/path?query"), absolute-form ("http://host/path") or, for OPTIONS only, "*".
bool isRequestTarget(const std::string& method, const std::string& target) {
    if (target.empty()) return false;
    for (unsigned char c : target) {
        if (c <= 0x20 || c == 0x7F) return false;
    }
    if (target[0] == '/') return true;
    if (target == "*") return method == "OPTIONS";
    const std::string lower = Poco::toLower(target.substr(0, 8));
    return lower.rfind("http://", 0) == 0 || lower.rfind("https://", 0) == 0;
}

bool isHttpVersionShape(const std::string& v) {
    return v.size() == 8 && v.compare(0, 5, "HTTP/") == 0 && v[5] >= '0' && v[5] <= '9' &&
           v[6] == '.' && v[7] >= '0' && v[7] <= '9';
}

RequestFraming refuse(int status, std::string reason) {
    RequestFraming f;
    f.refusal = status;
    f.reason = std::move(reason);
    return f;
}

}  // namespace

RequestFraming RequestFraming::of(const Poco::Net::HTTPRequest& request) {
    const std::string& version = request.getVersion();
    const bool http11 = version == Poco::Net::HTTPMessage::HTTP_1_1;
    if (!http11 && version != Poco::Net::HTTPMessage::HTTP_1_0) {
        if (isHttpVersionShape(version))
            return refuse(505, "only HTTP/1.0 and HTTP/1.1 are served here");
        return refuse(400, "malformed request line");
    }
    if (!isToken(request.getMethod())) return refuse(400, "malformed request line");
    if (!isRequestTarget(request.getMethod(), request.getURI()))
        return refuse(400, "malformed request target");

    int hosts = 0;
    std::vector<std::string> lengths;
    std::vector<std::string> codings;
    for (const auto& [name, value] : request) {
        if (!isToken(name)) return refuse(400, "malformed header field name");
        if (!isFieldValue(value)) return refuse(400, "control character in a header field");
        if (Poco::icompare(name, "Host") == 0) {
            ++hosts;
        } else if (Poco::icompare(name, "Content-Length") == 0) {
            lengths.push_back(Poco::trim(value));
        } else if (Poco::icompare(name, "Transfer-Encoding") == 0) {
            std::size_t start = 0;
            while (start <= value.size()) {
                const std::size_t comma = std::min(value.find(',', start), value.size());
                std::string coding = Poco::toLower(Poco::trim(value.substr(start, comma - start)));
                if (!coding.empty()) codings.push_back(std::move(coding));
                start = comma + 1;
            }
        }
    }
    // RFC 9112 §3.2: exactly one Host in HTTP/1.1, at most one before it.
    if (hosts > 1 || (http11 && hosts == 0))
        return refuse(400, "a request needs exactly one Host header");

    RequestFraming framing;
    if (!codings.empty() || request.has("Transfer-Encoding")) {
        // §6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing. §6.3: with
        // Content-Length as well it is a smuggling attempt or a broken intermediary.
        if (!http11) return refuse(400, "Transfer-Encoding is not defined in HTTP/1.0");
        if (!lengths.empty()) return refuse(400, "Content-Length and Transfer-Encoding together");
        if (codings.empty() || codings.back() != "chunked")
            return refuse(400, "the last transfer coding must be chunked");
        if (codings.size() != 1)
            return refuse(501, "only the chunked transfer coding is supported");
        framing.body = Body::Chunked;
        return framing;
    }
    if (!lengths.empty()) {
        // §6.3: several Content-Length values, or one that is not a number, leave the length
        // unknown.
        for (const auto& l : lengths) {
            if (!isDigits(l) || l != lengths.front()) return refuse(400, "invalid Content-Length");
        }
        framing.length = std::stoull(lengths.front());
        if (framing.length > 0) framing.body = Body::ContentLength;
    }
    return framing;
}

}  // namespace mcph::http
