#include "http/Router.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <memory>

#include "http/FramedHandler.h"
#include "http/HttpUtil.h"
#include "http/RequestFraming.h"

namespace mcph::http {
namespace {

class NotFoundHandler final : public Poco::Net::HTTPRequestHandler {
public:
    void handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) override {
        sendJson(response, Poco::Net::HTTPResponse::HTTP_NOT_FOUND, R"({"error":"not_found"})");
    }
};

}  // namespace

Router& Router::addPath(const std::string& path, Creator create) {
    rules_.push_back({path, std::move(create)});
    return *this;
}

std::vector<std::string> Router::paths() const {
    std::vector<std::string> out;
    out.reserve(rules_.size());
    for (const auto& rule : rules_) out.push_back(rule.path);
    return out;
}

std::string Router::pathOf(const Poco::Net::HTTPServerRequest& request) {
    const std::string& uri = request.getURI();
    return uri.substr(0, uri.find_first_of("?#"));
}

Poco::Net::HTTPRequestHandler* Router::route(const Poco::Net::HTTPServerRequest& request,
                                             std::string& matched) const {
    const std::string path = pathOf(request);
    for (const auto& rule : rules_) {
        if (rule.path == path) {
            matched = rule.path;
            return rule.create();
        }
    }
    matched = "(not found)";
    return new NotFoundHandler;
}

Poco::Net::HTTPRequestHandler* Router::frame(const Poco::Net::HTTPServerRequest& request,
                                             std::string& matched) {
    RequestFraming framing = RequestFraming::of(request);
    if (framing.refused()) {
        matched = "(refused)";
        return new FramingRefusal(std::move(framing));
    }
    std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(route(request, matched));
    if (!FramedHandler::needed(request, framing)) return handler.release();
    return new FramedHandler(std::move(handler), std::move(framing), maxBodyBytes_);
}

Poco::Net::HTTPRequestHandler* Router::createRequestHandler(const Poco::Net::HTTPServerRequest& request) {
    std::string matched;
    std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(frame(request, matched));
    if (!wrap_) return handler.release();
    return wrap_(std::move(handler), matched);
}

}  // namespace mcph::http
