#pragma once
// All live sessions. Ids are 256-bit random values; idle sessions expire; the table is bounded.
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "mcp/Session.h"
#include "pluginhost/CallServices.h"

namespace mcph::mcp {

// Also the ResourceUpdateSink the server connects to its plugins' relay: a plugin's
// resource_updated reaches every session subscribed to that URI (on its GET stream).
class SessionRegistry final : public pluginhost::ResourceUpdateSink {
public:
    using Clock = std::chrono::steady_clock;

    // maxPerPrincipal: one user's sessions beyond this evict that user's least recently used
    // one, so no single user (or the anonymous principal) can fill the table for everyone.
    SessionRegistry(std::size_t maxSessions, std::chrono::seconds idleTimeout, std::size_t maxPerPrincipal = SIZE_MAX);
    ~SessionRegistry() override;
    SessionRegistry(const SessionRegistry&) = delete;
    SessionRegistry& operator=(const SessionRegistry&) = delete;

    void resourceUpdated(const std::string& uri) override;

    // subscriptions/listen (stateless revision): a stream outside the session table that
    // receives notifications/resources/updated for `uris`, tagged with its subscription id.
    std::shared_ptr<Session> openListener(const std::vector<std::string>& uris);
    void closeListener(const std::shared_ptr<Session>& listener);

    // Null when the table is full even after dropping expired sessions.
    std::shared_ptr<Session> create(const std::string& principal, const std::string& protocolVersion,
                                    Poco::JSON::Object::Ptr clientInfo);
    // Null for unknown, ended or expired ids. Refreshes the idle timer.
    std::shared_ptr<Session> find(const std::string& id);
    bool remove(const std::string& id);
    // Ends every session (shutdown): their GET streams return.
    void closeAll();
    std::size_t size() const;

    static std::string newSessionId();

private:
    struct Entry {
        std::shared_ptr<Session> session;
        Clock::time_point lastSeen;
    };
    void sweepLocked(Clock::time_point now);

    void evictOldestOfLocked(const std::string& principal);

    const std::size_t maxSessions_;
    const std::size_t maxPerPrincipal_;
    const std::chrono::seconds idleTimeout_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> sessions_;
    std::vector<std::shared_ptr<Session>> listeners_;
    Clock::time_point lastSweep_{};
};

}  // namespace mcph::mcp
