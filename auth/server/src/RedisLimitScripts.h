#pragma once
// The Lua scripts of the shared rate limits: each call is one script, so instances that check
// one key at once never both take the last token. Times are the caller's clock in milliseconds
// since the epoch (not Redis TIME, so a test can drive it); numbers travel as decimal strings.
namespace mcph::auth::server::redis_scripts {

// RedisRateLimiter: RateLimiter's token bucket. KEYS: the bucket (hash tokens, updated).
// ARGV: now, burst, tokens per window, window (ms). 1 when a token was taken, 0 when empty.
// The key lives as long as a full refill takes: gone, it reads as a full bucket.
inline constexpr const char* kTakeToken = R"lua(
local now, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local perWindow, window = tonumber(ARGV[3]), tonumber(ARGV[4])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens, updated = tonumber(b[1]), tonumber(b[2])
if not tokens or not updated then tokens, updated = burst, now end
if now > updated then
  tokens = math.min(burst, tokens + (now - updated) * perWindow / window)
  updated = now
end
local taken = 0
if tokens >= 1 then tokens, taken = tokens - 1, 1 end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens),
           'updated', string.format('%.17g', updated))
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((burst - tokens) * window / perWindow)))
return taken
)lua";

// RedisSignInBackoff: SignInBackoff::tryAttempt. KEYS: the account's record (hash failures,
// lastAttempt, nextAllowed). ARGV: now, free failures, first wait, max wait, forget after (ms).
// The wait left in ms; 0 = go ahead, the attempt already counted as a failure. The key lives
// while its failures or its wait still matter.
inline constexpr const char* kTryAttempt = R"lua(
local now, free = tonumber(ARGV[1]), tonumber(ARGV[2])
local first, max, forget = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local r = redis.call('HMGET', KEYS[1], 'failures', 'lastAttempt', 'nextAllowed')
local failures = tonumber(r[1]) or 0
local last = tonumber(r[2]) or now
local nextAllowed = tonumber(r[3]) or now
local forgotten = now - last > forget
if forgotten then failures = 0 end
if now < nextAllowed then
  if forgotten then redis.call('HSET', KEYS[1], 'failures', 0) end
  return nextAllowed - now
end
failures = failures + 1
if failures >= free then
  local doublings = math.min(failures - free, 30)
  nextAllowed = now + math.min(max, first * 2 ^ doublings)
end
redis.call('HSET', KEYS[1], 'failures', failures, 'lastAttempt', string.format('%.17g', now),
           'nextAllowed', string.format('%.17g', nextAllowed))
redis.call('PEXPIRE', KEYS[1], math.max(forget, nextAllowed - now) + 1000)
return 0
)lua";

}  // namespace mcph::auth::server::redis_scripts
