#pragma once
// One connection to Redis (RESP2, Redis >= 6.2 or Valkey) through Poco::Redis, shared by the
// threads of one process: a command holds the connection for its round trip. Poco's client is
// not thread-safe and has no pool that reconnects, so this wraps it: a failed round trip drops
// the connection and the next command connects again (with AUTH), so a restarted Redis is picked
// up without a restart of the host.
//
// Poco::Redis speaks no TLS: run Redis on a private network or on this machine, or reach it
// through a local TLS tunnel (stunnel, spiped); README "Several instances".
#include <Poco/Net/SocketAddress.h>
#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>
#include <Poco/Redis/Exception.h>
#include <Poco/Timespan.h>

#include <mutex>

#include "mcphost/auth/server/AuthStore.h"
#include <stdexcept>
#include <string>

namespace mcph::auth::server {

struct RedisEndpoint {
    // "redis://host:port" (TCP) or "unix:///path/redis.sock".
    std::string url;
    std::string username;          // ACL user ("" = the default user)
    std::string password;          // "" = no AUTH
    Poco::Timespan timeout{2, 0};  // connect and reply timeout
};

// Redis cannot be reached or did not answer: the caller answers 503 with Retry-After, never
// falls back to per-instance memory.
class RedisUnavailable : public StoreUnavailable {
  public:
    using StoreUnavailable::StoreUnavailable;
};

class RedisConnection {
  public:
    // Checks the URL; connects lazily. Throws std::invalid_argument for a bad URL.
    explicit RedisConnection(RedisEndpoint endpoint);

    // Runs one command. A Redis error reply throws Poco::Redis::RedisException (a bug or a
    // script refusal); anything else that goes wrong throws RedisUnavailable.
    //
    // A connection that sat open while Redis restarted is dead, and only the next command finds
    // out. So a command that fails for want of Redis on a connection opened earlier is sent once
    // more on a new one; a failure on a fresh connection is final. Sending twice is safe for
    // every command this project sends, should the first one have run before the connection
    // broke: writes set the same values again; a taken state or code reads as gone or used (the
    // client starts again, nothing is granted twice); a rotated refresh token reads as the grace
    // sibling; a registered id reads as a duplicate and another is drawn; a rate-limit check
    // takes one more token (stricter, not looser).
    template <typename T>
    T execute(const Poco::Redis::Array& command) {
        std::lock_guard<std::mutex> lock(mutex_);
        const bool reused = client_.isConnected();
        try {
            return attemptLocked<T>(command);
        } catch (const RedisUnavailable&) {
            if (!reused) throw;
            return attemptLocked<T>(command);
        }
    }

    // PING; "" when Redis answers, else why not (for /readyz; never a password).
    std::string problem();

    // Where the endpoint's URL points (a TCP address or a Unix socket), for a connection of its
    // own that is not a Poco::Redis::Client (RedisGrantChanges).
    Poco::Net::SocketAddress socketAddress() const;

    // Where it connects, for logs (never the password).
    const std::string& where() const { return endpoint_.url; }

  private:
    template <typename T>
    T attemptLocked(const Poco::Redis::Array& command) {
        ensureConnectedLocked();
        try {
            return client_.execute<T>(command);
        } catch (const Poco::Redis::RedisException& e) {
            if (!unavailableReply(e.message())) throw;
            client_.disconnect();
            throw RedisUnavailable("redis: " +
                                   (e.message().empty() ? "connection lost" : e.message()));
        } catch (const Poco::Exception& e) {
            client_.disconnect();
            throw RedisUnavailable("redis: " + e.displayText());
        }
    }
    void ensureConnectedLocked();
    // Poco reports a lost connection as a RedisException ("Lost connection to Redis server"),
    // like an error reply; that, and the replies of a Redis that cannot serve now (loading its data
    // after a restart, busy with a script, a replica without its master), mean "unavailable".
    static bool unavailableReply(const std::string& message);

    RedisEndpoint endpoint_;
    std::string host_;
    int port_ = 0;
    std::string socketPath_;
    std::mutex mutex_;
    Poco::Redis::Client client_;
};

}  // namespace mcph::auth::server
