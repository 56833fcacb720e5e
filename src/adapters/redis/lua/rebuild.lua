-- The account's pending list becomes all of its prompts and its profile starts over, atomically, so
-- prompts arriving meanwhile (appended to both lists by store.lua) are neither lost nor folded
-- twice. The tier is kept: events still announce only raises above what was announced.
-- KEYS: account, account prompts, pending, links, dirty.
-- ARGV: accountId.
local acct, prompts, pending, links, dirty = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local ids = redis.call('ZRANGE', prompts, 0, -1)
redis.call('DEL', pending)
for i = 1, #ids, 1000 do redis.call('RPUSH', pending, unpack(ids, i, math.min(i + 999, #ids))) end
redis.call('HINCRBY', acct, 'v', 1)
redis.call('HDEL', acct, 'profile')
redis.call('DEL', links)
if #ids > 0 then redis.call('SADD', dirty, ARGV[1]) end
return #ids
