#pragma once
// The back-off per account of password sign-in as the endpoint uses it: SignInBackoff keeps its
// records in this process, RedisSignInBackoff in Redis, shared by every instance (config
// `redis`), so landing on another instance does not dodge the wait.
#include <string>

namespace mcph::auth::server {

class AccountBackoff {
  public:
    virtual ~AccountBackoff() = default;

    // Seconds `username` must still wait; 0 means go ahead, and the attempt then counts as a
    // failure until succeeded() says otherwise. Counting it up front means attempts sent in
    // parallel cannot all slip through before the first one fails. A shared back-off that
    // cannot reach its store throws StoreUnavailable (503), never lets the attempt through.
    virtual long long tryAttempt(const std::string& username) = 0;
    virtual void succeeded(const std::string& username) = 0;
};

}  // namespace mcph::auth::server
