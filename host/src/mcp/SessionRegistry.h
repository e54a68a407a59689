#pragma once
// All live sessions. Ids are 256-bit random values; idle sessions expire; the table is bounded,
// per user and as a whole. Room is made by closing the least recently used session that is not
// busy (no call in flight, no open stream): a client that still needs it gets 404 and starts a
// new one, as MCP clients do; a busy session is never cut off.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "mcp/Session.h"
#include "pluginhost/CallServices.h"
#include "pluginhost/OfferingChange.h"

namespace mcph::mcp {

// What a subscriptions/listen stream asked to hear of besides resource updates.
struct ListenFilter {
    bool toolsListChanged = false;
    bool resourcesListChanged = false;
    bool promptsListChanged = false;
};

// Also the ResourceUpdateSink the server connects to its plugins' relay: a plugin's
// resource_updated reaches every session subscribed to that URI (on its GET stream). And the
// OfferingChangeSink of the registry: a change of the served lists reaches every session's GET
// stream as notifications/<list>/list_changed, and the listen streams that asked for it.
class SessionRegistry final : public pluginhost::ResourceUpdateSink, public pluginhost::OfferingChangeSink {
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
    void offeringsChanged(const pluginhost::OfferingChange& change) override;

    // subscriptions/listen (stateless revision): a stream outside the session table that
    // receives notifications/resources/updated for `uris` and the list changes `filter` names,
    // each tagged with its subscription id.
    std::shared_ptr<Session> openListener(const std::vector<std::string>& uris, ListenFilter filter = {});
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
    // Called with each session's lifetime when it ends, however it ends (the session duration
    // metric). Set before serving; runs under the table's lock, so it must be quick.
    void onSessionEnded(std::function<void(Clock::duration)> observer) { sessionEnded_ = std::move(observer); }

    static std::string newSessionId();

private:
    struct Entry {
        std::shared_ptr<Session> session;
        Clock::time_point lastSeen;
        std::uint64_t lastUse;  // from useCounter_: the recency order, free of clock ties
        Clock::time_point created;
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
    struct Listener {
        std::shared_ptr<Session> session;
        ListenFilter filter;
    };
    std::vector<Listener> listeners_;
    Clock::time_point lastSweep_{};
    std::function<void(Clock::duration)> sessionEnded_;
};

}  // namespace mcph::mcp
