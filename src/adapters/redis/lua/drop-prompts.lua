-- Erasure and retention: the named prompts of one account leave the store, and every index through
-- the vector log. A prompt no longer the account's (dropped meanwhile) is skipped. With mode
-- 'expire' the account's count and first-seen follow what is left. The call that empties the
-- account removes its state too, and its id from the fleet monitors (the counts stay).
-- KEYS: account, account prompts, pending, links, vector log, scores, accounts, dirty; then per
--       prompt: prompt, claim, body; then the monitors' keys holding account ids: young-hour sorted sets,
--       then release sets.
-- ARGV: accountId, mode ('delete' | 'expire'), number of prompts, number of young-hour sets, then
--       the promptIds.
local acct, prompts, pending, links, log, scores, accounts, dirty = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local aid, mode, n, hours = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local dropped = 0
for j = 1, n do
  local pid = ARGV[4 + j]
  local prompt, claim, body = KEYS[6 + 3 * j], KEYS[7 + 3 * j], KEYS[8 + 3 * j]
  if redis.call('ZSCORE', prompts, pid) then
    local label = redis.call('HGET', prompt, 'l')
    redis.call('DEL', prompt, claim, body)
    redis.call('ZREM', prompts, pid)
    redis.call('LREM', pending, 0, pid)
    if label then redis.call('XADD', log, '*', 'd', label) end
    dropped = dropped + 1
  end
end
if mode == 'expire' and dropped > 0 then redis.call('HINCRBY', acct, 'n', -dropped) end
local left = redis.call('ZCARD', prompts)
if left == 0 then
  redis.call('DEL', acct, pending, links)
  local from = 9 + 3 * n
  for i = from, from + hours - 1 do redis.call('ZREM', KEYS[i], aid) end
  for i = from + hours, #KEYS do redis.call('SREM', KEYS[i], aid) end
  redis.call('ZREM', scores, aid)
  redis.call('SREM', accounts, aid)
  redis.call('SREM', dirty, aid)
elseif mode == 'expire' and dropped > 0 then
  local oldest = redis.call('ZRANGE', prompts, 0, 0, 'WITHSCORES')
  redis.call('HSET', acct, 'first', oldest[2])
end
return {dropped, left}
