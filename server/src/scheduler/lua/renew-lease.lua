-- A server process joins the set of processes holding connections, or renews its lease. A process
-- that is no longer in the set was reaped (its lease ran out, e.g. while Redis was out of its
-- reach): its renewal is refused, for it to re-join and have its clients connect afresh.
-- KEYS: [1] the process's lease, [2] the set of processes.
-- ARGV: [1] process, [2] lease (ms), [3] join|renew.
-- Returns 1, or 0 when the renewal was refused.
if ARGV[3] == 'join' then
  redis.call('SADD', KEYS[2], ARGV[1])
elseif redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
