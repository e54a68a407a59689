#include "mcphost/auth/server/SqliteAuthStore.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <stdexcept>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "SqliteSchema.h"
#include "SqliteTransaction.h"
#include "mcphost/auth/server/Secrets.h"

using namespace Poco::Data::Keywords;
using Poco::Int64;
using Poco::Data::Statement;

namespace mcph::auth::server {

namespace {

Int64 toMs(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
TimePoint fromMs(Int64 ms) { return TimePoint(std::chrono::milliseconds(ms)); }

// Scopes never contain spaces (RFC 6749 §3.3) and validated redirect URIs never contain control
// characters, so plain separators are unambiguous.
std::string join(const std::vector<std::string>& items, char sep) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : std::string(1, sep)) + s;
    return out;
}
std::vector<std::string> split(const std::string& text, char sep) {
    std::vector<std::string> out;
    std::string item;
    std::istringstream in(text);
    while (std::getline(in, item, sep)) {
        if (!item.empty()) out.push_back(item);
    }
    return out;
}

std::string hashOf(const std::string& secret) { return Secrets::sha256Hex(secret); }

// Facts as stored; a row from before they were kept gets the grant's own subject and email.
UserFacts factsOf(const std::string& json, const Grant& g) {
    UserFacts f = UserFacts::fromJson(json);
    if (f.subject.empty()) {
        f = UserFacts{};
        f.subject = g.subject;
        f.email = g.email;
    }
    return f;
}

Int64 msOf(std::chrono::seconds d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

}  // namespace

SqliteAuthStore::SqliteAuthStore(SqliteAuthStoreOptions options) : options_(std::move(options)) {
    static std::once_flag registered;
    std::call_once(registered, [] { Poco::Data::SQLite::Connector::registerConnector(); });
    const int fd = ::open(options_.path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot open proxy store file " + options_.path);
    ::close(fd);
    session_ = std::make_unique<Poco::Data::Session>("SQLite", options_.path);
    auto& s = *session_;
    std::string mode;
    s << "PRAGMA journal_mode=WAL", into(mode), now;
    Int64 timeout = 0;
    s << "PRAGMA busy_timeout=" + std::to_string(options_.busyTimeout.count()), into(timeout), now;
    s << "PRAGMA synchronous=NORMAL", now;  // WAL + NORMAL: durable across process crashes
    migrate();
}

SqliteAuthStore::~SqliteAuthStore() = default;

void SqliteAuthStore::migrate() {
    std::lock_guard<std::mutex> lock(mutex_);
    SqliteSchema::migrate(*session_, options_.path);
}

int SqliteAuthStore::schemaVersion() {
    std::lock_guard<std::mutex> lock(mutex_);
    return SqliteSchema::version(*session_);
}

// ---- clients -----------------------------------------------------------------------------

RegisterStatus SqliteAuthStore::registerClient(const ClientRecord& c) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& s = *session_;
    SqliteTransaction tx(s);
    Int64 count = 0, existing = 0;
    s << "SELECT COUNT(*) FROM clients", into(count), now;
    s << "SELECT COUNT(*) FROM clients WHERE client_id = ?", into(existing), bind(c.clientId), now;
    if (existing) return RegisterStatus::Duplicate;
    if (static_cast<std::size_t>(count) >= options_.maxClients) return RegisterStatus::Full;
    s << "INSERT INTO clients VALUES (?, ?, ?, ?, ?, ?, ?, ?)", bind(c.clientId), bind(c.secretHash),
        bind(join(c.redirectUris, '\n')), bind(c.name), bind(c.authMethod), bind(toMs(c.createdAt)),
        bind(c.lastUsed ? toMs(*c.lastUsed) : Int64(0)), bind(c.hasToken ? 1 : 0), now;
    tx.commit();
    return RegisterStatus::Registered;
}

std::optional<ClientRecord> SqliteAuthStore::findClient(const std::string& clientId) {
    std::lock_guard<std::mutex> lock(mutex_);
    ClientRecord c;
    std::string uris;
    Int64 created = 0, lastUsed = 0;
    int hasToken = 0;
    Statement st(*session_);
    st << "SELECT client_id, secret_hash, redirect_uris, name, auth_method, created_at, last_used, has_token"
          " FROM clients WHERE client_id = ?",
        into(c.clientId), into(c.secretHash), into(uris), into(c.name), into(c.authMethod), into(created),
        into(lastUsed), into(hasToken), bind(clientId);
    if (st.execute() == 0) return std::nullopt;
    c.redirectUris = split(uris, '\n');
    c.createdAt = fromMs(created);
    if (lastUsed) c.lastUsed = fromMs(lastUsed);
    c.hasToken = hasToken != 0;
    return c;
}

void SqliteAuthStore::markClientUsed(const std::string& clientId, TimePoint t) {
    std::lock_guard<std::mutex> lock(mutex_);
    *session_ << "UPDATE clients SET last_used = ?, has_token = 1 WHERE client_id = ?", bind(toMs(t)),
        bind(clientId), now;
}

std::size_t SqliteAuthStore::clientCount() {
    std::lock_guard<std::mutex> lock(mutex_);
    Int64 count = 0;
    *session_ << "SELECT COUNT(*) FROM clients", into(count), now;
    return static_cast<std::size_t>(count);
}

std::size_t SqliteAuthStore::sweepUnusedClients(TimePoint t, std::chrono::seconds maxAge) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& s = *session_;
    SqliteTransaction tx(s);
    const Int64 cutoff = toMs(t - maxAge);
    s << "DELETE FROM consents WHERE client_id IN"
         " (SELECT client_id FROM clients WHERE has_token = 0 AND created_at < ?)",
        bind(cutoff), now;
    Statement del(s);
    del << "DELETE FROM clients WHERE has_token = 0 AND created_at < ?", bind(cutoff);
    const std::size_t removed = del.execute();
    tx.commit();
    return removed;
}

