-- The officer hands the claimant at one of their booths to another officer serving the visit's
-- queue, or back to the front of that queue for anyone else. The visit keeps its id, queue and
-- booth; the officer's seat is free at once. A claimant handed to an officer is seated at once
-- if the officer has room, else waits, ahead of every queue, for that officer's next free seat.
-- KEYS: [1] the booth's visit, [2] the officer handing over, [3] the deadlines.
-- ARGV: [2] officer, [3] booth, [4] the receiving officer ('' for the queue), [5] the hand-over's
-- JSON for the receiving console (transfer field).
local visit_key, officer = KEYS[1], KEYS[2]
DEADLINES = KEYS[3]
local o, b, target, handover = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if field(visit_key, 'officer') ~= o or field(visit_key, 'state') ~= 'assigned' then
  return cjson.encode({ refused = 'not_assigned' })
end
local q = field(visit_key, 'queue')
local officers = queue_officers_key(q)
if target == o then return cjson.encode({ refused = 'transfer_to_self' }) end
if target ~= '' then
  local state = field(officer_key(target), 'state')
  if state == nil or state == 'offline' or redis.call('SISMEMBER', officers, target) == 0 then
    return cjson.encode({ refused = 'target_off_duty' })
  end
elseif redis.call('SCARD', officers) - redis.call('SISMEMBER', officers, o) == 0 then
  return cjson.encode({ refused = 'no_other_officer' })
end
redis.call('SREM', officer_booths_key(o), b)
redis.call('HSET', visit_key, 'state', 'waiting', 'from', o, 'transferredAt', NOW, 'transfer', handover)
redis.call('HDEL', visit_key, 'officer', 'assignedAt', 'for', 'avoid')
if target ~= '' then
  redis.call('HSET', visit_key, 'for', target)
  redis.call('ZADD', handed_key(target), NOW, b)
  emit({ type = 'work', officerId = target })
else
  redis.call('HSET', visit_key, 'avoid', o)
  redis.call('ZADD', queue_key(q), queue_score(b), b)
end
emit({ type = 'transferred', boothId = b, visitId = field(visit_key, 'visit'), fromOfficerId = o, queueId = q })
emit({ type = 'work', officerId = o })
emit({ type = 'queue', queueId = q })
emit({ type = 'booth', boothId = b })
match({ q })
