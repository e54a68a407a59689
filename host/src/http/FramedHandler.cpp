#include "http/FramedHandler.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <sstream>

#include "http/HttpUtil.h"

namespace mcph::http {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// The request as the handler should see it when it declares no body: same line and headers, an
// empty stream. Poco (1.11) hands POST, PUT, OPTIONS, … without a length a stream that reads
// until the client closes, so a handler reading it would wait out the receive timeout.
class EmptyBodyRequest final : public HTTPServerRequest {
  public:
    explicit EmptyBodyRequest(HTTPServerRequest& inner) : inner_(inner) {
        static_cast<Poco::Net::MessageHeader&>(*this) = inner;
        setMethod(inner.getMethod());
        setURI(inner.getURI());
        setVersion(inner.getVersion());
    }
    std::istream& stream() override { return empty_; }
    const Poco::Net::SocketAddress& clientAddress() const override {
        return inner_.clientAddress();
    }
    const Poco::Net::SocketAddress& serverAddress() const override {
        return inner_.serverAddress();
    }
    const Poco::Net::HTTPServerParams& serverParams() const override {
        return inner_.serverParams();
    }
    HTTPServerResponse& response() const override { return inner_.response(); }
    bool secure() const override { return inner_.secure(); }

  private:
    HTTPServerRequest& inner_;
    std::istringstream empty_;
};

// Reads what is left of a Content-Length body. False when more than `limit` bytes remain or the
// rest does not arrive (timeout, reset): the connection cannot be reused then.
bool discardRest(std::istream& in, std::size_t limit) {
    try {
        char buf[16384];
        std::size_t total = 0;
        while (in) {
            in.read(buf, sizeof buf);
            const auto n = static_cast<std::size_t>(in.gcount());
            if (n == 0) break;
            total += n;
            if (total > limit) return false;
        }
        return in.eof() && !in.bad();
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

FramedHandler::FramedHandler(std::unique_ptr<Poco::Net::HTTPRequestHandler> inner,
                             RequestFraming framing, std::size_t maxBodyBytes)
    : inner_(std::move(inner)), framing_(std::move(framing)), maxBodyBytes_(maxBodyBytes) {}

bool FramedHandler::needed(const Poco::Net::HTTPRequest& request, const RequestFraming& framing) {
    if (framing.body != RequestFraming::Body::None) return true;
    const std::string& m = request.getMethod();
    return m != "GET" && m != "HEAD" && m != "DELETE";
}

void FramedHandler::handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) {
    switch (framing_.body) {
        case RequestFraming::Body::None: {
            EmptyBodyRequest bodyless(request);
            inner_->handleRequest(bodyless, response);
            return;
        }
        case RequestFraming::Body::Chunked:
            response.setKeepAlive(false);
            inner_->handleRequest(request, response);
            response.setKeepAlive(false);  // whatever the handler set: the connection ends here
            return;
        case RequestFraming::Body::ContentLength: {
            const bool drainable = framing_.length <= maxBodyBytes_;
            if (!drainable) response.setKeepAlive(false);  // say so in the answer already
            inner_->handleRequest(request, response);
            if (!drainable || !discardRest(request.stream(), maxBodyBytes_))
                response.setKeepAlive(false);
            return;
        }
    }
}

void FramingRefusal::handleRequest(HTTPServerRequest&, HTTPServerResponse& response) {
    // Poco copies the request's version into the response; a bogus one must not be echoed.
    response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
    response.setKeepAlive(false);
    response.set("Cache-Control", "no-store");
    const std::string error = framing_.refusal == 501   ? "not_implemented"
                              : framing_.refusal == 505 ? "http_version_not_supported"
                                                        : "bad_request";
    sendJson(response, static_cast<Poco::Net::HTTPResponse::HTTPStatus>(framing_.refusal),
             R"({"error":")" + error + R"(","error_description":")" + framing_.reason + R"("})");
}

}  // namespace mcph::http
