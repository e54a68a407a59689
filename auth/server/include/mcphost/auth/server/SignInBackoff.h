#pragma once
// Back-off per account for password sign-in (the `local` provider). The limit per address alone
// lets many addresses guess one account's password together; here every username's failures
// make its next attempt wait: the first `freeFailures` cost nothing (typos), then each further
// one doubles the wait from `firstWait` up to `maxWait`. Never a lock-out: after the wait one
// more attempt is allowed, and a success clears the account's record.
//
// Every username is tracked alike, whether it exists or not, so the answer never tells which
// ones do. Memory is bounded: past `maxAccounts` records the one whose last attempt is oldest is
// dropped (a flood of names can only make the limit forget, never grow the table).
#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "mcphost/auth/Clock.h"
#include "mcphost/auth/server/AccountBackoff.h"

namespace mcph::auth::server {

struct SignInBackoffOptions {
    int freeFailures = 5;
    std::chrono::seconds firstWait{5};
    std::chrono::seconds maxWait{15 * 60};
    std::chrono::hours forgetAfter{24};  // a record with no attempt for this long starts over
    std::size_t maxAccounts = 10000;
    NowFunction now = systemClock();
};

// The in-memory AccountBackoff, one instance's own.
class SignInBackoff final : public AccountBackoff {
  public:
    explicit SignInBackoff(SignInBackoffOptions options = {});

    // Seconds `username` must still wait; 0 means go ahead, and the attempt then counts as a
    // failure until succeeded() says otherwise. Counting it up front means attempts sent in
    // parallel cannot all slip through before the first one fails.
    long long tryAttempt(const std::string& username) override;
    void succeeded(const std::string& username) override;
    std::size_t trackedAccounts() const;
    // The name a record is kept under: long names by their first bytes (RedisSignInBackoff
    // keys its records the same way).
    static std::string keyOf(const std::string& username);

  private:
    struct Record {
        int failures = 0;
        TimePoint lastAttempt;
        TimePoint nextAllowed;
        std::list<std::string>::iterator lru;
    };

    SignInBackoffOptions options_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Record> records_;
    std::list<std::string> lru_;  // front = most recent attempt
};

}  // namespace mcph::auth::server
