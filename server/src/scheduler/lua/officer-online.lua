-- An officer's console connected: available (unless paused or in wrap-up before), serving these queues.
-- KEYS: [1] the officer, [2] the deadlines, [3] the set of all queues.
-- ARGV: [2] officer, [3] capacity, [4] queues (space-separated), [5] connection.
local officer, all_queues = KEYS[1], KEYS[3]
DEADLINES = KEYS[2]
local o, capacity, queues, conn = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local state = field(officer, 'state')
if state == nil or state == 'offline' then state = 'available' end
local was_away = field(officer, 'away')
for _, q in ipairs(split(field(officer, 'queues'))) do redis.call('SREM', queue_officers_key(q), o) end
redis.call('HSET', officer, 'state', state, 'capacity', capacity, 'queues', queues, 'conn', conn)
redis.call('HDEL', officer, 'away')
redis.call('ZREM', DEADLINES, 'o:' .. o)
for _, q in ipairs(split(queues)) do
  redis.call('SADD', queue_officers_key(q), o)
  redis.call('SADD', all_queues, q)
  emit({ type = 'queue', queueId = q })
end
if was_away then tell_booths_of(o) end
emit({ type = 'work', officerId = o })
match(split(queues))
