#include "mcphost/auth/server/RedisAuthStore.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Redis/Array.h>
#include <Poco/Redis/Type.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "RedisEval.h"
#include "RedisStoreScripts.h"
#include "mcphost/auth/server/Secrets.h"

namespace mcph::auth::server {

namespace {

using Poco::Int64;
using Poco::JSON::Object;
using Poco::Redis::BulkString;

// Key TTLs only collect what is left: a record's own expiry decides, so they run a day past it.
constexpr std::chrono::hours kCollectAfter{24};

Int64 toMs(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
TimePoint fromMs(Int64 ms) { return TimePoint(std::chrono::milliseconds(ms)); }
Int64 msOf(std::chrono::seconds d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}
// A TTL for a record that ends at `expiresAt` (the records carry no `now`: the system clock).
Int64 ttlUntil(TimePoint expiresAt) {
    const Int64 left = toMs(expiresAt) - toMs(std::chrono::system_clock::now());
    return std::max<Int64>(left, 0) + msOf(kCollectAfter);
}

std::string hashOf(const std::string& secret) { return Secrets::sha256Hex(secret); }

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : " ") + s;
    return out;
}
std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string item;
    while (in >> item) out.push_back(item);
    return out;
}

Poco::JSON::Array::Ptr toArray(const std::vector<std::string>& items) {
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (const auto& s : items) a->add(s);
    return a;
}
std::vector<std::string> fromArray(const Object::Ptr& o, const std::string& name) {
    std::vector<std::string> out;
    if (auto a = o->getArray(name)) {
        for (std::size_t i = 0; i < a->size(); ++i) out.push_back(a->getElement<std::string>(i));
    }
    return out;
}
std::string text(const Object::Ptr& o) {
    std::ostringstream out;
    o->stringify(out);
    return out.str();
}
Object::Ptr parse(const std::string& json) {
    return Poco::JSON::Parser().parse(json).extract<Object::Ptr>();
}
std::string str(const Object::Ptr& o, const std::string& name) {
    return o->optValue<std::string>(name, "");
}

Object::Ptr grantJson(const Grant& g) {
    Object::Ptr o = new Object;
    o->set("clientId", g.clientId);
    o->set("subject", g.subject);
    o->set("email", g.email);
    o->set("name", g.name);
    o->set("scopes", toArray(g.scopes));
    o->set("resource", g.resource);
    o->set("facts", g.facts.toJson());
    return o;
}
Grant grantOf(const Object::Ptr& o) {
    Grant g;
    g.clientId = str(o, "clientId");
    g.subject = str(o, "subject");
    g.email = str(o, "email");
    g.name = str(o, "name");
    g.scopes = fromArray(o, "scopes");
    g.resource = str(o, "resource");
    g.facts = UserFacts::fromJson(str(o, "facts"));
    return g;
}

// Poco's Array::size() throws on the empty array Redis sends for "no members".
std::size_t count(const Poco::Redis::Array& a) { return a.isNull() ? 0 : a.size(); }

std::string bulk(const Poco::Redis::Array& a, std::size_t i) {
    const BulkString b = a.get<BulkString>(i);
    return b.isNull() ? std::string() : b.value();
}

using redis_scripts::eval;

}  // namespace

RedisAuthStore::RedisAuthStore(RedisAuthStoreOptions options)
    : options_(std::move(options)), redis_(options_.endpoint) {}

RedisAuthStore::~RedisAuthStore() = default;

// ---- clients -------------------------------------------------------------------------------

RegisterStatus RedisAuthStore::registerClient(const ClientRecord& c) {
    Object::Ptr o = new Object;
    o->set("secretHash", c.secretHash);
    o->set("redirectUris", toArray(c.redirectUris));
    o->set("name", c.name);
    o->set("authMethod", c.authMethod);
    o->set("createdAt", toMs(c.createdAt));
    const Int64 status = redis_.execute<Int64>(
        eval(redis_scripts::kRegisterClient, {key("client:" + c.clientId), key("clients")},
             {std::to_string(options_.maxClients), c.clientId, std::to_string(toMs(c.createdAt)),
              text(o)}));
    if (status == 1) return RegisterStatus::Full;
    if (status == 2) return RegisterStatus::Duplicate;
    return RegisterStatus::Registered;
}