// ---- consents ----------------------------------------------------------------------------

void SqliteAuthStore::grantConsent(const std::string& clientId, const std::string& userKey,
                                    const std::vector<std::string>& scopes, TimePoint t) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& s = *session_;
    SqliteTransaction tx(s);
    std::string stored;
    s << "SELECT scopes FROM consents WHERE client_id = ? AND user_key = ?", into(stored), bind(clientId),
        bind(userKey), now;
    std::set<std::string> all(scopes.begin(), scopes.end());
    for (auto& sc : split(stored, ' ')) all.insert(sc);
    s << "INSERT OR REPLACE INTO consents VALUES (?, ?, ?, ?)", bind(clientId), bind(userKey),
        bind(join({all.begin(), all.end()}, ' ')), bind(toMs(t)), now;
    tx.commit();
}

bool SqliteAuthStore::hasConsent(const std::string& clientId, const std::string& userKey,
                                  const std::vector<std::string>& scopes) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string stored;
    Statement st(*session_);
    st << "SELECT scopes FROM consents WHERE client_id = ? AND user_key = ?", into(stored), bind(clientId),
        bind(userKey);
    if (st.execute() == 0) return false;
    const auto granted = split(stored, ' ');
    return std::all_of(scopes.begin(), scopes.end(), [&](const std::string& sc) {
        return std::find(granted.begin(), granted.end(), sc) != granted.end();
    });
}

// ---- pending authorizations ----------------------------------------------------------------

void SqliteAuthStore::putPending(const PendingAuthorization& p) {
    std::lock_guard<std::mutex> lock(mutex_);
    *session_ << "INSERT INTO pending VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", bind(hashOf(p.state)),
        bind(p.clientId), bind(p.clientState), bind(p.redirectUri), bind(p.codeChallenge), bind(p.resource),
        bind(join(p.scopes, ' ')), bind(p.upstreamVerifier), bind(p.browserNonce), bind(toMs(p.expiresAt)), now;
}

