#pragma once
// The embedded AuthStore: one SQLite file through Poco Data, in WAL mode so readers never wait
// for the writer. One connection per store object, guarded by a mutex; every multi-statement
// operation runs in BEGIN IMMEDIATE, so several store objects (or processes) on one file stay
// correct too, not just threads sharing one object.
//
// The schema carries its version in `meta`; opening a file written by a newer schema fails
// rather than guessing. The file is created with mode 0600: it holds the signing key.
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>

#include "mcphost/auth/server/AuthStore.h"

namespace Poco::Data {
class Session;
}

namespace mcph::auth::server {

struct SqliteAuthStoreOptions {
    std::string path;
    std::size_t maxClients = 10000;  // registrations beyond this are refused (RegisterStatus::Full)
    // How long the immediately previous refresh token stays usable after a rotation
    // (docs/client-interop.md#refresh-token-rotation: parallel CLI sessions, clients that lose the
    // rotated token).
    std::chrono::seconds refreshGrace{60};
    // Absolute lifetime of a refresh family, counted from the sign-in that started it:
    // rotations do not extend it, so a grant ends at the latest this long after the user last
    // proved who they are.
    std::chrono::seconds refreshLifetime{std::chrono::hours(24 * 30)};
    // A family not refreshed for this long ends (0 = no idle limit).
    std::chrono::seconds refreshIdle{0};
    std::chrono::milliseconds busyTimeout{5000};
};

class SqliteAuthStore final : public AuthStore {
public:
    static constexpr int kSchemaVersion = 2;

    // Opens or creates the file and migrates it. Throws Poco::Exception (or
    // std::runtime_error for a newer schema) when the file cannot be used.
    explicit SqliteAuthStore(SqliteAuthStoreOptions options);
    ~SqliteAuthStore() override;

    RegisterStatus registerClient(const ClientRecord& client) override;
    std::optional<ClientRecord> findClient(const std::string& clientId) override;
    void markClientUsed(const std::string& clientId, TimePoint now) override;
    std::size_t clientCount() override;
    std::size_t sweepUnusedClients(TimePoint now, std::chrono::seconds maxAge) override;

    void grantConsent(const std::string& clientId, const std::string& userKey, const std::vector<std::string>& scopes,
                      TimePoint now) override;
    bool hasConsent(const std::string& clientId, const std::string& userKey,
                    const std::vector<std::string>& scopes) override;

    void putPending(const PendingAuthorization& pending) override;
    std::optional<PendingAuthorization> takePending(const std::string& state, TimePoint now) override;

    void putCode(const AuthorizationCode& code) override;
    ConsumeCodeResult consumeCode(const std::string& code, TimePoint now) override;

    RefreshIssue createRefreshFamily(const Grant& grant, const std::string& fromCode, TimePoint now) override;
    // Grace replay issues a fresh sibling token at the current generation rather than returning
    // the current token again: only its hash is stored, so it cannot be returned. Siblings are
    // all "current"; whichever rotates first makes the others the previous generation.
    RotateResult rotateRefreshToken(const std::string& token, const std::string& clientId, TimePoint now) override;
    bool revokeRefreshToken(const std::string& token, const std::string& clientId) override;
    bool revokeGrant(const std::string& familyId, const std::string& clientId) override;
    std::optional<Grant> activeGrant(const std::string& familyId, TimePoint now) override;
    std::vector<ActiveGrant> activeGrants(TimePoint now) override;
    void narrowGrant(const std::string& familyId, const std::vector<std::string>& scopes) override;
    void endGrant(const std::string& familyId) override;

    std::optional<std::string> loadSigningKey() override;
    std::string storeSigningKeyIfAbsent(const std::string& pem) override;

    std::size_t sweepExpired(TimePoint now) override;

    int schemaVersion();

private:
    void migrate();
    void revokeFamily(const std::string& familyId);  // caller holds mutex_ and a transaction
    // Past the idle timeout since the family's last rotation (milliseconds since the epoch).
    bool idle(long long rotatedAtMs, TimePoint now) const;

    SqliteAuthStoreOptions options_;
    std::mutex mutex_;
    std::unique_ptr<Poco::Data::Session> session_;
};

}  // namespace mcph::auth::server
