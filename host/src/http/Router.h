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
#include <memory>
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

    // Wraps every handler the router hands out (refusals and 404s too), with the route it
    // matched: the path of its rule, "(not found)" or "(refused)". For access logs and metrics.
    using Wrapper = std::function<Poco::Net::HTTPRequestHandler*(
        std::unique_ptr<Poco::Net::HTTPRequestHandler> handler, const std::string& route)>;
    void setWrapper(Wrapper wrap) { wrap_ = std::move(wrap); }

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
    Poco::Net::HTTPRequestHandler* route(const Poco::Net::HTTPServerRequest& request,
                                         std::string& matched) const;
    Poco::Net::HTTPRequestHandler* frame(const Poco::Net::HTTPServerRequest& request,
                                         std::string& matched);

    std::size_t maxBodyBytes_;
    std::vector<Rule> rules_;
    Wrapper wrap_;
};

}  // namespace mcph::http
