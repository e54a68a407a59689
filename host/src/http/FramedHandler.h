#pragma once
// The body rule every route gets from the router, so no handler can forget it: a request body is
// never left on the connection to be parsed as the next request.
//  - Content-Length > 0: after the handler, whatever it did not read is read and discarded (up to
//    the configured limit); a longer body, or one that does not arrive, closes the connection.
//    A body declared larger than the limit is never drained: the answer itself says close.
//  - chunked: the answer closes the connection. Poco's chunked decoder is lenient about what
//    follows the last chunk (trailer lines), so no byte after a chunked body is trusted as a
//    request; MCP clients send Content-Length.
//  - no Content-Length or Transfer-Encoding: the handler sees an empty body (RFC 9112 §6.3),
//    where Poco would otherwise read a POST's "body" until the client closes.
// Requests whose framing is refused (RequestFraming) are answered by FramingRefusal.
#include <Poco/Net/HTTPRequestHandler.h>

#include <cstddef>
#include <memory>

#include "http/RequestFraming.h"

namespace mcph::http {

class FramedHandler final : public Poco::Net::HTTPRequestHandler {
  public:
    FramedHandler(std::unique_ptr<Poco::Net::HTTPRequestHandler> inner, RequestFraming framing,
                  std::size_t maxBodyBytes);

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override;

    // True when Poco's request stream for this framing would not already be empty or bounded,
    // i.e. the router must wrap the handler. GET/HEAD/DELETE without a length already read as
    // empty.
    static bool needed(const Poco::Net::HTTPRequest& request, const RequestFraming& framing);

  private:
    std::unique_ptr<Poco::Net::HTTPRequestHandler> inner_;
    RequestFraming framing_;
    std::size_t maxBodyBytes_;
};

// Answers a request whose framing was refused: the status from RequestFraming, an HTTP/1.1 status
// line whatever version the request claimed, a JSON body, and the connection closed.
class FramingRefusal final : public Poco::Net::HTTPRequestHandler {
  public:
    explicit FramingRefusal(RequestFraming framing) : framing_(std::move(framing)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override;

  private:
    RequestFraming framing_;
};

}  // namespace mcph::http
