#include "http/Router.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "http/HttpUtil.h"

namespace mcph::http {
namespace {

class NotFoundHandler final : public Poco::Net::HTTPRequestHandler {
public:
    void handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) override {
        sendJson(response, Poco::Net::HTTPResponse::HTTP_NOT_FOUND, R"({"error":"not_found"})");
    }
};

}  // namespace

Router& Router::add(Predicate matches, Creator create) {
    rules_.push_back({std::move(matches), std::move(create)});
    return *this;
}

Router& Router::addPath(const std::string& path, Creator create) {
    return add([path](const Poco::Net::HTTPServerRequest& r) { return pathOf(r) == path; }, std::move(create));
}

std::string Router::pathOf(const Poco::Net::HTTPServerRequest& request) {
    const std::string& uri = request.getURI();
    return uri.substr(0, uri.find_first_of("?#"));
}

Poco::Net::HTTPRequestHandler* Router::createRequestHandler(const Poco::Net::HTTPServerRequest& request) {
    for (const auto& rule : rules_) {
        if (rule.matches(request)) return rule.create();
    }
    return new NotFoundHandler;
}

}  // namespace mcph::http
