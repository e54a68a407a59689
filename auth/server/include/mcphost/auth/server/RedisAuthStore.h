#pragma once
// The shared AuthStore for several instances: every record in Redis, every operation that must be
// single-use or all-or-nothing one Lua script (Redis runs a script atomically, so two instances
// redeeming one code at once see exactly one success), the same guarantees as SqliteAuthStore.
//
// Keys (all under `keyPrefix`), secrets only as SHA-256 hashes as in SQLite:
//   client:<id>              hash  rec (JSON), lastUsed, hasToken      + `clients` zset by creation
//   consents:<client id>     hash  sha256(user key) -> space-separated scopes
//   pending:<sha256(state)>  hash  rec, exp                            (TTL)
//   code:<sha256(code)>      hash  rec, exp, used, family              (TTL)
//   family:<id>              hash  rec, scopes, client, gen, rotatedAt, expiresAt, revoked (TTL)
//   refresh:<sha256(token)>  hash  family, gen                          (TTL of its family)
//   families                 set   family ids, for the policy's review
//   signing-key              string, set once (SET NX)
//   grant-changes            pub/sub channel: a family id, when a script ended or narrowed it
// Expiry is decided on the record's own time against the caller's `now`, exactly as SQLite does;
// key TTLs (that time plus a day) only collect what is left. One Redis, not Redis Cluster: the
// scripts touch keys they derive.
#include <chrono>
#include <memory>
#include <string>

#include "mcphost/auth/server/AuthStore.h"
#include "mcphost/auth/server/RedisConnection.h"

namespace mcph::auth::server {

struct RedisAuthStoreOptions {
    RedisEndpoint endpoint;
    std::string keyPrefix = "mcph:";
    std::size_t maxClients = 10000;
    std::chrono::seconds refreshGrace{60};
    std::chrono::seconds refreshLifetime{std::chrono::hours(24 * 30)};
    std::chrono::seconds refreshIdle{0};
};

class RedisAuthStore final : public AuthStore {
  public:
    // Connects lazily: Redis may come up after the host. Throws std::invalid_argument for a
    // bad endpoint URL.
    explicit RedisAuthStore(RedisAuthStoreOptions options);
    ~RedisAuthStore() override;

    RegisterStatus registerClient(const ClientRecord& client) override;
    std::optional<ClientRecord> findClient(const std::string& clientId) override;
    void markClientUsed(const std::string& clientId, TimePoint now) override;
    std::size_t clientCount() override;
    std::size_t sweepUnusedClients(TimePoint now, std::chrono::seconds maxAge) override;

    void grantConsent(const std::string& clientId, const std::string& userKey,
                      const std::vector<std::string>& scopes, TimePoint now) override;
    bool hasConsent(const std::string& clientId, const std::string& userKey,
                    const std::vector<std::string>& scopes) override;

    void putPending(const PendingAuthorization& pending) override;
    std::optional<PendingAuthorization> takePending(const std::string& state,
                                                    TimePoint now) override;

    void putCode(const AuthorizationCode& code) override;
    ConsumeCodeResult consumeCode(const std::string& code, TimePoint now) override;

    RefreshIssue createRefreshFamily(const Grant& grant, const std::string& fromCode,
                                     TimePoint now) override;
    RotateResult rotateRefreshToken(const std::string& token, const std::string& clientId,
                                    TimePoint now) override;
    bool revokeRefreshToken(const std::string& token, const std::string& clientId) override;
    bool revokeGrant(const std::string& familyId, const std::string& clientId) override;
    std::optional<Grant> activeGrant(const std::string& familyId, TimePoint now) override;
    std::vector<ActiveGrant> activeGrants(TimePoint now) override;
    void narrowGrant(const std::string& familyId, const std::vector<std::string>& scopes) override;
    void endGrant(const std::string& familyId) override;

    std::optional<std::string> loadSigningKey() override;
    std::string storeSigningKeyIfAbsent(const std::string& pem) override;

    std::size_t sweepExpired(TimePoint now) override;

    // "" while Redis answers, else why not (readiness).
    std::string problem() override { return redis_.problem(); }

    // Where the scripts announce a family they ended or narrowed (RedisGrantChanges listens).
    static std::string grantChangesChannel(const std::string& keyPrefix) {
        return keyPrefix + "grant-changes";
    }
    std::string grantChangesChannel() const { return grantChangesChannel(options_.keyPrefix); }

  private:
    std::string key(const std::string& suffix) const { return options_.keyPrefix + suffix; }

    RedisAuthStoreOptions options_;
    RedisConnection redis_;
};

}  // namespace mcph::auth::server
