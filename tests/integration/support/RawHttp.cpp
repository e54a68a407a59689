#include "support/RawHttp.h"

#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/String.h>

#include <stdexcept>

namespace mcph::testing {

bool RawResponse::closes() const {
    auto it = headers.find("connection");
    return it != headers.end() && Poco::icompare(it->second, "close") == 0;
}

RawHttpConnection::RawHttpConnection(unsigned short port) {
    socket_.connect(Poco::Net::SocketAddress("127.0.0.1", port));
    // Long enough for any answer the host gives at once, short enough that a server waiting for
    // bytes that never come fails the test instead of hanging it.
    socket_.setReceiveTimeout(Poco::Timespan(5, 0));
}

void RawHttpConnection::send(const std::string& bytes) {
    socket_.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
}

bool RawHttpConnection::fill() {
    char buf[8192];
    int n = 0;
    try {
        n = socket_.receiveBytes(buf, sizeof buf);
    } catch (const Poco::Net::ConnectionResetException&) {
        return false;
    }
    if (n <= 0) return false;
    buffer_.append(buf, static_cast<std::size_t>(n));
    return true;
}

std::string RawHttpConnection::takeLine() {
    std::size_t end;
    while ((end = buffer_.find("\r\n")) == std::string::npos) {
        if (!fill())
            throw std::runtime_error("connection closed inside a response head: " + buffer_);
    }
    std::string line = buffer_.substr(0, end);
    buffer_.erase(0, end + 2);
    return line;
}

std::optional<RawResponse> RawHttpConnection::next(bool headRequest) {
    for (;;) {
        if (buffer_.empty() && !fill()) return std::nullopt;
        RawResponse r;
        r.statusLine = takeLine();
        if (r.statusLine.size() < 12 || r.statusLine.compare(0, 5, "HTTP/") != 0 ||
            r.statusLine[8] != ' ') {
            throw std::runtime_error("not a status line: " + r.statusLine);
        }
        r.status = std::stoi(r.statusLine.substr(9, 3));
        for (std::string line = takeLine(); !line.empty(); line = takeLine()) {
            const auto colon = line.find(':');
            if (colon == std::string::npos) throw std::runtime_error("not a header line: " + line);
            r.headers[Poco::toLower(line.substr(0, colon))] = Poco::trim(line.substr(colon + 1));
        }
        if (r.status >= 100 && r.status < 200) continue;  // 100 Continue
        if (headRequest || r.status == 204 || r.status == 304) return r;
        const auto coding = r.headers.find("transfer-encoding");
        const auto length = r.headers.find("content-length");
        if (coding != r.headers.end() && Poco::icompare(coding->second, "chunked") == 0) {
            for (;;) {
                const std::size_t size = std::stoul(takeLine(), nullptr, 16);
                if (size == 0) {
                    while (!takeLine().empty()) {
                    }
                    break;
                }
                while (buffer_.size() < size + 2) {
                    if (!fill()) throw std::runtime_error("connection closed inside a chunk");
                }
                r.body += buffer_.substr(0, size);
                buffer_.erase(0, size + 2);
            }
        } else if (length != r.headers.end()) {
            const std::size_t size = std::stoul(length->second);
            while (buffer_.size() < size) {
                if (!fill()) throw std::runtime_error("connection closed inside a body");
            }
            r.body = buffer_.substr(0, size);
            buffer_.erase(0, size);
        } else {
            while (fill()) {
            }
            r.body.swap(buffer_);
        }
        return r;
    }
}

bool RawHttpConnection::closedByServer() { return buffer_.empty() && !fill(); }

}  // namespace mcph::testing
