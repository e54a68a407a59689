#pragma once
// The auth libraries' events (auth::AuthEvents) counted in the host's metrics.
#include "mcphost/auth/AuthEvents.h"
#include "ops/HostMetrics.h"

namespace mcph::app {

class AuthMetricsEvents final : public auth::AuthEvents {
  public:
    explicit AuthMetricsEvents(ops::HostMetrics& metrics) : metrics_(metrics) {}

    void signIn(const std::string& outcome) override { metrics_.signIn(outcome); }
    void consent(const std::string& decision) override { metrics_.consent(decision); }
    void tokenGrant(const std::string& grantType, const std::string& outcome) override {
        metrics_.tokenGrant(grantType, outcome);
        if (grantType == "refresh_token") metrics_.refresh(outcome);
    }
    void revocation() override { metrics_.revocation(); }
    void jwksFetch(const std::string& outcome) override { metrics_.jwksFetch(outcome); }
    void storeOperation(double seconds) override { metrics_.storeOperation(seconds); }

  private:
    ops::HostMetrics& metrics_;
};

}  // namespace mcph::app
