-- Commits a fold only if the account's version is the one it was computed from, so two scorers
-- never both count the same pending prompts. Profile, score, the pending-list trim, the score index,
-- a tier-raise event (the outbox), the link keys and the fleet monitors change together; the account
-- leaves the dirty set only if no prompt arrived meanwhile (store.lua adds to both atomically).
-- The monitors count each prompt once ever ('f' on the prompt), so a profile rebuilt from stored
-- prompts does not count them again.
-- KEYS: account, pending, links, scores, events, dirty, fleet young, releases; then per fleet entry
--       of ARGV[12]: its prompt, its young-hour set (when it has an hour), and per release the
--       exposed and adopted sets.
-- ARGV: accountId, expected version, consumed, profile, score, tier, evidence, scoredAt,
--       event data ('' for none), behaviour ('' for none), outbox max length, fleet entries JSON
--       [{h: hour|false, t: output tokens, r: [[release, adopted 0|1]]}], then link key/count pairs.
local acct, pending, links, scores, events, dirty, young, releases = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local aid, expected, consumed = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local v = tonumber(redis.call('HGET', acct, 'v') or '0')
if v ~= expected then return 0 end
redis.call('HSET', acct, 'v', v + 1, 'profile', ARGV[4], 'score', ARGV[5], 'tier', ARGV[6], 'evidence', ARGV[7], 'scoredAt', ARGV[8])
redis.call('LTRIM', pending, consumed, -1)
redis.call('ZADD', scores, ARGV[5], aid)
if ARGV[9] ~= '' then
  redis.call('XADD', events, 'MAXLEN', '~', ARGV[11], '*', 'type', 'account.tier_raised', 'data', ARGV[9])
end
if ARGV[10] ~= '' then redis.call('HSET', acct, 'b', ARGV[10]) end
local k = 9
for _, c in ipairs(cjson.decode(ARGV[12])) do
  local prompt = KEYS[k]
  k = k + 1
  local hourSet = nil
  if c.h then
    hourSet = KEYS[k]
    k = k + 1
  end
  local first = redis.call('HSETNX', prompt, 'f', '1') == 1
  if first and hourSet then
    redis.call('HINCRBY', young, c.h, 1)
    redis.call('HINCRBY', young, c.h .. ':t', c.t)
    redis.call('ZINCRBY', hourSet, 1, aid)
  end
  for _, r in ipairs(c.r) do
    if first then
      redis.call('SADD', releases, r[1])
      redis.call('SADD', KEYS[k], aid)
      if r[2] == 1 then redis.call('SADD', KEYS[k + 1], aid) end
    end
    k = k + 2
  end
end
for i = 13, #ARGV, 2 do redis.call('HINCRBY', links, ARGV[i], ARGV[i + 1]) end
if redis.call('LLEN', pending) == 0 then redis.call('SREM', dirty, aid) end
return 1