std::optional<ClientRecord> RedisAuthStore::findClient(const std::string& clientId) {
    Poco::Redis::Array cmd;
    cmd << "HMGET" << key("client:" + clientId) << "rec"
        << "lastUsed"
        << "hasToken";
    const Poco::Redis::Array r = redis_.execute<Poco::Redis::Array>(cmd);
    const std::string rec = bulk(r, 0);
    if (rec.empty()) return std::nullopt;
    const Object::Ptr o = parse(rec);
    ClientRecord c;
    c.clientId = clientId;
    c.secretHash = str(o, "secretHash");
    c.redirectUris = fromArray(o, "redirectUris");
    c.name = str(o, "name");
    c.authMethod = str(o, "authMethod");
    c.createdAt = fromMs(o->optValue<Int64>("createdAt", 0));
    const std::string lastUsed = bulk(r, 1);
    if (!lastUsed.empty()) c.lastUsed = fromMs(std::stoll(lastUsed));
    c.hasToken = bulk(r, 2) == "1";
    return c;
}

void RedisAuthStore::markClientUsed(const std::string& clientId, TimePoint t) {
    redis_.execute<Int64>(eval(redis_scripts::kMarkClientUsed, {key("client:" + clientId)},
                               {std::to_string(toMs(t))}));
}

std::size_t RedisAuthStore::clientCount() {
    Poco::Redis::Array cmd;
    cmd << "ZCARD" << key("clients");
    return static_cast<std::size_t>(redis_.execute<Int64>(cmd));
}

std::size_t RedisAuthStore::sweepUnusedClients(TimePoint t, std::chrono::seconds maxAge) {
    Poco::Redis::Array range;
    // Created strictly before the cutoff, as in SQLite.
    range << "ZRANGEBYSCORE" << key("clients") << "-inf"
          << "(" + std::to_string(toMs(t - maxAge));
    const Poco::Redis::Array ids = redis_.execute<Poco::Redis::Array>(range);
    std::size_t removed = 0;
    for (std::size_t i = 0; i < count(ids); ++i) {
        const std::string id = bulk(ids, i);
        removed += static_cast<std::size_t>(redis_.execute<Int64>(
            eval(redis_scripts::kSweepClient,
                 {key("client:" + id), key("clients"), key("consents:" + id)}, {id})));
    }
    return removed;
}

// ---- consents ------------------------------------------------------------------------------

void RedisAuthStore::grantConsent(const std::string& clientId, const std::string& userKey,
                                  const std::vector<std::string>& scopes, TimePoint) {
    std::vector<std::string> args{hashOf(userKey)};
    args.insert(args.end(), scopes.begin(), scopes.end());
    redis_.execute<Int64>(eval(redis_scripts::kGrantConsent, {key("consents:" + clientId)}, args));
}

bool RedisAuthStore::hasConsent(const std::string& clientId, const std::string& userKey,
                                const std::vector<std::string>& scopes) {
    Poco::Redis::Array cmd;
    cmd << "HGET" << key("consents:" + clientId) << hashOf(userKey);
    const BulkString held = redis_.execute<BulkString>(cmd);
    if (held.isNull()) return false;
    const auto granted = split(held.value());
    return std::all_of(scopes.begin(), scopes.end(), [&](const std::string& s) {
        return std::find(granted.begin(), granted.end(), s) != granted.end();
    });
}

// ---- pending authorizations ------------------------------------------------------------------

void RedisAuthStore::putPending(const PendingAuthorization& p) {
    Object::Ptr o = new Object;
    o->set("clientId", p.clientId);
    o->set("clientState", p.clientState);
    o->set("redirectUri", p.redirectUri);
    o->set("codeChallenge", p.codeChallenge);
    o->set("resource", p.resource);
    o->set("scopes", toArray(p.scopes));
    o->set("upstreamVerifier", p.upstreamVerifier);
    o->set("browserNonce", p.browserNonce);
    o->set("expiresAt", toMs(p.expiresAt));
    Poco::Redis::Array cmd;
    cmd << "SET" << key("pending:" + hashOf(p.state)) << text(o) << "PX"
        << std::to_string(ttlUntil(p.expiresAt));
    redis_.execute<std::string>(cmd);
}

std::optional<PendingAuthorization> RedisAuthStore::takePending(const std::string& state,
                                                                TimePoint t) {
    // GETDEL: of two instances taking one state at once, exactly one gets it.
    Poco::Redis::Array cmd;
    cmd << "GETDEL" << key("pending:" + hashOf(state));
    const BulkString taken = redis_.execute<BulkString>(cmd);
    if (taken.isNull()) return std::nullopt;
    const Object::Ptr o = parse(taken.value());
    PendingAuthorization p;
    p.state = state;
    p.clientId = str(o, "clientId");
    p.clientState = str(o, "clientState");
    p.redirectUri = str(o, "redirectUri");
    p.codeChallenge = str(o, "codeChallenge");
    p.resource = str(o, "resource");
    p.scopes = fromArray(o, "scopes");
    p.upstreamVerifier = str(o, "upstreamVerifier");
    p.browserNonce = str(o, "browserNonce");
    p.expiresAt = fromMs(o->optValue<Int64>("expiresAt", 0));
    if (p.expiresAt <= t) return std::nullopt;  // an expired state is deleted and refused
    return p;
}

