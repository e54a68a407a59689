#pragma once
// Identity enrichment in native mode: a verified access token without an email or a name (WorkOS
// AuthKit's default tokens carry only `sub`) is shown to the issuer's OIDC userinfo endpoint, once
// per (issuer, subject); the answer fills email, name and picture. Answers are cached (bounded,
// least recently used out first, with a TTL; failures for a shorter time). A failure never fails
// the request: the fields stay empty and the log says why, never with the token.
//
// The token goes only to the userinfo endpoint the issuer's own metadata names, and only when it
// has the issuer's origin and is https (or http on a loopback address).
#include <chrono>
#include <condition_variable>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "mcphost/auth/AuthContext.h"
#include "mcphost/auth/Clock.h"
#include "mcphost/auth/HttpFetcher.h"

namespace mcph::auth {

struct UserInfoOptions {
    std::chrono::seconds ttl{600};
    std::chrono::seconds negativeTtl{60};  // after a failure, the next try waits this long
    std::size_t maxEntries = 10000;
    // "" = from the issuer's metadata (OIDC discovery), found on first need.
    std::string endpoint;
};

class UserInfoEnricher {
  public:
    UserInfoEnricher(std::shared_ptr<HttpFetcher> fetcher, std::string issuer,
                     UserInfoOptions options = {}, NowFunction now = systemClock());

    // Fills what `ctx` lacks of email, name and picture from the userinfo answer for its subject.
    // Thread-safe; concurrent requests for one subject share a single userinfo request.
    void enrich(AuthContext& ctx, const std::string& accessToken);

    // The endpoint may receive the token: https (or http on loopback) with the issuer's origin.
    static bool trustedEndpoint(const std::string& endpoint, const std::string& issuer);

  private:
    struct Answer {
        bool ok = false;
        std::string email, name, picture;
    };
    struct Entry {
        bool pending = true;
        Answer answer;
        TimePoint expires;
        std::list<std::string>::iterator lru;
    };

    Answer fetch(const std::string& subject, const std::string& accessToken);
    std::optional<std::string> endpoint();  // discovered once; nullopt while unknown
    void evictLocked();

    const std::shared_ptr<HttpFetcher> fetcher_;
    const std::string issuer_;
    const UserInfoOptions options_;
    const NowFunction now_;

    std::mutex mutex_;
    std::condition_variable done_;
    std::unordered_map<std::string, Entry> entries_;  // by subject
    std::list<std::string> recency_;                  // most recent first

    std::mutex endpointMutex_;
    std::optional<std::string> endpoint_;
    TimePoint nextDiscovery_{};
};

}  // namespace mcph::auth
