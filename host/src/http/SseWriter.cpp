#include "http/SseWriter.h"

#include <Poco/Net/NetException.h>

namespace mcph::http {
namespace {
std::ostream& beginStream(Poco::Net::HTTPServerResponse& response) {
    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType("text/event-stream");
    response.set("Cache-Control", "no-cache");
    response.set("X-Accel-Buffering", "no");  // nginx: don't buffer the stream
    response.setChunkedTransferEncoding(true);
    return response.send();
}

void flushOrThrow(std::ostream& out) {
    out.flush();
    if (!out) throw Poco::Net::NetException("SSE client went away");
}
}  // namespace

SseWriter::SseWriter(Poco::Net::HTTPServerResponse& response) : out_(beginStream(response)) {}

void SseWriter::event(const std::string& data) {
    out_ << "event: message\ndata: " << data << "\n\n";
    flushOrThrow(out_);
}

std::string SseWriter::eventText(const std::string& id, const std::string& data) {
    return "id: " + id + "\nevent: message\ndata: " + data + "\n\n";
}

void SseWriter::event(const std::string& id, const std::string& data) {
    out_ << eventText(id, data);
    flushOrThrow(out_);
}

void SseWriter::priming(const std::string& id, int retryMs) {
    out_ << "id: " << id << "\nretry: " << retryMs << "\ndata: \n\n";
    flushOrThrow(out_);
}

void SseWriter::comment(const std::string& text) {
    out_ << ": " << text << "\n\n";
    flushOrThrow(out_);
}

}  // namespace mcph::http
