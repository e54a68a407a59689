#pragma once
// Writes a Server-Sent Events stream on an HTTP response: headers once, then events, each
// flushed at once so the client sees it immediately.
#include <Poco/Net/HTTPServerResponse.h>

#include <string>

namespace mcph::http {

class SseWriter {
public:
    explicit SseWriter(Poco::Net::HTTPServerResponse& response);
    // One `message` event carrying one JSON-RPC message (which serializes without newlines).
    void event(const std::string& data);
    // An event with an id, for streams a client may resume (SEP-1699).
    void event(const std::string& id, const std::string& data);
    // The priming event: an id and empty data, plus how long a client waits before it
    // reconnects after the server closed the stream.
    void priming(const std::string& id, int retryMs);
    // A comment line: ignored by clients, keeps the connection alive.
    void comment(const std::string& text);

    // The text of one `message` event with an id, as event() writes it (for writers that frame
    // it themselves: the stream event loop).
    static std::string eventText(const std::string& id, const std::string& data);

private:
    std::ostream& out_;
};

}  // namespace mcph::http
