#pragma once
// Everything the proxy authorization server must remember, behind one interface: registered
// clients, consents, pending authorizations, authorization codes, refresh token families and the
// signing key. The embedded default is SqliteAuthStore.
//
// Every operation is one atomic step with its time passed in (`now`), so a shared backend can
// follow without changing callers. RedisAuthStore maps them as: takePending → GETDEL on the
// hashed key, consumeCode → a script marking the code used (single use across instances);
// rotateRefreshToken → a Lua script over the family hash (generation check, new token,
// revocation in one step); registerClient's bound → ZCARD checked in the same script; expiry →
// the record's own time, key TTLs collecting the rest; storeSigningKeyIfAbsent → SET NX. No
// operation needs a lock held across calls.
//
// Secrets never appear in storage: codes, refresh tokens and client secrets are kept as SHA-256
// hashes; callers pass and receive plaintext only where noted.
#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "mcphost/auth/Clock.h"
#include "mcphost/auth/server/UserFacts.h"

namespace mcph::auth::server {

struct ClientRecord {
    std::string clientId;
    std::string secretHash;  // SHA-256 hex of the client secret; "" for public clients
    std::vector<std::string> redirectUris;
    std::string name;
    std::string authMethod = "none";  // none | client_secret_post | client_secret_basic
    TimePoint createdAt{};
    std::optional<TimePoint> lastUsed;
    bool hasToken = false;  // got at least one token: exempt from the unused-client sweep
};

struct PendingAuthorization {
    std::string state;  // the host's own state sent upstream (the key)
    std::string clientId;
    std::string clientState;  // the client's `state`, echoed back unchanged
    std::string redirectUri;
    std::string codeChallenge;  // the client's S256 challenge
    std::string resource;
    std::vector<std::string> scopes;
    std::string upstreamVerifier;  // the host's PKCE verifier towards the upstream
    std::string browserNonce;      // binds the upstream callback to the browser that consented
    TimePoint expiresAt{};
};

// The user identity and grant that codes and refresh tokens carry.
struct Grant {
    std::string clientId;
    std::string subject;
    std::string email;
    std::string name;
    std::vector<std::string> scopes;
    std::string resource;
    // What the sign-in established, so a refresh or a policy change re-decides on the same
    // facts. Grants stored before facts were kept read back with the subject and email alone.
    UserFacts facts;
};

// A refresh family that is still usable, as the access policy reviews it.
struct ActiveGrant {
    std::string familyId;
    Grant grant;
};

struct AuthorizationCode {
    std::string code;  // plaintext on insert; never read back from storage
    Grant grant;
    std::string redirectUri;
    std::string codeChallenge;
    TimePoint expiresAt{};
};

struct ConsumeCodeResult {
    std::optional<AuthorizationCode> code;  // set exactly once per code (`code.code` left empty)
    // The code existed and was already used: RFC 6749 §4.1.2 says revoke what it produced; the
    // store has already revoked the refresh family issued from it.
    bool replayed = false;
};

struct RefreshIssue {
    std::string token;  // plaintext: hand to the client, it is not stored
    std::string familyId;
    int generation = 0;
    Grant grant;
};

enum class RotateStatus {
    Rotated,        // the current token: a new one issued, generation + 1
    GraceReplay,    // the immediately previous token within the grace window: a fresh sibling issued
    Invalid,        // unknown, revoked or expired: invalid_grant
    ReuseDetected,  // an older generation: the whole family is now revoked; invalid_grant
};

struct RotateResult {
    RotateStatus status = RotateStatus::Invalid;
    std::optional<RefreshIssue> issued;  // for Rotated and GraceReplay
};

enum class RegisterStatus { Registered, Full, Duplicate };

class AuthStore {
public:
    virtual ~AuthStore() = default;

