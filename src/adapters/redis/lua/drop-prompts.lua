-- Erasure and retention: the named prompts of one account leave the store, and every index through
-- the vector log. A prompt no longer the account's (dropped meanwhile) is skipped. With mode
-- 'expire' the account's count and first-seen follow what is left. The call that empties the
-- account removes its state too, and asks (through the shard's outbox, see commit-fold.lua) for its
-- id to leave the score index and the fleet monitors (their counts stay).
-- KEYS: account, account prompts, pending, links, vector log, accounts, dirty, outbox; then per
--       prompt: prompt, claim, body.
-- ARGV: accountId, mode ('delete' | 'expire'), then the promptIds.
local acct, prompts, pending, links, log, accounts, dirty, outbox = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local aid, mode = ARGV[1], ARGV[2]
local dropped = 0
for j = 3, #ARGV do
  local pid = ARGV[j]
  local k = 9 + 3 * (j - 3)
  local prompt, claim, body = KEYS[k], KEYS[k + 1], KEYS[k + 2]
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
  local existed = redis.call('DEL', acct, pending, links)
  if existed > 0 or dropped > 0 then redis.call('XADD', outbox, '*', 'k', 'drop', 'a', aid) end
  redis.call('SREM', accounts, aid)
  redis.call('SREM', dirty, aid)
elseif mode == 'expire' and dropped > 0 then
  local oldest = redis.call('ZRANGE', prompts, 0, 0, 'WITHSCORES')
  redis.call('HSET', acct, 'first', oldest[2])
end
return {dropped, left}
