-- An officer's console connected, serving these queues. An officer who was still on duty (back
-- within the grace period) keeps their state. One coming on duty keeps a break they were on,
-- however long they were gone; otherwise they start available, or not ready (paused for
-- `not_ready`) when their console asks for it, until they say they are ready.
-- KEYS: [1] the officer, [2] the deadlines, [3] the set of all queues.
-- ARGV: [2] officer, [3] capacity, [4] queues (space-separated), [5] connection, [6] available|not_ready.
local officer, all_queues = KEYS[1], KEYS[3]
DEADLINES = KEYS[2]
local o, capacity, queues, conn, start = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local state = field(officer, 'state')
if state == nil or state == 'offline' then
  local pause = field(officer, 'pause')
  if pause and pause ~= 'not_ready' then
    state = 'paused'
  elseif start == 'not_ready' then
    state = 'paused'
    redis.call('HSET', officer, 'pause', 'not_ready', 'pausedAt', NOW)
  else
    state = 'available'
    redis.call('HDEL', officer, 'pause', 'pausedAt')
  end
end
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
