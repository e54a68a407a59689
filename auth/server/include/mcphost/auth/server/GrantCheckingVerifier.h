#pragma once
// The host's own access tokens are JWTs, valid by signature alone; this verifier also ends them
// with their grant. Each token names its refresh family in `sid`; once that family is revoked
// (RFC 7009 revocation, a replayed refresh token or code, the access policy), expired or idle,
// its access tokens are refused too, rather than living on until `exp`; once it is narrowed, a
// token carrying a withdrawn scope is refused.
//
// The store is asked at most once per family every `recheck` (default 5 s): that bounds both
// the load on the store and how long a revoked token can still be used. A revoked family is
// remembered for good (bounded). With a shared store, other instances' changes arrive as they
// happen (forgetGrant, from RedisGrantChanges); while they cannot arrive (trustCacheWhile says
// so), every check asks the store.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "mcphost/auth/Clock.h"
#include "mcphost/auth/TokenVerifier.h"
#include "mcphost/auth/server/AuthStore.h"

namespace mcph::auth::server {

class GrantCheckingVerifier final : public TokenVerifier {
public:
    GrantCheckingVerifier(std::shared_ptr<TokenVerifier> inner, AuthStore& store,
                          std::chrono::milliseconds recheck = std::chrono::seconds(5), NowFunction now = systemClock());

    VerifyResult verify(const std::string& token) override;

    // Drops what this instance remembers about active grants, after it revoked or narrowed one:
    // its own changes take effect at once; other instances' within `recheck`, or as announced
    // (forgetGrant) with a shared store.
    void forgetActiveGrants();
    // Another instance ended or narrowed grant `grantId`; "" when any grant may have changed.
    void forgetGrant(const std::string& grantId);
    // Cached answers are used only while `trusted()` is true (set once, before serving).
    void trustCacheWhile(std::function<bool()> trusted) { trusted_ = std::move(trusted); }

    // The `sid` claim of a token (no signature check: call after the inner verifier accepted it).
    static std::string grantIdOf(const std::string& token);

private:
    // The grant's scopes while it is active; nullopt once it is not.
    std::optional<std::vector<std::string>> grantScopes(const std::string& grantId);

    struct Entry {
        bool active = false;
        std::vector<std::string> scopes;
        TimePoint checkedAt{};
    };
    static constexpr std::size_t kMaxEntries = 20000;

    std::shared_ptr<TokenVerifier> inner_;
    AuthStore& store_;
    std::chrono::milliseconds recheck_;
    NowFunction now_;
    std::function<bool()> trusted_;
    std::mutex mutex_;
    std::unordered_map<std::string, Entry> grants_;
    // Counts forgets: an answer read from the store while one happened may predate the change,
    // so it is not cached.
    std::uint64_t forgets_ = 0;
};

}  // namespace mcph::auth::server
