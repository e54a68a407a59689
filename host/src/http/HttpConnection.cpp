#include "http/HttpConnection.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/NetException.h>
#include <Poco/Timestamp.h>

#include <memory>

namespace mcph::http {

using Poco::Net::HTTPResponse;

HttpConnection::HttpConnection(const Poco::Net::StreamSocket& socket,
                               Poco::Net::HTTPServerParams::Ptr params)
    : params_(std::move(params)), session_(socket, params_), fd_(socket.impl()->sockfd()) {}

HttpConnection::Outcome HttpConnection::serve(Poco::Net::HTTPRequestHandlerFactory& factory,
                                              const std::atomic<bool>& stopping) {
    // Called when the socket is readable. Poco's hasMoreRequests() starts its keep-alive
    // bookkeeping on the first request; after that it would only poll the socket (an epoll set
    // created and closed per call in Poco 1.11) for what the caller already knows.
    if (firstRequest_) {
        firstRequest_ = false;
        if (!session_.hasMoreRequests()) return Outcome::Closed;
    }
    for (;;) {
        bool keepAlive = false;
        try {
            keepAlive = handleOne(factory, stopping.load());
        } catch (const Poco::Net::NoMessageException&) {
            return Outcome::Closed;  // the client closed between requests
        } catch (const Poco::Net::MessageException&) {
            // A request Poco cannot parse: 400, then close (what Poco's own server does).
            sendError(HTTPResponse::HTTP_BAD_REQUEST);
            return Outcome::Closed;
        } catch (const Poco::Exception& e) {
            Poco::Logger::get("mcp-host.http").debug("connection ended: %s", e.displayText());
            return Outcome::Closed;
        } catch (const std::exception& e) {
            Poco::Logger::get("mcp-host.http").error("connection ended: %s", std::string(e.what()));
            return Outcome::Closed;
        }
        if (!session_.socket().impl()->initialized()) return Outcome::Detached;
        if (!keepAlive || stopping.load()) return Outcome::Closed;
        // A pipelined request already read into the buffer is answered now; otherwise the
        // connection waits in the loop, not on this thread.
        if (session_.buffered() > 0) continue;
        return Outcome::Idle;
    }
}

bool HttpConnection::handleOne(Poco::Net::HTTPRequestHandlerFactory& factory, bool stopping) {
    Poco::Net::HTTPServerResponseImpl response(session_);
    Poco::Net::HTTPServerRequestImpl request(response, session_, params_);
    response.setDate(Poco::Timestamp());
    response.setVersion(request.getVersion());
    response.setKeepAlive(params_->getKeepAlive() && request.getKeepAlive() &&
                          session_.canKeepAlive() && !stopping);
    const std::string& server = params_->getSoftwareVersion();
    if (!server.empty()) response.set("Server", server);
    try {
        std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(
            factory.createRequestHandler(request));
        if (!handler) {
            sendError(HTTPResponse::HTTP_NOT_IMPLEMENTED);
            return false;
        }
        if (request.getExpectContinue() && response.getStatus() == HTTPResponse::HTTP_OK) {
            response.sendContinue();
        }
        handler->handleRequest(request, response);
    } catch (const Poco::Exception&) {
        if (!response.sent()) {
            try {
                sendError(HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
            } catch (...) {
            }
        }
        throw;
    }
    if (!session_.socket().impl()->initialized()) return false;  // detached
    const bool keepAlive =
        params_->getKeepAlive() && response.getKeepAlive() && session_.canKeepAlive();
    session_.setKeepAlive(keepAlive);
    return keepAlive;
}

void HttpConnection::sendError(HTTPResponse::HTTPStatus status) {
    Poco::Net::HTTPServerResponseImpl response(session_);
    response.setVersion(HTTPResponse::HTTP_1_1);
    response.setStatusAndReason(status);
    response.setKeepAlive(false);
    response.setContentLength(0);
    response.send();
    session_.setKeepAlive(false);
}

}  // namespace mcph::http