    // ---- clients: bounded; clients that never got a token are swept after a while
    virtual RegisterStatus registerClient(const ClientRecord& client) = 0;
    virtual std::optional<ClientRecord> findClient(const std::string& clientId) = 0;
    virtual void markClientUsed(const std::string& clientId, TimePoint now) = 0;  // sets hasToken
    virtual std::size_t clientCount() = 0;
    // Removes clients created before `now - maxAge` that never got a token (and their consents).
    virtual std::size_t sweepUnusedClients(TimePoint now, std::chrono::seconds maxAge) = 0;

    // ---- consents: which scopes a user approved for a client
    virtual void grantConsent(const std::string& clientId, const std::string& userKey,
                              const std::vector<std::string>& scopes, TimePoint now) = 0;
    // True when an earlier consent covers every scope in `scopes`.
    virtual bool hasConsent(const std::string& clientId, const std::string& userKey,
                            const std::vector<std::string>& scopes) = 0;

    // ---- pending authorizations: single use, short lived
    virtual void putPending(const PendingAuthorization& pending) = 0;
    // Returns and deletes; null when unknown, already taken or expired.
    virtual std::optional<PendingAuthorization> takePending(const std::string& state, TimePoint now) = 0;

    // ---- authorization codes: single use even under concurrent redemption
    virtual void putCode(const AuthorizationCode& code) = 0;
    virtual ConsumeCodeResult consumeCode(const std::string& code, TimePoint now) = 0;

    // ---- refresh token families (RFC 9700 §4.14)
    // Starts a family; `fromCode` (plaintext, may be "") links it to the code it was issued for.
    virtual RefreshIssue createRefreshFamily(const Grant& grant, const std::string& fromCode, TimePoint now) = 0;
    // `clientId` is the authenticated client at /token: a token issued to another client is
    // Invalid and changes nothing (RFC 6749 §6), so presenting it cannot burn the owner's family.
    virtual RotateResult rotateRefreshToken(const std::string& token, const std::string& clientId, TimePoint now) = 0;
    // RFC 7009: revokes the token's family if it belongs to `clientId`. False when unknown or
    // owned by another client (the endpoint answers 200 either way).
    virtual bool revokeRefreshToken(const std::string& token, const std::string& clientId) = 0;
    // Revokes family `familyId` if it belongs to `clientId` (revoking an access token). False
    // when unknown or owned by another client.
    virtual bool revokeGrant(const std::string& familyId, const std::string& clientId) = 0;
    // The family's grant while it exists, is not revoked, has not reached its absolute end and
    // has not sat idle past the idle timeout: the access tokens issued from it are honoured only
    // then, and only for scopes the grant still holds.
    virtual std::optional<Grant> activeGrant(const std::string& familyId, TimePoint now) = 0;
    // Every active family (for the access policy's review at start-up and on change).
    virtual std::vector<ActiveGrant> activeGrants(TimePoint now) = 0;
    // Cuts family `familyId`'s scopes to `scopes` (a subset of what it holds); the next refresh
    // and every access token check see the narrower grant.
    virtual void narrowGrant(const std::string& familyId, const std::vector<std::string>& scopes) = 0;
    // Revokes family `familyId` whoever owns it (the access policy no longer admits its user).
    virtual void endGrant(const std::string& familyId) = 0;

    // ---- the signing key: the first writer wins, so concurrent first starts agree on one key
    virtual std::optional<std::string> loadSigningKey() = 0;
    // Stores `pem` unless a key exists; returns the key now stored.
    virtual std::string storeSigningKeyIfAbsent(const std::string& pem) = 0;

    // Deletes expired pending authorizations, codes and refresh families; returns rows removed.
    virtual std::size_t sweepExpired(TimePoint now) = 0;

    // "" when the store can serve now, else why not (for /readyz; never a secret). A local
    // file is always there once open.
    virtual std::string problem() { return ""; }
};

// The store cannot be reached or cannot serve right now (a shared store's server is down or
// restarting). Callers answer 503 with Retry-After and never fall back to memory of their own.
class StoreUnavailable : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

}  // namespace mcph::auth::server
