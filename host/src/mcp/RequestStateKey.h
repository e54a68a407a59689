#pragma once
// The key that signs the 2026-07-28 requestState (InputRequests). One per server, never a
// process global: a random key unless the operator shares one (mcp.requestStateSecret), so a
// retry may reach any instance behind a balancer and states survive restarts.
#include <string>

namespace mcph::mcp {

class RequestStateKey {
  public:
    static RequestStateKey random();
    // Derived from `secret` (at least 32 characters, checked by the config), with a label so the
    // same secret used elsewhere yields another key.
    static RequestStateKey fromSecret(const std::string& secret);

    // HMAC-SHA256 of `payload`, base64url.
    std::string sign(const std::string& payload) const;

  private:
    explicit RequestStateKey(std::string bytes) : bytes_(std::move(bytes)) {}
    std::string bytes_;
};

}  // namespace mcph::mcp
