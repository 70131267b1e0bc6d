-- A server process's lease ran out: it died without closing its sockets (SIGKILL, a lost host).
-- Each connection it held goes away as if its socket had closed, so the normal grace periods
-- follow. The registration is claimed and the held set deleted in this one step, so however
-- many processes reap at once, only one reaps, and a process that renewed its lease in time is
-- never reaped.
-- KEYS: [1] the process's lease `bilik:presence:lease:<process>` (present while it lives),
-- [2] the connections it held `bilik:presence:held:<process>` (set of JSON [kind, id, conn],
-- kind booth|officer), [3] the set of processes `bilik:presence:processes`, [4] the deadlines.
-- ARGV: [2] process, [3] grace period (ms).
local lease, held, processes = KEYS[1], KEYS[2], KEYS[3]
DEADLINES = KEYS[4]
local p, grace_ms = ARGV[2], tonumber(ARGV[3])
if redis.call('EXISTS', lease) == 1 or redis.call('SREM', processes, p) == 0 then return cjson.encode(events) end
local connections = redis.call('SMEMBERS', held)
for _, member in ipairs(connections) do
  local kind, id, conn = unpack(cjson.decode(member))
  if kind == 'booth' then
    booth_away(booth_key(id), id, conn, grace_ms)
  elseif kind == 'officer' then
    officer_away(officer_key(id), id, conn, grace_ms)
  end
end
redis.call('DEL', held)
emit({ type = 'reaped', processId = p, connections = #connections })
