#include "http/HealthHandler.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "http/HttpUtil.h"

namespace mcph::http {

void HealthHandler::handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) {
    if (stopping_.load()) {
        sendJson(response, Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE, R"({"status":"stopping"})");
    } else {
        sendJson(response, Poco::Net::HTTPResponse::HTTP_OK, R"({"status":"ok"})");
    }
}

}  // namespace mcph::http