// ---- authorization codes ---------------------------------------------------------------------

void RedisAuthStore::putCode(const AuthorizationCode& c) {
    Object::Ptr o = new Object;
    o->set("grant", grantJson(c.grant));
    o->set("redirectUri", c.redirectUri);
    o->set("codeChallenge", c.codeChallenge);
    o->set("expiresAt", toMs(c.expiresAt));
    const std::string k = key("code:" + hashOf(c.code));
    Poco::Redis::Array set;
    set << "HSET" << k << "rec" << text(o) << "exp" << std::to_string(toMs(c.expiresAt)) << "used"
        << "0";
    redis_.execute<Int64>(set);
    Poco::Redis::Array expire;
    expire << "PEXPIRE" << k << std::to_string(ttlUntil(c.expiresAt));
    redis_.execute<Int64>(expire);
}

ConsumeCodeResult RedisAuthStore::consumeCode(const std::string& code, TimePoint t) {
    const Poco::Redis::Array r = redis_.execute<Poco::Redis::Array>(
        eval(redis_scripts::kConsumeCode, {key("code:" + hashOf(code))},
             {std::to_string(toMs(t)), key("family:"), grantChangesChannel()}));
    ConsumeCodeResult result;
    const Int64 status = r.get<Int64>(0);
    if (status == 2) result.replayed = true;
    if (status != 1) return result;
    const Object::Ptr o = parse(bulk(r, 1));
    AuthorizationCode c;
    c.grant = grantOf(o->getObject("grant"));
    c.redirectUri = str(o, "redirectUri");
    c.codeChallenge = str(o, "codeChallenge");
    c.expiresAt = fromMs(o->optValue<Int64>("expiresAt", 0));
    result.code = std::move(c);
    return result;
}

// ---- refresh token families ------------------------------------------------------------------

RefreshIssue RedisAuthStore::createRefreshFamily(const Grant& g, const std::string& fromCode,
                                                 TimePoint t) {
    RefreshIssue issue{Secrets::randomToken(32), Secrets::randomToken(16), 1, g};
    const TimePoint expires = t + options_.refreshLifetime;
    const Int64 ttl = msOf(options_.refreshLifetime) + msOf(kCollectAfter);
    redis_.execute<Int64>(eval(
        redis_scripts::kCreateFamily,
        {key("family:" + issue.familyId), key("refresh:" + hashOf(issue.token)), key("families"),
         key("code:" + hashOf(fromCode))},
        {issue.familyId, text(grantJson(g)), join(g.scopes), g.clientId, std::to_string(toMs(t)),
         std::to_string(toMs(expires)), std::to_string(ttl), fromCode.empty() ? "0" : "1"}));
    return issue;
}

RotateResult RedisAuthStore::rotateRefreshToken(const std::string& token,
                                                const std::string& clientId, TimePoint t) {
    const std::string next = Secrets::randomToken(32);
    const Poco::Redis::Array r = redis_.execute<Poco::Redis::Array>(
        eval(redis_scripts::kRotateRefresh,
             {key("refresh:" + hashOf(token)), key("refresh:" + hashOf(next))},
             {std::to_string(toMs(t)), clientId, std::to_string(msOf(options_.refreshGrace)),
              std::to_string(msOf(options_.refreshIdle)), key("family:"), grantChangesChannel()}));
    RotateResult result;
    const Int64 status = r.get<Int64>(0);
    if (status == 3) result.status = RotateStatus::ReuseDetected;
    if (status != 1 && status != 2) return result;
    result.status = status == 1 ? RotateStatus::Rotated : RotateStatus::GraceReplay;
    Grant g = grantOf(parse(bulk(r, 3)));
    g.scopes = split(bulk(r, 4));  // narrowed scopes live beside the record
    result.issued = RefreshIssue{next, bulk(r, 1), static_cast<int>(r.get<Int64>(2)), std::move(g)};
    return result;
}

