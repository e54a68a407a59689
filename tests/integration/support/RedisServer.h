#pragma once
// A real redis-server (Debian package redis-server) for one test: it listens on a Unix socket in
// its own temporary directory (no TCP port at all, so nothing to race for), without persistence
// unless asked. Started and stopped by the test; every wait is bounded.
#include <sys/types.h>

#include <string>
#include <vector>

#include "support/HostProcess.h"

namespace mcph::testing {

class RedisServer {
  public:
    // Throws std::runtime_error (naming the package to install) when it cannot start.
    // `extraArgs` are more redis-server options (e.g. an ACL user: "--user", "name", "on", ...).
    explicit RedisServer(bool appendOnly = false, std::vector<std::string> extraArgs = {});
    ~RedisServer();
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    // "unix:///.../redis.sock", for RedisEndpoint::url.
    std::string url() const { return "unix://" + socket_; }
    // Stops it (SIGTERM: with appendOnly, what it acknowledged is on disk) and starts it again
    // on the same directory and socket.
    void restart();
    void stop();

  private:
    void start();

    TempDir dir_;
    std::string socket_;
    bool appendOnly_;
    std::vector<std::string> extraArgs_;
    pid_t pid_ = -1;
};

}  // namespace mcph::testing
