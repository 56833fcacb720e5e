-- Applies one shard's outbox entries (effects-relay.ts turns them into these operations) to the
-- global keys, and moves that shard's cursor past them, in one step: a relay that dies before this
-- call applies nothing, and two relays racing apply the entries once (the loser's cursor is stale).
-- KEYS: cursors (hash: shard -> last applied outbox id), then the keys the operations name.
-- ARGV: shard, the cursor the operations were planned from, the new cursor, operations JSON:
--       [op, key index (into KEYS), arguments...] with op one of zadd, zrem, zincrby, hincrby,
--       sadd, srem, xadd (arguments: maxlen, then field/value pairs).
local cursors, shard, from, to = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
if (redis.call('HGET', cursors, shard) or '0') ~= from then return 0 end
for _, op in ipairs(cjson.decode(ARGV[4])) do
  local name, key = op[1], KEYS[op[2]]
  if name == 'zadd' then redis.call('ZADD', key, op[3], op[4])
  elseif name == 'zrem' then redis.call('ZREM', key, op[3])
  elseif name == 'zincrby' then redis.call('ZINCRBY', key, op[3], op[4])
  elseif name == 'hincrby' then redis.call('HINCRBY', key, op[3], op[4])
  elseif name == 'sadd' then redis.call('SADD', key, op[3])
  elseif name == 'srem' then redis.call('SREM', key, op[3])
  elseif name == 'xadd' then redis.call('XADD', key, 'MAXLEN', '~', op[3], '*', unpack(op, 4))
  else return redis.error_reply('unknown effect ' .. tostring(name)) end
end
redis.call('HSET', cursors, shard, to)
return 1
