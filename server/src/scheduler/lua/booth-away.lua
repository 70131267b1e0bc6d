-- The booth's socket closed: its place or session is kept for the grace period.
-- KEYS: [1] the booth's visit, [2] the deadlines.
-- ARGV: [2] booth, [3] the connection that closed, [4] grace period (ms).
local visit_key = KEYS[1]
DEADLINES = KEYS[2]
local b, conn, grace_ms = ARGV[2], ARGV[3], tonumber(ARGV[4])
-- A newer connection of the same booth (a reload) has taken over; this close is old news.
if field(visit_key, 'conn') ~= conn then return cjson.encode(events) end
redis.call('HSET', visit_key, 'away', NOW)
redis.call('ZADD', DEADLINES, NOW + grace_ms, 'b:' .. b)
emit({ type = 'queue', queueId = field(visit_key, 'queue') })
local o = field(visit_key, 'officer')
if o then emit({ type = 'work', officerId = o }) end
