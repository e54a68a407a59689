#pragma once
// HTTP/1.1 over a raw socket, for tests that must send bytes no well-behaved client would (bogus
// request lines, smuggled bodies) and see exactly what comes back, response by response.
#include <Poco/Net/StreamSocket.h>

#include <map>
#include <optional>
#include <string>

namespace mcph::testing {

struct RawResponse {
    std::string statusLine;  // e.g. "HTTP/1.1 404 Not Found"
    int status = 0;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;

    bool closes() const;  // the response says Connection: close
};

class RawHttpConnection {
  public:
    explicit RawHttpConnection(unsigned short port);

    void send(const std::string& bytes);
    // The next response (interim 1xx skipped); nullopt when the server closed the connection
    // before sending one byte of it. Throws on a malformed response or a receive timeout.
    std::optional<RawResponse> next(bool headRequest = false);
    // True when the server has closed its side (reads end); false if it sends anything instead.
    bool closedByServer();

  private:
    bool fill();  // reads more into buffer_; false at end of stream
    std::string takeLine();

    Poco::Net::StreamSocket socket_;
    std::string buffer_;
};

}  // namespace mcph::testing
