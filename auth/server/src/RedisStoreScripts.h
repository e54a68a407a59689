#pragma once
// The Lua scripts of RedisAuthStore: each is one atomic step in Redis, so what SQLite does in a
// transaction holds across instances too. Numbers travel as decimal strings (milliseconds since
// the epoch); a script's integer status comes first in what it returns.
namespace mcph::auth::server::redis_scripts {

// KEYS: client, clients zset. ARGV: max clients, id, created (ms), record.
// 0 registered, 1 full, 2 duplicate id.
inline constexpr const char* kRegisterClient = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return 2 end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[1]) then return 1 end
redis.call('HSET', KEYS[1], 'rec', ARGV[4], 'hasToken', '0')
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
return 0
)lua";

// KEYS: client. ARGV: last used (ms). A client that does not exist stays absent.
inline constexpr const char* kMarkClientUsed = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'lastUsed', ARGV[1], 'hasToken', '1')
end
return 0
)lua";

// KEYS: client, clients zset, its consents. ARGV: id. 1 when removed (it never got a token).
inline constexpr const char* kSweepClient = R"lua(
if redis.call('HGET', KEYS[1], 'hasToken') == '1' then return 0 end
redis.call('DEL', KEYS[1], KEYS[3])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
)lua";

// KEYS: the client's consents. ARGV: user key hash, then the scopes to add to what it holds.
inline constexpr const char* kGrantConsent = R"lua(
local held = redis.call('HGET', KEYS[1], ARGV[1])
local set, out = {}, {}
if held then for s in string.gmatch(held, '%S+') do set[s] = true end end
for i = 2, #ARGV do set[ARGV[i]] = true end
for s in pairs(set) do out[#out + 1] = s end
table.sort(out)
redis.call('HSET', KEYS[1], ARGV[1], table.concat(out, ' '))
return 0
)lua";

// Every script that ends or narrows a grant also PUBLISHes its family id on the grant-changes
// channel (the last ARGV), in the same atomic step: each instance's cache of grant checks
// (GrantCheckingVerifier) hears of it at once (RedisGrantChanges).

// KEYS: code. ARGV: now (ms), family key prefix, channel.
// {0} unknown or expired; {1, record} redeemed now; {2} used before (its family is revoked).
inline constexpr const char* kConsumeCode = R"lua(
local r = redis.call('HMGET', KEYS[1], 'rec', 'exp', 'used', 'family')
if not r[1] then return {0} end
if r[3] == '1' then
  if r[4] and redis.call('EXISTS', ARGV[2] .. r[4]) == 1 then
    redis.call('HSET', ARGV[2] .. r[4], 'revoked', '1')
    redis.call('PUBLISH', ARGV[3], r[4])
  end
  return {2}
end
if tonumber(r[2]) <= tonumber(ARGV[1]) then return {0} end
redis.call('HSET', KEYS[1], 'used', '1')
return {1, r[1]}
)lua";

// KEYS: family, first token, families set, code (may not exist).
// ARGV: family id, grant record, scopes, client id, now, expires at, key TTL (ms), "1" = link code.
inline constexpr const char* kCreateFamily = R"lua(
redis.call('HSET', KEYS[1], 'rec', ARGV[2], 'scopes', ARGV[3], 'client', ARGV[4], 'gen', '1',
           'rotatedAt', ARGV[5], 'expiresAt', ARGV[6], 'revoked', '0')
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('HSET', KEYS[2], 'family', ARGV[1], 'gen', '1')
redis.call('PEXPIRE', KEYS[2], ARGV[7])
redis.call('SADD', KEYS[3], ARGV[1])
if ARGV[8] == '1' and redis.call('EXISTS', KEYS[4]) == 1 then
  redis.call('HSET', KEYS[4], 'family', ARGV[1])
end
return 0
)lua";

// KEYS: presented token, the new token. ARGV: now, client id, grace (ms), idle limit (ms, 0 =
// none), family key prefix, channel. {0} invalid; {1|2, family id, generation, record, scopes} rotated or
// a grace sibling; {3} reuse detected (the family is revoked).
inline constexpr const char* kRotateRefresh = R"lua(
local t = redis.call('HMGET', KEYS[1], 'family', 'gen')
if not t[1] then return {0} end
local fk = ARGV[5] .. t[1]
local f = redis.call('HMGET', fk, 'client', 'gen', 'rotatedAt', 'expiresAt', 'revoked', 'rec', 'scopes')
if not f[1] then return {0} end
local now, rotatedAt = tonumber(ARGV[1]), tonumber(f[3])
if f[5] == '1' or tonumber(f[4]) <= now or f[1] ~= ARGV[2] then return {0} end
local idle = tonumber(ARGV[4])
if idle > 0 and now - rotatedAt > idle then return {0} end
local tokenGen, current = tonumber(t[2]), tonumber(f[2])
local status, newGen
if tokenGen == current then
  status, newGen = 1, current + 1
  redis.call('HSET', fk, 'gen', tostring(newGen), 'rotatedAt', ARGV[1])
elseif tokenGen == current - 1 and now - rotatedAt <= tonumber(ARGV[3]) then
  status, newGen = 2, current
else
  redis.call('HSET', fk, 'revoked', '1')
  redis.call('PUBLISH', ARGV[6], t[1])
  return {3}
end
redis.call('HSET', KEYS[2], 'family', t[1], 'gen', tostring(newGen))
local ttl = redis.call('PTTL', fk)
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return {status, t[1], newGen, f[6], f[7]}
)lua";

// KEYS: token. ARGV: client id, family key prefix, channel. 1 when its family was revoked.
inline constexpr const char* kRevokeRefresh = R"lua(
local family = redis.call('HGET', KEYS[1], 'family')
if not family then return 0 end
local fk = ARGV[2] .. family
if redis.call('HGET', fk, 'client') ~= ARGV[1] then return 0 end
redis.call('HSET', fk, 'revoked', '1')
redis.call('PUBLISH', ARGV[3], family)
return 1
)lua";

// KEYS: family. ARGV: client id ("" = whoever owns it), family id, channel. 1 when revoked.
inline constexpr const char* kRevokeFamily = R"lua(
local owner = redis.call('HGET', KEYS[1], 'client')
if not owner then return 0 end
if ARGV[1] ~= '' and owner ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'revoked', '1')
redis.call('PUBLISH', ARGV[3], ARGV[2])
return 1
)lua";

// KEYS: family. ARGV: the scopes it keeps (space-separated), family id, channel.
inline constexpr const char* kNarrowFamily = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'scopes', ARGV[1])
  redis.call('PUBLISH', ARGV[3], ARGV[2])
end
return 0
)lua";

// KEYS: the signing key. ARGV: a new key. Stores it unless one is there; returns the one stored.
inline constexpr const char* kSigningKeyIfAbsent = R"lua(
redis.call('SET', KEYS[1], ARGV[1], 'NX')
return redis.call('GET', KEYS[1])
)lua";

}  // namespace mcph::auth::server::redis_scripts
