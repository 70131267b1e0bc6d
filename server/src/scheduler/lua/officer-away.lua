-- The officer's console closed: their booths show "reconnecting" until the grace period ends.
-- KEYS: [1] the officer, [2] the deadlines.
-- ARGV: [2] officer, [3] the connection that closed, [4] grace period (ms).
local officer = KEYS[1]
DEADLINES = KEYS[2]
local o, conn, grace_ms = ARGV[2], ARGV[3], tonumber(ARGV[4])
if field(officer, 'conn') ~= conn then return cjson.encode(events) end
redis.call('HSET', officer, 'away', NOW)
redis.call('ZADD', DEADLINES, NOW + grace_ms, 'o:' .. o)
tell_booths_of(o)
for _, q in ipairs(split(field(officer, 'queues'))) do emit({ type = 'queue', queueId = q }) end