bool RedisAuthStore::revokeRefreshToken(const std::string& token, const std::string& clientId) {
    return redis_.execute<Int64>(eval(redis_scripts::kRevokeRefresh,
                                      {key("refresh:" + hashOf(token))},
                                      {clientId, key("family:"), grantChangesChannel()})) == 1;
}

bool RedisAuthStore::revokeGrant(const std::string& familyId, const std::string& clientId) {
    if (clientId.empty()) return false;  // "" means "any owner" to the script: never from here
    return redis_.execute<Int64>(
               eval(redis_scripts::kRevokeFamily, {key("family:" + familyId)},
                    {clientId, familyId, grantChangesChannel()})) == 1;
}

std::optional<Grant> RedisAuthStore::activeGrant(const std::string& familyId, TimePoint t) {
    Poco::Redis::Array cmd;
    cmd << "HMGET" << key("family:" + familyId) << "rec"
        << "scopes"
        << "rotatedAt"
        << "expiresAt"
        << "revoked";
    const Poco::Redis::Array r = redis_.execute<Poco::Redis::Array>(cmd);
    const std::string rec = bulk(r, 0);
    if (rec.empty() || bulk(r, 4) == "1") return std::nullopt;
    if (std::stoll(bulk(r, 3)) <= toMs(t)) return std::nullopt;
    if (options_.refreshIdle.count() > 0 &&
        toMs(t) - std::stoll(bulk(r, 2)) > msOf(options_.refreshIdle)) {
        return std::nullopt;
    }
    Grant g = grantOf(parse(rec));
    g.scopes = split(bulk(r, 1));
    return g;
}

std::vector<ActiveGrant> RedisAuthStore::activeGrants(TimePoint t) {
    Poco::Redis::Array members;
    members << "SMEMBERS" << key("families");
    const Poco::Redis::Array ids = redis_.execute<Poco::Redis::Array>(members);
    std::vector<ActiveGrant> out;
    for (std::size_t i = 0; i < count(ids); ++i) {
        const std::string id = bulk(ids, i);
        if (auto g = activeGrant(id, t)) out.push_back({id, std::move(*g)});
    }
    std::sort(out.begin(), out.end(),
              [](const ActiveGrant& a, const ActiveGrant& b) { return a.familyId < b.familyId; });
    return out;
}

void RedisAuthStore::narrowGrant(const std::string& familyId,
                                 const std::vector<std::string>& scopes) {
    redis_.execute<Int64>(
        eval(redis_scripts::kNarrowFamily, {key("family:" + familyId)},
             {join(scopes), familyId, grantChangesChannel()}));
}

void RedisAuthStore::endGrant(const std::string& familyId) {
    redis_.execute<Int64>(eval(redis_scripts::kRevokeFamily, {key("family:" + familyId)},
                               {"", familyId, grantChangesChannel()}));
}

// ---- signing key -----------------------------------------------------------------------------

std::optional<std::string> RedisAuthStore::loadSigningKey() {
    Poco::Redis::Array cmd;
    cmd << "GET" << key("signing-key");
    const BulkString pem = redis_.execute<BulkString>(cmd);
    if (pem.isNull()) return std::nullopt;
    return pem.value();
}

std::string RedisAuthStore::storeSigningKeyIfAbsent(const std::string& pem) {
    const BulkString stored = redis_.execute<BulkString>(
        eval(redis_scripts::kSigningKeyIfAbsent, {key("signing-key")}, {pem}));
    return stored.isNull() ? pem : stored.value();
}

// ---- sweep -------------------------------------------------------------------------------------

std::size_t RedisAuthStore::sweepExpired(TimePoint t) {
    // Pending authorizations and codes go with their TTLs; families leave the index here once
    // they have ended (or their key expired), as SQLite deletes their rows.
    Poco::Redis::Array members;
    members << "SMEMBERS" << key("families");
    const Poco::Redis::Array ids = redis_.execute<Poco::Redis::Array>(members);
    std::size_t removed = 0;
    for (std::size_t i = 0; i < count(ids); ++i) {
        const std::string id = bulk(ids, i);
        Poco::Redis::Array get;
        get << "HGET" << key("family:" + id) << "expiresAt";
        const BulkString expires = redis_.execute<BulkString>(get);
        if (!expires.isNull() && std::stoll(expires.value()) > toMs(t)) continue;
        Poco::Redis::Array del;
        del << "DEL" << key("family:" + id);
        redis_.execute<Int64>(del);
        Poco::Redis::Array rem;
        rem << "SREM" << key("families") << id;
        redis_.execute<Int64>(rem);
        ++removed;
    }
    return removed;
}

}  // namespace mcph::auth::server
