-- Commits a fold only if the account's version is the one it was computed from, so two scorers
-- never both count the same pending prompts. Profile, score, the pending-list trim, the link keys
-- and the outbox entry change together; the account leaves the dirty set only if no prompt arrived
-- meanwhile (store.lua adds to both atomically).
-- Keys read across accounts (the score index, events, fleet monitors) may live in another cluster
-- slot, so this script only appends its effects on them to the shard's outbox; effects-relay.ts
-- applies each entry there exactly once, in order.
-- The monitors count each prompt once ever ('f' on the prompt), so a profile rebuilt from stored
-- prompts does not count them again: only first-counted entries go into the outbox entry.
-- KEYS: account, pending, links, outbox, dirty; then per fleet entry of ARGV[11]: its prompt.
-- ARGV: accountId, expected version, consumed, profile, score, tier, evidence, scoredAt,
--       event data ('' for none), behaviour ('' for none), fleet entries JSON
--       [{h: hour|false, t: output tokens, r: [[release, adopted 0|1]]}], then link key/count pairs.
local acct, pending, links, outbox, dirty = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local aid, expected, consumed = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local v = tonumber(redis.call('HGET', acct, 'v') or '0')
if v ~= expected then return 0 end
redis.call('HSET', acct, 'v', v + 1, 'profile', ARGV[4], 'score', ARGV[5], 'tier', ARGV[6], 'evidence', ARGV[7], 'scoredAt', ARGV[8])
redis.call('LTRIM', pending, consumed, -1)
if ARGV[10] ~= '' then redis.call('HSET', acct, 'b', ARGV[10]) end
local counted = {}
for i, c in ipairs(cjson.decode(ARGV[11])) do
  if redis.call('HSETNX', KEYS[5 + i], 'f', '1') == 1 then counted[#counted + 1] = c end
end
local fleet = '[]'
if #counted > 0 then fleet = cjson.encode(counted) end
redis.call('XADD', outbox, '*', 'k', 'fold', 'a', aid, 's', ARGV[5], 'e', ARGV[9], 'f', fleet)
for i = 12, #ARGV, 2 do redis.call('HINCRBY', links, ARGV[i], ARGV[i + 1]) end
if redis.call('LLEN', pending) == 0 then redis.call('SREM', dirty, aid) end
return 1
