#pragma once
// Maps a request to its handler: an ordered list of exact paths, each with a creator; the first
// match wins and a not-found handler closes the list. New endpoints are new rules, nothing else.
//
// Every request passes RequestFraming first, and the handler the router hands out is wrapped in
// FramedHandler whenever the request carries (or may carry) a body: the framing rules hold for
// every route, present and future, without the handlers knowing.
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace mcph::http {

class Router final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    using Creator = std::function<Poco::Net::HTTPRequestHandler*()>;

    static constexpr std::size_t kDefaultMaxBodyBytes = std::size_t{4} << 20;

    // `maxBodyBytes`: the most of an unread request body drained to keep a connection open.
    explicit Router(std::size_t maxBodyBytes = kDefaultMaxBodyBytes) : maxBodyBytes_(maxBodyBytes) {}

    // Exact path match (query string ignored).
    Router& addPath(const std::string& path, Creator create);

    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

    // The paths served, in rule order.
    std::vector<std::string> paths() const;

    // The request path without query or fragment.
    static std::string pathOf(const Poco::Net::HTTPServerRequest& request);

private:
    struct Rule {
        std::string path;
        Creator create;
    };
    Poco::Net::HTTPRequestHandler* route(const Poco::Net::HTTPServerRequest& request) const;

    std::size_t maxBodyBytes_;
    std::vector<Rule> rules_;
};

}  // namespace mcph::http
