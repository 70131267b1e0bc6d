-- Ends what is due: booths and officers whose grace period ran out, wrap-ups that are over.
-- KEYS: [1] the deadlines.
-- ARGV: [2] how many deadlines to end at most.
DEADLINES = KEYS[1]
local limit = tonumber(ARGV[2])
for _, member in ipairs(redis.call('ZRANGEBYSCORE', DEADLINES, '-inf', NOW, 'LIMIT', 0, limit)) do
  redis.call('ZREM', DEADLINES, member)
  local kind, id = string.match(member, '^(%a):(.+)$')
  if kind == 'b' then
    local q, o = release(id, 'timeout')
    if o then match(split(field(officer_key(o), 'queues'))) end
  elseif kind == 'o' then
    go_offline(id)
  elseif kind == 'w' and field(officer_key(id), 'state') == 'wrap_up' then
    redis.call('HSET', officer_key(id), 'state', 'available')
    emit({ type = 'work', officerId = id })
    -- The timer ran out (rather than the officer ending wrap-up): visits left unfiled get the default code.
    emit({ type = 'wrapUpEnded', officerId = id })
    match(split(field(officer_key(id), 'queues')))
  end
end
