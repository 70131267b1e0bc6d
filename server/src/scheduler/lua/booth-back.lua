-- A booth (re)connected: it resumes its place or session if it is still within its grace period.
-- KEYS: [1] the booth's visit, [2] the deadlines.
-- ARGV: [2] booth, [3] its new connection.
local visit_key = KEYS[1]
DEADLINES = KEYS[2]
local b, conn = ARGV[2], ARGV[3]
if field(visit_key, 'state') ~= nil then
  redis.call('HSET', visit_key, 'conn', conn)
  if field(visit_key, 'away') then
    redis.call('HDEL', visit_key, 'away')
    redis.call('ZREM', DEADLINES, 'b:' .. b)
    local q = field(visit_key, 'queue')
    emit({ type = 'queue', queueId = q })
    local o = field(visit_key, 'officer')
    if o then emit({ type = 'work', officerId = o }) else match({ q }) end
  end
end
emit({ type = 'booth', boothId = b })
