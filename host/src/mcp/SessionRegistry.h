#pragma once
// All live sessions. Ids are 256-bit random values; idle sessions expire; the table is bounded,
// per user and as a whole. Room is made by closing the least recently used session that is not
// busy (no call in flight, no open stream): a client that still needs it gets 404 and starts a
// new one, as MCP clients do; a busy session is never cut off.
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

    // maxPerPrincipal: a user who already holds this many sessions gets a new one only by closing
    // their own least recently used idle one, so no single user (or the anonymous principal) can
    // fill the table for everyone.
    SessionRegistry(std::size_t maxSessions, std::chrono::seconds idleTimeout, std::size_t maxPerPrincipal = SIZE_MAX);
    ~SessionRegistry() override;
    SessionRegistry(const SessionRegistry&) = delete;
    SessionRegistry& operator=(const SessionRegistry&) = delete;

    void resourceUpdated(const std::string& uri) override;

    // subscriptions/listen (stateless revision): a stream outside the session table that
    // receives notifications/resources/updated for `uris`, tagged with its subscription id.
    std::shared_ptr<Session> openListener(const std::vector<std::string>& uris);
    void closeListener(const std::shared_ptr<Session>& listener);

    // Null when the user is at their cap, or the table full, and none of the sessions that could
    // make room is idle. `perPrincipalCap` false: only the table's bound applies (anonymous
    // callers, who are no one user).
    std::shared_ptr<Session> create(const std::string& principal, const std::string& protocolVersion,
                                    Poco::JSON::Object::Ptr clientInfo, bool perPrincipalCap = true);
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
        std::uint64_t lastUse;  // from useCounter_: the recency order, free of clock ties
    };
    using Table = std::unordered_map<std::string, Entry>;

    void sweepLocked(Clock::time_point now);
    // Closes the least recently used idle session (of `principal` only, when given); false when
    // every candidate is busy.
    bool evictLeastRecentlyUsedLocked(const std::string* principal);
    Table::iterator eraseLocked(Table::iterator it);  // closes nothing; keeps the counts right

    const std::size_t maxSessions_;
    const std::size_t maxPerPrincipal_;
    const std::chrono::seconds idleTimeout_;
    mutable std::mutex mutex_;
    Table sessions_;
    std::unordered_map<std::string, std::size_t> perPrincipal_;  // sessions held by each user
    std::uint64_t useCounter_ = 0;
    std::vector<std::shared_ptr<Session>> listeners_;
    Clock::time_point lastSweep_{};
};

}  // namespace mcph::mcp