std::optional<PendingAuthorization> SqliteAuthStore::takePending(const std::string& state, TimePoint t) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& s = *session_;
    SqliteTransaction tx(s);
    PendingAuthorization p;
    std::string scopes;
    Int64 expires = 0;
    const std::string key = hashOf(state);
    Statement st(s);
    st << "SELECT client_id, client_state, redirect_uri, code_challenge, resource, scopes, upstream_verifier,"
          " browser_nonce, expires_at FROM pending WHERE state_hash = ?",
        into(p.clientId), into(p.clientState), into(p.redirectUri), into(p.codeChallenge), into(p.resource),
        into(scopes), into(p.upstreamVerifier), into(p.browserNonce), into(expires), bind(key);
    if (st.execute() == 0) return std::nullopt;
    Statement del(s);
    del << "DELETE FROM pending WHERE state_hash = ?", bind(key);
    const bool mine = del.execute() == 1;
    tx.commit();
    if (!mine || expires <= toMs(t)) return std::nullopt;  // an expired state is deleted and refused
    p.state = state;
    p.scopes = split(scopes, ' ');
    p.expiresAt = fromMs(expires);
    return p;
}

// ---- authorization codes -------------------------------------------------------------------

void SqliteAuthStore::putCode(const AuthorizationCode& c) {
    std::lock_guard<std::mutex> lock(mutex_);
    const Grant& g = c.grant;
    *session_ << "INSERT INTO codes (code_hash, client_id, subject, email, name, scopes, resource, redirect_uri,"
                 " code_challenge, expires_at, facts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        bind(hashOf(c.code)), bind(g.clientId), bind(g.subject), bind(g.email), bind(g.name),
        bind(join(g.scopes, ' ')), bind(g.resource), bind(c.redirectUri), bind(c.codeChallenge),
        bind(toMs(c.expiresAt)), bind(g.facts.toJson()), now;
}

ConsumeCodeResult SqliteAuthStore::consumeCode(const std::string& code, TimePoint t) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& s = *session_;
    SqliteTransaction tx(s);
    AuthorizationCode c;
    Grant& g = c.grant;
    std::string scopes, familyId, facts;
    Int64 expires = 0;
    int used = 0;
    const std::string key = hashOf(code);
    Statement st(s);
    st << "SELECT client_id, subject, email, name, scopes, resource, redirect_uri, code_challenge, expires_at,"
          " used, family_id, facts FROM codes WHERE code_hash = ?",
        into(g.clientId), into(g.subject), into(g.email), into(g.name), into(scopes), into(g.resource),
        into(c.redirectUri), into(c.codeChallenge), into(expires), into(used), into(familyId), into(facts),
        bind(key);
    ConsumeCodeResult result;
    if (st.execute() == 0) return result;
    if (used) {
        result.replayed = true;
        if (!familyId.empty()) revokeFamily(familyId);
        tx.commit();
        return result;
    }
    if (expires <= toMs(t)) return result;
    // The conditional update is the single-use decision; the transaction makes it redundant on
    // one file, but it keeps the rule visible and correct for any backend with weaker isolation.
    Statement mark(s);
    mark << "UPDATE codes SET used = 1 WHERE code_hash = ? AND used = 0", bind(key);
    if (mark.execute() != 1) return result;
    tx.commit();
    g.scopes = split(scopes, ' ');
    g.facts = factsOf(facts, g);
    c.expiresAt = fromMs(expires);
    result.code = std::move(c);
    return result;
}

// ---- refresh token families ----------------------------------------------------------------

void SqliteAuthStore::revokeFamily(const std::string& familyId) {
    *session_ << "UPDATE refresh_families SET revoked = 1 WHERE family_id = ?", bind(familyId), now;
}

RefreshIssue SqliteAuthStore::createRefreshFamily(const Grant& g, const std::string& fromCode, TimePoint t) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& s = *session_;
    SqliteTransaction tx(s);
    RefreshIssue issue{Secrets::randomToken(32), Secrets::randomToken(16), 1, g};
    s << "INSERT INTO refresh_families (family_id, client_id, subject, email, name, scopes, resource, generation,"
         " rotated_at, expires_at, facts) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
        bind(issue.familyId), bind(g.clientId), bind(g.subject), bind(g.email), bind(g.name),
        bind(join(g.scopes, ' ')), bind(g.resource), bind(toMs(t)), bind(toMs(t + options_.refreshLifetime)),
        bind(g.facts.toJson()), now;
    s << "INSERT INTO refresh_tokens VALUES (?, ?, 1)", bind(hashOf(issue.token)), bind(issue.familyId), now;
    if (!fromCode.empty()) {
        s << "UPDATE codes SET family_id = ? WHERE code_hash = ?", bind(issue.familyId), bind(hashOf(fromCode)), now;
    }
    tx.commit();
    return issue;
}

