-- The officer ended the session: the slot is free at once; the officer goes to wrap-up if enabled.
-- KEYS: [1] the booth's visit, [2] the officer, [3] the deadlines.
-- ARGV: [2] officer, [3] booth, [4] wrap-up (ms, 0 for none).
local visit_key, officer = KEYS[1], KEYS[2]
DEADLINES = KEYS[3]
local o, b, wrap_up_ms = ARGV[2], ARGV[3], tonumber(ARGV[4])
if field(visit_key, 'officer') ~= o or field(visit_key, 'state') ~= 'assigned' then
  return cjson.encode({ refused = 'not_assigned' })
end
release(b, 'ended')
if wrap_up_ms > 0 and field(officer, 'state') == 'available' then
  redis.call('HSET', officer, 'state', 'wrap_up')
  redis.call('ZADD', DEADLINES, NOW + wrap_up_ms, 'w:' .. o)
end
match(split(field(officer, 'queues')))
