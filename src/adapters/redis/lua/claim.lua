-- Decides at submission which samples are new. A claim names the batch that will store the sample,
-- when it was made, and whether that batch's job was enqueued (mark-enqueued.lua). Another batch may
-- take a claim over only when its batch never got enqueued and the claim is older than the grace
-- period: the claimer's request failed before it enqueued, so a client that re-batches after an
-- error loses nothing. A younger claim not yet enqueued is answered "pending" (2): its request is
-- probably between claiming and enqueueing, and the caller asks again shortly rather than guessing.
-- Returns per sample 0 (duplicate: stored or held by an enqueued batch), 1 (new: claimed now), 2.
-- KEYS: per sample: prompt, claim.
-- ARGV: batchId, now (ms), grace (ms).
local batch, now, grace = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {}
for i = 1, #KEYS, 2 do
  local verdict = 0
  if redis.call('EXISTS', KEYS[i]) == 0 then
    local claim = redis.call('GET', KEYS[i + 1])
    local holder, at, enqueued = nil, 0, '0'
    if claim then holder, at, enqueued = string.match(claim, '^([^|]*)|(%d+)|([01])$') end
    if not holder or holder == batch then
      verdict = 1
    elseif enqueued == '0' then
      if now - tonumber(at) >= grace then verdict = 1 else verdict = 2 end
    end
    if verdict == 1 then redis.call('SET', KEYS[i + 1], batch .. '|' .. now .. '|0') end
  end
  out[#out + 1] = verdict
end
return out