RotateResult SqliteAuthStore::rotateRefreshToken(const std::string& token, const std::string& clientId, TimePoint t) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& s = *session_;
    SqliteTransaction tx(s);
    RotateResult result;
    std::string familyId;
    int tokenGen = 0;
    Statement find(s);
    find << "SELECT family_id, generation FROM refresh_tokens WHERE token_hash = ?", into(familyId), into(tokenGen),
        bind(hashOf(token));
    if (find.execute() == 0) return result;

    Grant g;
    std::string scopes, facts;
    int current = 0, revoked = 0;
    Int64 rotatedAt = 0, expires = 0;
    Statement fam(s);
    fam << "SELECT client_id, subject, email, name, scopes, resource, generation, rotated_at, expires_at, revoked,"
           " facts FROM refresh_families WHERE family_id = ?",
        into(g.clientId), into(g.subject), into(g.email), into(g.name), into(scopes), into(g.resource),
        into(current), into(rotatedAt), into(expires), into(revoked), into(facts), bind(familyId);
    if (fam.execute() == 0 || revoked || expires <= toMs(t) || idle(rotatedAt, t) || g.clientId != clientId)
        return result;
    g.scopes = split(scopes, ' ');
    g.facts = factsOf(facts, g);

    const bool withinGrace = toMs(t) - rotatedAt <= std::chrono::duration_cast<std::chrono::milliseconds>(
                                                         options_.refreshGrace).count();
    int newGen = 0;
    if (tokenGen == current) {
        newGen = current + 1;
        result.status = RotateStatus::Rotated;
        // expires_at stays: the family's lifetime is counted from the sign-in, not the rotation.
        s << "UPDATE refresh_families SET generation = ?, rotated_at = ? WHERE family_id = ?",
            bind(newGen), bind(toMs(t)), bind(familyId), now;
    } else if (tokenGen == current - 1 && withinGrace) {
        newGen = current;  // a sibling; rotated_at unchanged so replays cannot stretch the window
        result.status = RotateStatus::GraceReplay;
    } else {
        revokeFamily(familyId);
        tx.commit();
        result.status = RotateStatus::ReuseDetected;
        return result;
    }
    RefreshIssue issue{Secrets::randomToken(32), familyId, newGen, g};
    s << "INSERT INTO refresh_tokens VALUES (?, ?, ?)", bind(hashOf(issue.token)), bind(familyId), bind(newGen), now;
    tx.commit();
    result.issued = std::move(issue);
    return result;
}

bool SqliteAuthStore::revokeRefreshToken(const std::string& token, const std::string& clientId) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& s = *session_;
    SqliteTransaction tx(s);
    std::string familyId, owner;
    Statement find(s);
    find << "SELECT f.family_id, f.client_id FROM refresh_tokens t JOIN refresh_families f"
            " ON f.family_id = t.family_id WHERE t.token_hash = ?",
        into(familyId), into(owner), bind(hashOf(token));
    if (find.execute() == 0 || owner != clientId) return false;
    revokeFamily(familyId);
    tx.commit();
    return true;
}

bool SqliteAuthStore::revokeGrant(const std::string& familyId, const std::string& clientId) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& s = *session_;
    SqliteTransaction tx(s);
    std::string owner;
    Statement find(s);
    find << "SELECT client_id FROM refresh_families WHERE family_id = ?", into(owner), bind(familyId);
    if (find.execute() == 0 || owner != clientId) return false;
    revokeFamily(familyId);
    tx.commit();
    return true;
}

bool SqliteAuthStore::idle(long long rotatedAt, TimePoint t) const {
    return options_.refreshIdle.count() > 0 && toMs(t) - rotatedAt > msOf(options_.refreshIdle);
}

