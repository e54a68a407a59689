#pragma once
// The host's metrics by name: OpenTelemetry's MCP and HTTP semantic conventions mapped to
// Prometheus naming (mcp.server.operation.duration → mcp_server_operation_duration_seconds,
// attribute dots → underscores), plus the host's own counters under mcp_host_. Every label
// value comes from a bounded set; a value outside it is recorded as "_OTHER" (OTel's spelling).
#include <functional>
#include <string>

#include "ops/MetricsRegistry.h"

namespace mcph::ops {

class HostMetrics {
  public:
    HostMetrics();
    HostMetrics(const HostMetrics&) = delete;
    HostMetrics& operator=(const HostMetrics&) = delete;

    std::string exposition() const { return registry_.exposition(); }
    // A gauge read at scrape time (open sessions, open streams).
    void watch(const std::string& name, const std::string& help, std::function<double()> read) {
        registry_.gaugeFunction(name, help, std::move(read));
    }

    // HTTP, once per request. `route` is the route pattern, never the raw path.
    void httpRequest(const std::string& method, int status, const std::string& route,
                     double seconds);
    Gauge& requestsInFlight() { return inFlight_; }

    // MCP. `tool`: only for tools/call, a tool the host serves (else "_OTHER"); `errorType`:
    // empty on success, the JSON-RPC error code, "tool_error" or "insufficient_scope".
    void mcpOperation(const std::string& method, const std::string& tool,
                      const std::string& errorType, double seconds);
    void sessionEnded(double seconds) { sessionDuration_.observe(seconds); }
    void pluginCall(const std::string& plugin, bool failed);
    void pluginTimeout(const std::string& plugin) { pluginTimeouts_.with({plugin}).inc(); }

    // Authentication at the MCP endpoint: ok, missing_token, invalid_token, invalid_request,
    // unavailable, insufficient_scope.
    void authOutcome(const std::string& reason);
    // The host's own authorization server (proxy providers and local) and key fetches.
    void signIn(const std::string& outcome) { signIns_.with({outcome}).inc(); }
    void consent(const std::string& decision) { consents_.with({decision}).inc(); }
    void tokenGrant(const std::string& grantType, const std::string& outcome);
    void refresh(const std::string& outcome) { refreshes_.with({outcome}).inc(); }
    void revocation() { revocations_.get().inc(); }
    void jwksFetch(const std::string& outcome) { jwksFetches_.with({outcome}).inc(); }
    void storeOperation(double seconds) { storeDuration_.observe(seconds); }

  private:
    MetricsRegistry registry_;
    HistogramFamily& operationDuration_;
    Histogram& sessionDuration_;
    HistogramFamily& httpDuration_;
    Gauge& inFlight_;
    CounterFamily& authOutcomes_;
    CounterFamily& signIns_;
    CounterFamily& consents_;
    CounterFamily& tokenGrants_;
    CounterFamily& refreshes_;
    CounterFamily& revocations_;
    CounterFamily& pluginCalls_;
    CounterFamily& pluginErrors_;
    CounterFamily& pluginTimeouts_;
    CounterFamily& jwksFetches_;
    Histogram& storeDuration_;
};

}  // namespace mcph::ops
