#include "http/ProxyRegistrationHandler.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "http/HttpUtil.h"

namespace mcph::http {

namespace {

constexpr const char* kAllowedMethods = "POST, OPTIONS";

// A refusal before the body is read; the router discards the unread body (http/FramedHandler.h).
void sendError(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
               const std::string& body) {
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
        sendError(response, Poco::Net::HTTPResponse::HTTP_METHOD_NOT_ALLOWED,
                  R"({"error":"invalid_request","error_description":"use POST"})");
        return;
    }
    if (mediaTypeOf(request.getContentType()) != "application/json") {
        sendError(response, Poco::Net::HTTPResponse::HTTP_UNSUPPORTED_MEDIA_TYPE,
                  R"({"error":"invalid_client_metadata","error_description":"Content-Type must be application/json"})");
        return;
    }

    const auto body = readBody(request, endpoint_.maxBodyBytes());
    const auto answer = body ? endpoint_.handle(*body, request.clientAddress().host().toString()) : endpoint_.tooLarge();
    for (const auto& [name, value] : answer.headers) response.set(name, value);
    sendJson(response, static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status), answer.body);
}

}  // namespace mcph::http
