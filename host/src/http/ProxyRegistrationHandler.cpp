#include "http/ProxyRegistrationHandler.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "http/HttpUtil.h"

namespace mcph::http {

namespace {

constexpr const char* kAllowedMethods = "POST, OPTIONS";

// Refuses a request whose body was not read. Poco does not skip an unread body, so on a kept-alive
// connection its bytes would be parsed as the next request: read it to the end (bounded), or
// close the connection when it is too large.
void sendError(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
               Poco::Net::HTTPResponse::HTTPStatus status, const std::string& body, std::size_t limit) {
    if (!readBody(request, limit)) response.setKeepAlive(false);
    response.set("Cache-Control", "no-store");
    sendJson(response, status, body);
}

}  // namespace

void ProxyRegistrationHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                             Poco::Net::HTTPServerResponse& response) {
    response.set("Access-Control-Allow-Origin", "*");
    const std::string& method = request.getMethod();
    if (method == "OPTIONS") {
        response.set("Access-Control-Allow-Methods", kAllowedMethods);
        response.set("Access-Control-Allow-Headers", "authorization, content-type, mcp-protocol-version");
        response.set("Access-Control-Max-Age", "600");
        response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
        response.setContentLength(0);
        response.send();
        return;
    }
    if (method != "POST") {
        response.set("Allow", kAllowedMethods);
        sendError(request, response, Poco::Net::HTTPResponse::HTTP_METHOD_NOT_ALLOWED,
                  R"({"error":"invalid_request","error_description":"use POST"})", endpoint_.maxBodyBytes());
        return;
    }
    if (mediaTypeOf(request.getContentType()) != "application/json") {
        sendError(request, response, Poco::Net::HTTPResponse::HTTP_UNSUPPORTED_MEDIA_TYPE,
                  R"({"error":"invalid_client_metadata","error_description":"Content-Type must be application/json"})",
                  endpoint_.maxBodyBytes());
        return;
    }

    const auto body = readBody(request, endpoint_.maxBodyBytes());
    const auto answer = body ? endpoint_.handle(*body, request.clientAddress().host().toString()) : endpoint_.tooLarge();
    for (const auto& [name, value] : answer.headers) response.set(name, value);
    // A refused oversized body was not read to the end: do not reuse the connection.
    if (!body) response.setKeepAlive(false);
    sendJson(response, static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status), answer.body);
}

}  // namespace mcph::http
