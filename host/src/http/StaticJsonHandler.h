#pragma once
// Serves one JSON document fixed at start-up (metadata documents), readable cross-origin.
#include <Poco/Net/HTTPRequestHandler.h>

#include <string>

namespace mcph::http {

class StaticJsonHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit StaticJsonHandler(const std::string& body) : body_(body) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    const std::string& body_;  // owned by the server, outlives every request
};

}  // namespace mcph::http
