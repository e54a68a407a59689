// The head of every HTTP request, before any route runs: Poco's request parser
// (Poco::Net::HTTPRequest::read, as the server uses it) and then http::RequestFraming::of, the
// host's own RFC 9112 framing rules (versions, request targets, Host, Content-Length,
// Transfer-Encoding) that keep a body from being read as the next request.
//
// Poco refuses a malformed head with a Poco::Net::NetException (MessageException,
// NoMessageException), which the server answers with 400 or by closing: that is caught.
// RequestFraming::of documents no exception (a refusal is a status), so nothing else is.
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/NetException.h>
#include <Poco/String.h>

#include <sstream>

#include "FuzzSupport.h"
#include "http/RequestFraming.h"

using mcph::fuzz::fuzzFail;
using mcph::http::RequestFraming;

namespace {
constexpr const char* kTarget = "http_framing";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream in(mcph::fuzz::bytes(data, size));
    Poco::Net::HTTPRequest request;
    try {
        request.read(in);
    } catch (const Poco::Net::NetException&) {
        return 0;  // Poco's own refusal of the request head
    }
    const RequestFraming framing = RequestFraming::of(request);
    if (framing.refused()) {
        if (framing.refusal != 400 && framing.refusal != 501 && framing.refusal != 505)
            fuzzFail(kTarget, "refused with status " + std::to_string(framing.refusal));
        if (framing.reason.empty()) fuzzFail(kTarget, "a refusal without a reason");
        return 0;
    }
    switch (framing.body) {
        case RequestFraming::Body::None:
            if (framing.length != 0) fuzzFail(kTarget, "no body but a length");
            if (request.has("Transfer-Encoding")) fuzzFail(kTarget, "no body despite Transfer-Encoding");
            break;
        case RequestFraming::Body::ContentLength:
            if (framing.length == 0) fuzzFail(kTarget, "a Content-Length body of length 0");
            if (request.has("Transfer-Encoding")) fuzzFail(kTarget, "Content-Length framing despite Transfer-Encoding");
            if (framing.length != std::stoull(Poco::trim(request.get("Content-Length"))))
                fuzzFail(kTarget, "the framed length is not the Content-Length");
            break;
        case RequestFraming::Body::Chunked:
            if (request.getVersion() != Poco::Net::HTTPMessage::HTTP_1_1) fuzzFail(kTarget, "chunked outside HTTP/1.1");
            if (request.has("Content-Length")) fuzzFail(kTarget, "chunked framing despite Content-Length");
            break;
    }
    return 0;
}
