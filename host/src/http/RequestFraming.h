#pragma once
// How a request's message is framed, checked once for every route before any handler runs
// (RFC 9112 §2–§3, §6). Poco's parser is lenient: it takes any word as the version and echoes it
// into the status line, takes the first of two Content-Length headers, and does not skip a body a
// handler left unread, so the body would be parsed as the next request on a kept-alive
// connection (request smuggling, response-queue poisoning behind a pooling proxy). The router
// refuses what is ambiguous here and applies the body rule in FramedHandler.
#include <Poco/Net/HTTPRequest.h>

#include <cstdint>
#include <string>

namespace mcph::http {

struct RequestFraming {
    enum class Body {
        None,           // no Content-Length and no Transfer-Encoding, or Content-Length: 0
        ContentLength,  // Content-Length > 0: `length` bytes follow
        Chunked,        // Transfer-Encoding: chunked
    };

    // 0 when the request is acceptable; otherwise the status to refuse it with (the connection is
    // then closed): 400 malformed, 501 unknown transfer coding, 505 unsupported HTTP version.
    int refusal = 0;
    std::string reason;  // for the refusal's body; names the rule, never echoes the request
    Body body = Body::None;
    std::uint64_t length = 0;

    bool refused() const { return refusal != 0; }

    static RequestFraming of(const Poco::Net::HTTPRequest& request);
};

}  // namespace mcph::http
