#pragma once
// GET /healthz for load balancers: 200 while serving, 503 once shutdown has begun.
#include <Poco/Net/HTTPRequestHandler.h>

#include <atomic>

namespace mcph::http {

class HealthHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit HealthHandler(const std::atomic<bool>& stopping) : stopping_(stopping) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    const std::atomic<bool>& stopping_;
};

}  // namespace mcph::http
