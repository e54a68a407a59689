#pragma once
// Maps a request to its handler: an ordered list of rules (predicate + creator); the first match
// wins and a not-found handler closes the list. New endpoints (auth metadata, proxy AS) are new
// rules, nothing else.
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <functional>
#include <string>
#include <vector>

namespace mcph::http {

class Router final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    using Predicate = std::function<bool(const Poco::Net::HTTPServerRequest&)>;
    using Creator = std::function<Poco::Net::HTTPRequestHandler*()>;

    Router& add(Predicate matches, Creator create);
    // Convenience: exact path match (query string ignored).
    Router& addPath(const std::string& path, Creator create);

    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

    // The request path without query or fragment.
    static std::string pathOf(const Poco::Net::HTTPServerRequest& request);

private:
    struct Rule {
        Predicate matches;
        Creator create;
    };
    std::vector<Rule> rules_;
};

}  // namespace mcph::http
