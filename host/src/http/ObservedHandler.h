#pragma once
// Around every request of the public listener (Router::setWrapper): counts it in flight (the
// drain waits for that count), times it into http_server_request_duration_seconds by route
// pattern, and writes its access-log line. While draining, the answer closes its connection.
#include <Poco/Net/HTTPRequestHandler.h>

#include <memory>
#include <string>

#include "ops/AccessLog.h"
#include "ops/HostMetrics.h"
#include "ops/ServingState.h"

namespace mcph::http {

struct ObservedServices {
    ops::HostMetrics& metrics;
    const ops::AccessLog& accessLog;
    const ops::ServingState& state;
};

class ObservedHandler final : public Poco::Net::HTTPRequestHandler {
  public:
    ObservedHandler(std::unique_ptr<Poco::Net::HTTPRequestHandler> inner, std::string route,
                    const ObservedServices& services)
        : inner_(std::move(inner)), route_(std::move(route)), s_(services) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override;

  private:
    std::unique_ptr<Poco::Net::HTTPRequestHandler> inner_;
    std::string route_;
    const ObservedServices& s_;
};

}  // namespace mcph::http
