#pragma once
// The JWKS of the one configured issuer, fetched lazily and cached. Keys are found by `kid`
// only. An unknown kid triggers at most one refetch per cooldown, so a flood of forged kids
// cannot turn us into a load generator against the authorization server; a failed refetch keeps
// the keys we have, so tokens signed with cached keys survive an outage of the JWKS endpoint.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "mcphost/auth/AuthEvents.h"
#include "mcphost/auth/Clock.h"
#include "mcphost/auth/HttpFetcher.h"
#include "mcphost/auth/PublicKey.h"

namespace mcph::auth {

struct JwksOptions {
    std::string jwksUri;
    std::chrono::seconds refetchCooldown{30};
    // Keys older than this are refreshed on the next lookup (after the cooldown), so a key the
    // issuer withdrew stops verifying without a restart. Zero disables the refresh.
    std::chrono::seconds maxAge{3600};
    NowFunction now = systemClock();
    AuthEvents* events = nullptr;  // told of each fetch's outcome, when set
};

class JwksKeySet {
public:
    struct Lookup {
        std::optional<PublicKey> key;
        std::string error;  // when no key: safe to show a client
        bool unavailable = false;  // no key set could be loaded at all (not the token's fault)
    };

    JwksKeySet(std::shared_ptr<HttpFetcher> fetcher, JwksOptions options);

    Lookup find(const std::string& kid);

    // Parses a JWKS document; usable keys only. `skipped` counts the keys left out.
    static std::optional<std::map<std::string, PublicKey>> parse(const std::string& json, std::size_t* skipped,
                                                                 std::string& error);

    std::uint64_t fetchAttempts() const;
    std::size_t keyCount() const;
    // Why the last fetch failed ("" after a success): for logs and health checks, not clients.
    std::string lastError() const;

private:
    using KeyMap = std::map<std::string, PublicKey>;

    bool refetchAllowed(TimePoint now) const;  // caller holds mutex_
    // Fetches and, on success, installs a new key set. Called without the mutex held.
    void fetchAndInstall();

    std::shared_ptr<HttpFetcher> fetcher_;
    JwksOptions options_;

    mutable std::mutex mutex_;
    std::condition_variable fetchDone_;
    std::shared_ptr<const KeyMap> keys_;  // null until the first successful fetch
    TimePoint keysLoadedAt_{};
    std::optional<TimePoint> lastAttempt_;
    bool fetching_ = false;
    std::string lastError_;
    std::uint64_t attempts_ = 0;
};

}  // namespace mcph::auth
