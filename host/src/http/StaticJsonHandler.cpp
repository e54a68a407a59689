#include "http/StaticJsonHandler.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "http/HttpUtil.h"

namespace mcph::http {

void StaticJsonHandler::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    // Public metadata: browser-based clients (the MCP Inspector) read it from another origin.
    response.set("Access-Control-Allow-Origin", "*");
    if (request.getMethod() == "OPTIONS") {
        response.set("Access-Control-Allow-Methods", "GET, OPTIONS");
        response.set("Access-Control-Allow-Headers", "mcp-protocol-version");
        response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
        response.send();
        return;
    }
    if (request.getMethod() != "GET" && request.getMethod() != "HEAD") {
        response.set("Allow", "GET, OPTIONS");
        sendJson(response, Poco::Net::HTTPResponse::HTTP_METHOD_NOT_ALLOWED, R"({"error":"method_not_allowed"})");
        return;
    }
    response.set("Cache-Control", "public, max-age=300");
    sendJson(response, Poco::Net::HTTPResponse::HTTP_OK, body_);
}

}  // namespace mcph::http
