-- Commits a chunk of embedded samples. For every sample either all of (record, label, account
-- counters, the account's pending-score entry, index-log entry) exist or none do; the existence
-- check on the record makes a re-run after a crash, or the same promptId from a concurrent batch,
-- a no-op.
-- All keys are of one shard (schema.ts): the samples' accounts all hash to it.
-- KEYS: meta, label sequence, vector log, accounts set, dirty set; then per sample: prompt, claim,
--       account, account pending, account prompts, body.
-- ARGV: batchId, model, dimension, shard count, this shard; then per sample: promptId, accountId,
--       ts, text, vector, body (text and metadata, compressed; '' when the prompt archive holds
--       it), subArea, area, highValue, confidence.
-- The record hash holds only short fields, so Redis keeps it in its compact encoding; the text and
-- metadata live in the body string beside it.
local meta, seq, log, accounts, dirty = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local batch, model, dim, shards, shard = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local held = redis.call('HGET', meta, 'model')
if not held then
  redis.call('HSET', meta, 'model', model, 'dim', dim)
elseif held ~= model then
  return redis.error_reply('MODEL_MISMATCH vectors in this store come from ' .. held .. ', not ' .. model)
end
local stored = 0
local n = (#ARGV - 5) / 10
for j = 0, n - 1 do
  local a = 6 + j * 10
  local k = 6 + j * 6
  local pid, aid, ts = ARGV[a], ARGV[a + 1], ARGV[a + 2]
  local prompt, claim, acct, pending, prompts, body = KEYS[k], KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4], KEYS[k + 5]
  if redis.call('EXISTS', prompt) == 0 then
    -- Shards number their labels apart: no two prompts anywhere share one.
    local label = redis.call('INCR', seq) * shards + shard
    redis.call('HSET', prompt, 'a', aid, 't', ts, 'l', label, 'b', batch,
      'c', ARGV[a + 6], 'r', ARGV[a + 7], 'h', ARGV[a + 8], 'q', ARGV[a + 9])
    if ARGV[a + 5] ~= '' then redis.call('SET', body, ARGV[a + 5]) end
    redis.call('HINCRBY', acct, 'n', 1)
    local first = redis.call('HGET', acct, 'first')
    if not first or tonumber(ts) < tonumber(first) then redis.call('HSET', acct, 'first', ts) end
    local last = redis.call('HGET', acct, 'last')
    if not last or tonumber(ts) > tonumber(last) then redis.call('HSET', acct, 'last', ts) end
    redis.call('XADD', log, '*', 'l', label, 'p', pid, 'a', aid, 'v', ARGV[a + 4], 'x', ARGV[a + 3], 't', ts, 'r', ARGV[a + 7])
    redis.call('RPUSH', pending, pid)
    redis.call('ZADD', prompts, ts, pid)
    redis.call('SADD', accounts, aid)
    redis.call('SADD', dirty, aid)
    stored = stored + 1
  end
  redis.call('DEL', claim)
end
return stored
