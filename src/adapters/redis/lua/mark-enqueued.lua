-- After a batch's job is enqueued, its claims say so: no other batch takes them over any more.
-- A claim another batch has taken over meanwhile (after the grace period) is left alone.
-- KEYS: per sample: claim.
-- ARGV: batchId.
local prefix = ARGV[1] .. '|'
for i = 1, #KEYS do
  local claim = redis.call('GET', KEYS[i])
  if claim and string.sub(claim, 1, #prefix) == prefix then
    local marked = string.gsub(claim, '|0$', '|1')
    redis.call('SET', KEYS[i], marked, 'KEEPTTL')
  end
end
return #KEYS
