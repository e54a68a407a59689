#include "mcp/SessionRegistry.h"

#include <openssl/rand.h>

#include <algorithm>
#include <vector>
#include <stdexcept>

namespace mcph::mcp {

SessionRegistry::SessionRegistry(std::size_t maxSessions, std::chrono::seconds idleTimeout, std::size_t maxPerPrincipal)
    : maxSessions_(maxSessions), maxPerPrincipal_(std::max<std::size_t>(1, maxPerPrincipal)), idleTimeout_(idleTimeout) {}

SessionRegistry::~SessionRegistry() = default;

void SessionRegistry::resourceUpdated(const std::string& uri) {
    std::vector<std::shared_ptr<Session>> subscribers;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& [_, entry] : sessions_) {
            if (entry.session->subscribed(uri)) subscribers.push_back(entry.session);
        }
    }
    Poco::JSON::Object::Ptr params = new Poco::JSON::Object;
    params->set("uri", uri);
    const std::string message = serializeNotification("notifications/resources/updated", params);
    for (const auto& session : subscribers) session->post(message);

    std::vector<std::shared_ptr<Session>> listeners;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& l : listeners_) {
            if (l.session->subscribed(uri)) listeners.push_back(l.session);
        }
    }
    for (const auto& listener : listeners) {
        Poco::JSON::Object::Ptr tagged = new Poco::JSON::Object;
        tagged->set("uri", uri);
        Poco::JSON::Object::Ptr meta = new Poco::JSON::Object;
        meta->set("io.modelcontextprotocol/subscriptionId", listener->id());
        tagged->set("_meta", meta);
        listener->post(serializeNotification("notifications/resources/updated", tagged));
    }
}

void SessionRegistry::offeringsChanged(const pluginhost::OfferingChange& change) {
    std::vector<std::shared_ptr<Session>> sessions;
    std::vector<Listener> listeners;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& [_, entry] : sessions_) sessions.push_back(entry.session);
        listeners = listeners_;
    }
    const std::pair<bool, const char*> kinds[] = {{change.tools, "notifications/tools/list_changed"},
                                                  {change.resources, "notifications/resources/list_changed"},
                                                  {change.prompts, "notifications/prompts/list_changed"}};
    for (const auto& [changed, method] : kinds) {
        if (!changed) continue;
        // Sessions without an open GET stream drop it (Session::post): they list afresh anyway.
        const std::string message = serializeNotification(method, nullptr);
        for (const auto& session : sessions) session->post(message);
    }
    for (const auto& l : listeners) {
        const ListenFilter& f = l.filter;
        const std::pair<bool, const char*> wanted[] = {
            {change.tools && f.toolsListChanged, "notifications/tools/list_changed"},
            {change.resources && f.resourcesListChanged, "notifications/resources/list_changed"},
            {change.prompts && f.promptsListChanged, "notifications/prompts/list_changed"}};
        for (const auto& [send, method] : wanted) {
            if (!send) continue;
            Poco::JSON::Object::Ptr meta = new Poco::JSON::Object;
            meta->set("io.modelcontextprotocol/subscriptionId", l.session->id());
            Poco::JSON::Object::Ptr params = new Poco::JSON::Object;
            params->set("_meta", meta);
            l.session->post(serializeNotification(method, params));
        }
    }
}

std::shared_ptr<Session> SessionRegistry::openListener(const std::vector<std::string>& uris, ListenFilter filter) {
    auto listener = std::make_shared<Session>(newSessionId(), "", "2026-07-28", nullptr);
    for (const auto& uri : uris) listener->subscribe(uri);
    listener->attachStream();  // its posts are queued for the listen stream
    std::lock_guard<std::mutex> lock(mutex_);
    listeners_.push_back({listener, filter});
    return listener;
}

void SessionRegistry::closeListener(const std::shared_ptr<Session>& listener) {
    listener->close();
    std::lock_guard<std::mutex> lock(mutex_);
    listeners_.erase(std::remove_if(listeners_.begin(), listeners_.end(),
                                    [&](const Listener& l) { return l.session == listener; }),
                     listeners_.end());
}

