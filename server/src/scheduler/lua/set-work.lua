-- The officer takes new booths again (available) or pauses for a break, with its reason and since
-- when (kept while they are gone, however long: officer-online.lua); either ends wrap-up.
-- KEYS: [1] the officer, [2] the deadlines.
-- ARGV: [2] officer, [3] available|paused, [4] the break's reason (paused only).
local officer = KEYS[1]
DEADLINES = KEYS[2]
local o, state, reason = ARGV[2], ARGV[3], ARGV[4]
local current = field(officer, 'state')
if current == nil or current == 'offline' then return cjson.encode({ refused = 'offline' }) end
redis.call('HSET', officer, 'state', state)
if state == 'paused' then
  -- Asking again for the same break keeps its clock.
  if field(officer, 'pause') ~= reason then redis.call('HSET', officer, 'pause', reason, 'pausedAt', NOW) end
else
  redis.call('HDEL', officer, 'pause', 'pausedAt')
end
redis.call('ZREM', DEADLINES, 'w:' .. o)
emit({ type = 'work', officerId = o })
for _, q in ipairs(split(field(officer, 'queues'))) do emit({ type = 'queue', queueId = q }) end
match(split(field(officer, 'queues')))
