#include "ops/HostMetrics.h"

#include <algorithm>
#include <array>

namespace mcph::ops {

namespace {

constexpr const char* kOther = "_OTHER";

template <std::size_t N>
std::string bounded(const std::string& value, const std::array<const char*, N>& known) {
    for (const char* k : known) {
        if (value == k) return value;
    }
    return kOther;
}

const std::array<const char*, 9> kHttpMethods = {"GET",   "HEAD",    "POST",  "PUT",    "DELETE",
                                                 "PATCH", "OPTIONS", "TRACE", "CONNECT"};
const std::array<const char*, 6> kAuthOutcomes = {
    "ok", "missing_token", "invalid_token", "invalid_request", "unavailable", "insufficient_scope"};
const std::array<const char*, 3> kGrantTypes = {"authorization_code", "refresh_token",
                                                "client_credentials"};

}  // namespace

HostMetrics::HostMetrics()
    : operationDuration_(registry_.histogram(
          "mcp_server_operation_duration_seconds",
          "MCP request duration as the server sees it (OTel mcp.server.operation.duration).",
          {"mcp_method_name", "gen_ai_tool_name", "error_type"},
          MetricsRegistry::durationBuckets())),
      sessionDuration_(
          registry_
              .histogram("mcp_server_session_duration_seconds",
                         "How long MCP sessions lasted, from initialize to their end "
                         "(OTel mcp.server.session.duration).",
                         {}, {1, 10, 60, 300, 900, 1800, 3600, 7200, 14400, 43200, 86400, 604800})
              .get()),
      httpDuration_(registry_.histogram(
          "http_server_request_duration_seconds",
          "HTTP request duration on the public listener (OTel http.server.request.duration).",
          {"http_request_method", "http_response_status_code", "http_route"},
          MetricsRegistry::durationBuckets())),
      inFlight_(registry_
                    .gauge("mcp_host_http_requests_in_flight",
                           "HTTP requests being served on the public listener.")
                    .get()),
      authOutcomes_(registry_.counter("mcp_host_authentication_outcomes_total",
                                      "Bearer checks at the MCP endpoint, by outcome.",
                                      {"outcome"})),
      signIns_(registry_.counter(
          "mcp_host_sign_ins_total",
          "User sign-ins through the host's authorization server, by outcome.", {"outcome"})),
      consents_(registry_.counter("mcp_host_consents_total",
                                  "Answers on the consent page, by decision.", {"decision"})),
      tokenGrants_(registry_.counter("mcp_host_token_grants_total",
                                     "Token endpoint requests, by grant type and outcome.",
                                     {"grant_type", "outcome"})),
      refreshes_(registry_.counter("mcp_host_token_refreshes_total",
                                   "Refresh token redemptions, by outcome.", {"outcome"})),
      revocations_(registry_.counter("mcp_host_token_revocations_total",
                                     "Token revocation requests answered.")),
      pluginCalls_(
          registry_.counter("mcp_host_plugin_calls_total", "Tool calls, per plugin.", {"plugin"})),
      pluginErrors_(registry_.counter("mcp_host_plugin_errors_total",
                                      "Tool calls that failed (an error result or an RPC error), "
                                      "per plugin.",
                                      {"plugin"})),
      pluginTimeouts_(registry_.counter("mcp_host_plugin_timeouts_total",
                                        "Tool calls cut off by a time limit, per plugin.",
                                        {"plugin"})),
      jwksFetches_(registry_.counter(
          "mcp_host_jwks_fetches_total",
          "Fetches of an authorization server's signing keys, by outcome.", {"outcome"})),
      storeDuration_(registry_
                         .histogram("mcp_host_auth_store_operation_duration_seconds",
                                    "Latency of the authorization server's store operations.", {},
                                    {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                     0.05, 0.1, 0.25, 0.5, 1})
                         .get()) {
    // Series that every deployment has, so dashboards see zeros rather than gaps.
    for (const char* outcome : kAuthOutcomes) authOutcomes_.with({outcome});
    revocations_.get();
}

void HostMetrics::httpRequest(const std::string& method, int status, const std::string& route,
                              double seconds) {
    httpDuration_.with({bounded(method, kHttpMethods), std::to_string(status), route})
        .observe(seconds);
}

void HostMetrics::mcpOperation(const std::string& method, const std::string& tool,
                               const std::string& errorType, double seconds) {
    operationDuration_.with({method, tool, errorType}).observe(seconds);
}

void HostMetrics::pluginCall(const std::string& plugin, bool failed) {
    pluginCalls_.with({plugin}).inc();
    if (failed) pluginErrors_.with({plugin}).inc();
}

void HostMetrics::authOutcome(const std::string& reason) {
    authOutcomes_.with({bounded(reason, kAuthOutcomes)}).inc();
}

void HostMetrics::tokenGrant(const std::string& grantType, const std::string& outcome) {
    tokenGrants_.with({bounded(grantType, kGrantTypes), outcome}).inc();
}

}  // namespace mcph::ops
