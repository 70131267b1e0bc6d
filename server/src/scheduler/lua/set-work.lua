-- The officer takes new booths again (available) or pauses for a break; either ends wrap-up.
-- KEYS: [1] the officer, [2] the deadlines.
-- ARGV: [2] officer, [3] available|paused.
local officer = KEYS[1]
DEADLINES = KEYS[2]
local o, state = ARGV[2], ARGV[3]
local current = field(officer, 'state')
if current == nil or current == 'offline' then return cjson.encode({ refused = 'offline' }) end
redis.call('HSET', officer, 'state', state)
redis.call('ZREM', DEADLINES, 'w:' .. o)
emit({ type = 'work', officerId = o })
for _, q in ipairs(split(field(officer, 'queues'))) do emit({ type = 'queue', queueId = q }) end
match(split(field(officer, 'queues')))
