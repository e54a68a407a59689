#pragma once
// SignInBackoff kept in Redis, so every instance sharing it (config `redis`) sees one record per
// account: failures on one instance make the next attempt wait on all of them, and a success on
// any clears it everywhere. The same rules exactly (SignInBackoff.h): the first `freeFailures`
// cost nothing, then each further one doubles the wait from `firstWait` up to `maxWait`; never a
// lock-out; an attempt is counted as a failure up front; every username is tracked alike,
// whether it exists or not. Each tryAttempt() is one Lua script, atomic across instances.
//
// Key: <keyPrefix>sign-in-backoff:<sha256 hex of the username>, so no username is in Redis
// (long names by their first bytes, as SignInBackoff keys them). A record expires once its
// failures are forgotten (forgetAfter) and its wait is over, so Redis holds only the accounts
// tried lately; the limit per address bounds how fast one address adds names (maxAccounts is
// not used). Time is the options' clock, passed to the script, not Redis TIME. A Redis that
// cannot be reached throws RedisUnavailable (503): never an attempt let through because it is.
#include <memory>
#include <string>

#include "mcphost/auth/server/AccountBackoff.h"
#include "mcphost/auth/server/RedisConnection.h"
#include "mcphost/auth/server/SignInBackoff.h"

namespace mcph::auth::server {

class RedisSignInBackoff final : public AccountBackoff {
  public:
    // Throws std::invalid_argument for the options SignInBackoff refuses.
    RedisSignInBackoff(std::shared_ptr<RedisConnection> redis, std::string keyPrefix,
                       SignInBackoffOptions options);

    long long tryAttempt(const std::string& username) override;
    void succeeded(const std::string& username) override;

  private:
    std::string recordKey(const std::string& username) const;

    std::shared_ptr<RedisConnection> redis_;
    std::string prefix_;  // <keyPrefix>sign-in-backoff:
    SignInBackoffOptions options_;
};

}  // namespace mcph::auth::server
