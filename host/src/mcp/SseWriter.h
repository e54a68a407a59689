#pragma once
// Writes a Server-Sent Events stream on an HTTP response: headers once, then events, each
// flushed at once so the client sees it immediately.
#include <Poco/Net/HTTPServerResponse.h>

#include <string>

namespace mcph::mcp {

class SseWriter {
public:
    explicit SseWriter(Poco::Net::HTTPServerResponse& response);
    // One `message` event carrying one JSON-RPC message (which serializes without newlines).
    void event(const std::string& data);
    // A comment line: ignored by clients, keeps the connection alive.
    void comment(const std::string& text);

private:
    std::ostream& out_;
};

}  // namespace mcph::mcp
