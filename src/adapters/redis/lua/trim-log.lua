-- Records how far one index follower (a search replica) has persisted the index log, then trims the
-- log up to the slowest follower heard from within the TTL: no replica loses entries it has not
-- snapshotted yet, and one gone longer than the TTL stops holding the log back.
-- KEYS: followers (hash: id -> "lastLogId heardAtMs"), vector log.
-- ARGV: follower id, its snapshot's last log id, now (ms), ttl (ms).
local followers, log = KEYS[1], KEYS[2]
local id, last, now, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('HSET', followers, id, last .. ' ' .. now)

-- Stream ids are "ms-seq"; compare both parts as numbers.
local function older(a, b)
  local am, as = string.match(a, '^(%d+)-?(%d*)$')
  local bm, bs = string.match(b, '^(%d+)-?(%d*)$')
  if tonumber(am) ~= tonumber(bm) then return tonumber(am) < tonumber(bm) end
  return (tonumber(as) or 0) < (tonumber(bs) or 0)
end

local slowest = last
local all = redis.call('HGETALL', followers)
for i = 1, #all, 2 do
  local pos, heard = string.match(all[i + 1], '^(%S+) (%d+)$')
  if pos == nil or now - tonumber(heard) > ttl then
    redis.call('HDEL', followers, all[i])
  elseif older(pos, slowest) then
    slowest = pos
  end
end
if slowest ~= '0' then redis.call('XTRIM', log, 'MINID', slowest) end
return slowest