SessionRegistry::Table::iterator SessionRegistry::eraseLocked(Table::iterator it) {
    if (sessionEnded_) sessionEnded_(Clock::now() - it->second.created);
    auto count = perPrincipal_.find(it->second.session->principal());
    if (count != perPrincipal_.end() && --count->second == 0) perPrincipal_.erase(count);
    return sessions_.erase(it);
}

bool SessionRegistry::evictLeastRecentlyUsedLocked(const std::string* principal) {
    auto victim = sessions_.end();
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
        if (principal && it->second.session->principal() != *principal) continue;
        if (victim != sessions_.end() && it->second.lastUse >= victim->second.lastUse) continue;
        if (!it->second.session->busy()) victim = it;
    }
    if (victim == sessions_.end()) return false;
    victim->second.session->close();
    eraseLocked(victim);
    return true;
}

std::string SessionRegistry::newSessionId() {
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no randomness for a session id");
    static const char* hex = "0123456789abcdef";
    std::string id;
    id.reserve(64);
    for (unsigned char b : bytes) {
        id.push_back(hex[b >> 4]);
        id.push_back(hex[b & 0xF]);
    }
    return id;
}

void SessionRegistry::sweepLocked(Clock::time_point now) {
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        // A session with an open stream or a call in flight is in use however long ago its last
        // request came: a client listening on its GET stream sends none for hours.
        if (it->second.session->busy()) it->second.lastSeen = now;
        if (now - it->second.lastSeen > idleTimeout_) {
            it->second.session->close();
            it = eraseLocked(it);
        } else {
            ++it;
        }
    }
    lastSweep_ = now;
}

std::shared_ptr<Session> SessionRegistry::create(const std::string& principal, const std::string& protocolVersion,
                                                 Poco::JSON::Object::Ptr clientInfo, bool perPrincipalCap) {
    auto session = std::make_shared<Session>(newSessionId(), principal, protocolVersion, std::move(clientInfo));
    const auto now = Clock::now();
    std::lock_guard<std::mutex> lock(mutex_);
    // A full sweep is O(n): do it at most once a second, or when the table is full.
    if (sessions_.size() >= maxSessions_ || now - lastSweep_ > std::chrono::seconds(1)) sweepLocked(now);
    const auto held = perPrincipal_.find(principal);
    if (perPrincipalCap && held != perPrincipal_.end() && held->second >= maxPerPrincipal_ &&
        !evictLeastRecentlyUsedLocked(&principal)) {
        return nullptr;
    }
    if (sessions_.size() >= maxSessions_ && !evictLeastRecentlyUsedLocked(nullptr)) return nullptr;
    sessions_.emplace(session->id(), Entry{session, now, ++useCounter_, now});
    ++perPrincipal_[principal];
    return session;
}

std::shared_ptr<Session> SessionRegistry::find(const std::string& id) {
    const auto now = Clock::now();
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return nullptr;
    if (now - it->second.lastSeen > idleTimeout_ && !it->second.session->busy()) {
        it->second.session->close();
        eraseLocked(it);
        return nullptr;
    }
    it->second.lastSeen = now;
    it->second.lastUse = ++useCounter_;
    return it->second.session;
}

bool SessionRegistry::remove(const std::string& id) {
    std::shared_ptr<Session> session;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = sessions_.find(id);
        if (it == sessions_.end()) return false;
        session = it->second.session;
        eraseLocked(it);
    }
    session->close();
    return true;
}

void SessionRegistry::closeAll() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& l : listeners_) l.session->close();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    const auto now = Clock::now();
    for (auto& [_, entry] : sessions_) {
        entry.session->close();
        if (sessionEnded_) sessionEnded_(now - entry.created);
    }
    sessions_.clear();
    perPrincipal_.clear();
}

std::size_t SessionRegistry::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return sessions_.size();
}

}  // namespace mcph::mcp
