#pragma once
// Hears, on a Redis connection of its own, the grant changes every instance announces (the
// store's scripts PUBLISH a family id on the grant-changes channel when they end or narrow it,
// RedisAuthStore), and passes each to `changed`. This is how a revocation on one instance
// reaches the grant cache of every other one at once, instead of by polling.
//
// A subscriber that is not connected hears nothing, so live() is false then: the verifier asks
// the store on every request meanwhile. On every (re)subscription `changed("")` says "anything
// may have changed" (messages sent while away are lost: Redis pub/sub keeps none).
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "mcphost/auth/server/RedisConnection.h"

namespace mcph::auth::server {

class RedisGrantChanges {
  public:
    using Listener = std::function<void(const std::string& familyId)>;

    // Starts the listening thread; connects (and reconnects, with back-off) by itself.
    RedisGrantChanges(RedisEndpoint endpoint, std::string channel, Listener changed);
    ~RedisGrantChanges();  // stops and joins the thread
    RedisGrantChanges(const RedisGrantChanges&) = delete;
    RedisGrantChanges& operator=(const RedisGrantChanges&) = delete;

    // True while subscribed (and Redis answered a PING within the last few seconds).
    bool live() const { return live_.load(); }

  private:
    void run();
    // One subscription, until the connection fails or stop; returns after it ends.
    void listenOnce();
    bool stopping() const { return stop_.load(); }

    RedisEndpoint endpoint_;
    std::string channel_;
    Listener changed_;
    std::atomic<bool> live_{false};
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::condition_variable wake_;
    std::thread thread_;
};

}  // namespace mcph::auth::server
