-- A supervisor changed the officer's capacity; lowering it ends no session, it only stops new ones.
-- KEYS: [1] the officer.
-- ARGV: [2] officer, [3] capacity.
local officer = KEYS[1]
local o, capacity = ARGV[2], ARGV[3]
if field(officer, 'state') == nil then return cjson.encode(events) end
redis.call('HSET', officer, 'capacity', capacity)
emit({ type = 'work', officerId = o })
for _, q in ipairs(split(field(officer, 'queues'))) do emit({ type = 'queue', queueId = q }) end
match(split(field(officer, 'queues')))