std::optional<Grant> SqliteAuthStore::activeGrant(const std::string& familyId, TimePoint t) {
    std::lock_guard<std::mutex> lock(mutex_);
    Grant g;
    std::string scopes, facts;
    Int64 rotatedAt = 0;
    Statement find(*session_);
    find << "SELECT client_id, subject, email, name, scopes, resource, facts, rotated_at FROM refresh_families"
            " WHERE family_id = ? AND revoked = 0 AND expires_at > ?",
        into(g.clientId), into(g.subject), into(g.email), into(g.name), into(scopes), into(g.resource),
        into(facts), into(rotatedAt), bind(familyId), bind(toMs(t));
    if (find.execute() == 0 || idle(rotatedAt, t)) return std::nullopt;
    g.scopes = split(scopes, ' ');
    g.facts = factsOf(facts, g);
    return g;
}

std::vector<ActiveGrant> SqliteAuthStore::activeGrants(TimePoint t) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> ids, clients, subjects, emails, names, scopes, resources, facts;
    std::vector<Int64> rotated;
    Statement find(*session_);
    find << "SELECT family_id, client_id, subject, email, name, scopes, resource, facts, rotated_at"
            " FROM refresh_families WHERE revoked = 0 AND expires_at > ?",
        into(ids), into(clients), into(subjects), into(emails), into(names), into(scopes), into(resources),
        into(facts), into(rotated), bind(toMs(t));
    find.execute();
    std::vector<ActiveGrant> out;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (idle(rotated[i], t)) continue;
        ActiveGrant a;
        a.familyId = ids[i];
        a.grant.clientId = clients[i];
        a.grant.subject = subjects[i];
        a.grant.email = emails[i];
        a.grant.name = names[i];
        a.grant.scopes = split(scopes[i], ' ');
        a.grant.resource = resources[i];
        a.grant.facts = factsOf(facts[i], a.grant);
        out.push_back(std::move(a));
    }
    return out;
}

void SqliteAuthStore::narrowGrant(const std::string& familyId, const std::vector<std::string>& scopes) {
    std::lock_guard<std::mutex> lock(mutex_);
    *session_ << "UPDATE refresh_families SET scopes = ? WHERE family_id = ?", bind(join(scopes, ' ')),
        bind(familyId), now;
}

void SqliteAuthStore::endGrant(const std::string& familyId) {
    std::lock_guard<std::mutex> lock(mutex_);
    revokeFamily(familyId);
}

// ---- signing key -----------------------------------------------------------------------------

std::optional<std::string> SqliteAuthStore::loadSigningKey() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string pem;
    Statement st(*session_);
    st << "SELECT pem FROM signing_key WHERE id = 1", into(pem);
    if (st.execute() == 0) return std::nullopt;
    return pem;
}

std::string SqliteAuthStore::storeSigningKeyIfAbsent(const std::string& pem) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& s = *session_;
    SqliteTransaction tx(s);
    s << "INSERT OR IGNORE INTO signing_key (id, pem) VALUES (1, ?)", bind(pem), now;
    std::string stored;
    s << "SELECT pem FROM signing_key WHERE id = 1", into(stored), now;
    tx.commit();
    return stored;
}

// ---- expiry ----------------------------------------------------------------------------------

std::size_t SqliteAuthStore::sweepExpired(TimePoint t) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& s = *session_;
    SqliteTransaction tx(s);
    const Int64 cutoff = toMs(t);
    std::size_t removed = 0;
    for (const char* sql : {"DELETE FROM pending WHERE expires_at <= ?", "DELETE FROM codes WHERE expires_at <= ?",
                            "DELETE FROM refresh_tokens WHERE family_id IN"
                            " (SELECT family_id FROM refresh_families WHERE expires_at <= ?)",
                            "DELETE FROM refresh_families WHERE expires_at <= ?"}) {
        Statement del(s);
        del << std::string(sql), bind(cutoff);
        removed += del.execute();
    }
    tx.commit();
    return removed;
}

}  // namespace mcph::auth::server
