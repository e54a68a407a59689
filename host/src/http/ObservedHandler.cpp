#include "http/ObservedHandler.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <chrono>

#include "http/Router.h"
#include "ops/RequestNotes.h"

namespace mcph::http {

void ObservedHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                    Poco::Net::HTTPServerResponse& response) {
    const auto started = std::chrono::steady_clock::now();
    ops::RequestNotes& notes = ops::RequestNotes::current();
    notes.clear();
    ops::Gauge& inFlight = s_.metrics.requestsInFlight();
    inFlight.add(1);
    // Draining: the client sends its next request on a fresh connection, elsewhere.
    if (s_.state.draining()) response.setKeepAlive(false);

    const auto record = [&](int status, std::int64_t bytes) {
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        s_.metrics.httpRequest(request.getMethod(), status, route_, seconds);
        if (s_.accessLog.enabled()) {
            s_.accessLog.write({request.getMethod(), Router::pathOf(request), status,
                                seconds * 1000, bytes, notes.mcpMethod, notes.toolName});
        }
        inFlight.add(-1);
    };
    try {
        inner_->handleRequest(request, response);
    } catch (...) {
        // The server answers 500 when nothing was sent yet.
        record(response.sent() ? static_cast<int>(response.getStatus()) : 500, -1);
        throw;
    }
    // A fixed-length body's size; a streamed (chunked) one is not known here.
    const Poco::Int64 length = request.getMethod() == "HEAD" ? 0 : response.getContentLength64();
    record(static_cast<int>(response.getStatus()), length < 0 ? -1 : length);
}

}  // namespace mcph::http
