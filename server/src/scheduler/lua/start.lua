-- The claimant chose a service: the booth joins its queue (once; pressing again changes nothing).
-- KEYS: [1] the booth's visit, [2] its queue, [3] the set of all queues.
-- ARGV: [2] booth, [3] queue, [4] service, [5] ticket, [6] priority (1|0), [7] visit id, [8] connection.
local visit_key, queue, all_queues = KEYS[1], KEYS[2], KEYS[3]
local b, q, service, ticket, priority, visit, conn = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
if field(visit_key, 'state') == nil then
  redis.call('HSET', visit_key, 'state', 'waiting', 'queue', q, 'service', service, 'ticket', ticket,
    'priority', priority, 'since', NOW, 'visit', visit, 'conn', conn)
  redis.call('ZADD', queue, queue_score(b), b)
  redis.call('SADD', all_queues, q)
  emit({ type = 'queue', queueId = q })
  match({ q })
end
emit({ type = 'booth', boothId = b })
