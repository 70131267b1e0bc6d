-- The start of every scheduler script: the scheduler loads each script file with this prelude
-- before it and `return cjson.encode(events)` after it (scripts.ts). Key names, the clock,
-- events and matching.
--
-- ARGV[1] of every script is the statistics' time zone offset from UTC in ms; the script's own
-- arguments follow. Each script declares in KEYS the keys its change names (its booth, officer
-- or queue, the deadlines); matching then reaches further keys under the same prefix, found from
-- what it reads (the officers of a queue, the booths waiting in it, today's statistics), so the
-- scheduler needs one Redis, not a cluster.
--
-- Keys (all under `bilik:sch:`):
-- - `b:<booth>`    hash of a booth's visit: state (waiting|assigned), queue, service, ticket,
--                  priority (1|0), since (wait start, ms), visit id, officer, assignedAt,
--                  conn (its socket), away (ms, while its connection is lost). No key: idle.
--                  A visit handed over (transfer.lua) also has: from (the officer who handed
--                  it over), transferredAt (ms), transfer (JSON: note and documents, for the
--                  receiving console), and while it waits either for (the receiving officer)
--                  or avoid (handed back to the queue: anyone but this officer takes it).
-- - `q:<queue>`    sorted set of waiting booths, score = wait start, minus PRIORITY_BONUS for
--                  priority claimants: the lowest score is served first.
-- - `queues`       set of every queue ever used.
-- - `o:<officer>`  hash of an officer: state (available|paused|wrap_up|offline), capacity,
--                  queues (space-separated), lastAssigned (ms), conn, away (ms), and while
--                  paused its reason (not_ready or a break's) and pausedAt (ms), kept offline.
-- - `ob:<officer>` set of the officer's booths.
-- - `ot:<officer>` sorted set of booths handed to the officer, waiting for their next free seat,
--                  score = when handed over: served before any queue.
-- - `qo:<queue>`   set of officers signed in to serve the queue.
-- - `deadlines`    sorted set of `b:<booth>` / `o:<officer>` grace ends and `w:<officer>`
--                  wrap-up ends, score = when (ms).
-- - `st:<queue>:<day>`, `sw:…`, `ss:…`  today's totals, waits and session lengths (ms).
-- Server processes' presence leases are under `bilik:presence:` (reap.lua).
-- Times, and the day, come from Redis's clock, so every process agrees on them.
local P = 'bilik:sch:'
-- The sorted set of deadlines: a script that touches it declares it and sets this from its KEYS.
local DEADLINES
-- Larger than any wait start in ms, so a priority claimant is ahead of every other claimant.
local PRIORITY_BONUS = 10000000000000
local STATS_TTL_SECONDS = 3 * 24 * 3600
local t = redis.call('TIME')
local NOW = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

-- The calendar date (YYYY-MM-DD) of a day count since 1970-01-01, in the proleptic Gregorian
-- calendar (Howard Hinnant's civil_from_days).
local function civil_date(days)
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local day = doy - math.floor((153 * mp + 2) / 5) + 1
  local month = mp < 10 and mp + 3 or mp - 9
  local year = yoe + era * 400 + (month <= 2 and 1 or 0)
  return string.format('%04d-%02d-%02d', year, month, day)
end

-- Today in the statistics' time zone (ARGV[1]: its offset from UTC in ms), by the same clock as NOW.
local DAY = civil_date(math.floor((NOW + tonumber(ARGV[1])) / 86400000))

local events = {}
local function emit(event) events[#events + 1] = event end

local function booth_key(b) return P .. 'b:' .. b end
local function officer_key(o) return P .. 'o:' .. o end
local function officer_booths_key(o) return P .. 'ob:' .. o end
local function queue_key(q) return P .. 'q:' .. q end
local function queue_officers_key(q) return P .. 'qo:' .. q end
local function handed_key(o) return P .. 'ot:' .. o end

local function field(key, name)
  local value = redis.call('HGET', key, name)
  if value == false then return nil end
  return value
end

local function split(text)
  local out = {}
  if text then for item in string.gmatch(text, '[^ ]+') do out[#out + 1] = item end end
  return out
end

local function record(kind, q, ms)
  local list = P .. kind .. ':' .. q .. ':' .. DAY
  redis.call('RPUSH', list, ms)
  redis.call('EXPIRE', list, STATS_TTL_SECONDS)
  local totals = P .. 'st:' .. q .. ':' .. DAY
  redis.call('HINCRBY', totals, kind .. 'Count', 1)
  redis.call('HINCRBY', totals, kind .. 'TotalMs', ms)
  redis.call('EXPIRE', totals, STATS_TTL_SECONDS)
end

local function queue_score(b)
  local key = booth_key(b)
  -- A claimant handed back to the queue was already served once: ahead of everyone, priority
  -- claimants included, the earliest hand-over first.
  local transferred = field(key, 'transferredAt')
  if transferred then return tonumber(transferred) - 2 * PRIORITY_BONUS end
  local since = tonumber(field(key, 'since'))
  if field(key, 'priority') == '1' then return since - PRIORITY_BONUS end
  return since
end

-- The first waiting booth of a queue that is connected and not in `skip`; an away booth keeps its place but is skipped.
local function first_present(q, skip)
  local offset = 0
  while true do
    local batch = redis.call('ZRANGE', queue_key(q), offset, offset + 15)
    if #batch == 0 then return nil end
    for _, b in ipairs(batch) do
      if not field(booth_key(b), 'away') and not skip[b] then return b end
    end
    offset = offset + 16
  end
end

-- Among the queue's officers with room but `except`: fewest active sessions, then longest since last assignment.
local function pick_officer(q, except)
  local best, best_active, best_last
  for _, o in ipairs(redis.call('SMEMBERS', queue_officers_key(q))) do
    local key = officer_key(o)
    if o ~= except and field(key, 'state') == 'available' and not field(key, 'away') then
      local active = redis.call('SCARD', officer_booths_key(o))
      if active < tonumber(field(key, 'capacity')) then
        local last = tonumber(field(key, 'lastAssigned') or '0')
        if best == nil or active < best_active or (active == best_active and (last < best_last or (last == best_last and o < best))) then
          best, best_active, best_last = o, active, last
        end
      end
    end
  end
  return best
end

local function assign(b, o, q)
  local key = booth_key(b)
  redis.call('ZREM', queue_key(q), b)
  -- A claimant handed over waited once already, and that wait is in today's figures.
  if not field(key, 'transferredAt') then record('sw', q, NOW - tonumber(field(key, 'since'))) end
  redis.call('HSET', key, 'state', 'assigned', 'officer', o, 'assignedAt', NOW)
  redis.call('HDEL', key, 'avoid')
  redis.call('SADD', officer_booths_key(o), b)
  redis.call('HSET', officer_key(o), 'lastAssigned', NOW)
  emit({ type = 'assigned', boothId = b, officerId = o, queueId = q })
  emit({ type = 'queue', queueId = q })
  emit({ type = 'work', officerId = o })
end

local function has_room(o)
  local key = officer_key(o)
  return field(key, 'state') == 'available' and not field(key, 'away')
    and redis.call('SCARD', officer_booths_key(o)) < tonumber(field(key, 'capacity'))
end

-- Seats the booths handed to officer `o` (transfer.lua) while they have room, the earliest first;
-- an away booth keeps its turn but is skipped.
local function serve_handed(o)
  local handed = handed_key(o)
  local offset = 0
  while has_room(o) do
    local batch = redis.call('ZRANGE', handed, offset, offset + 15)
    if #batch == 0 then return end
    local seated = false
    for _, b in ipairs(batch) do
      if not field(booth_key(b), 'away') then
        redis.call('ZREM', handed, b)
        redis.call('HDEL', booth_key(b), 'for')
        assign(b, o, field(booth_key(b), 'queue'))
        seated = true
        break
      end
    end
    if not seated then offset = offset + 16 end
  end
end

-- Serves the given queues until no present waiting booth has an officer with room: first the
-- claimants handed to each officer of those queues, then the queues. Across queues the booth with
-- the lowest score goes first, so a shared officer serves the longest wait.
local function match(queues)
  local open = {}
  for _, q in ipairs(queues) do
    open[q] = true
    for _, o in ipairs(redis.call('SMEMBERS', queue_officers_key(q))) do serve_handed(o) end
  end
  -- Booths handed back to the queue whose former officer alone has room: the booths behind them go first.
  local skip = {}
  while true do
    local best_q, best_b, best_score
    for q in pairs(open) do
      local b = first_present(q, skip)
      if b == nil then
        open[q] = nil
      else
        local score = queue_score(b)
        if best_score == nil or score < best_score then best_q, best_b, best_score = q, b, score end
      end
    end
    if best_q == nil then return end
    local avoid = field(booth_key(best_b), 'avoid')
    local o = pick_officer(best_q, avoid)
    if o ~= nil then
      assign(best_b, o, best_q)
    elseif avoid then
      skip[best_b] = true
    else
      open[best_q] = nil
    end
  end
end

-- Ends a booth's visit, wherever it is; returns its queue and officer (nil when it had none).
local function release(b, why)
  local key = booth_key(b)
  local state = field(key, 'state')
  if state == nil then return nil, nil end
  local q = field(key, 'queue')
  local o = field(key, 'officer')
  local visit = field(key, 'visit')
  -- A visit being served says so, with what a record of it ending needs.
  local served = nil
  if o and state == 'assigned' then
    served = { officerId = o, service = field(key, 'service'), assignedAt = tonumber(field(key, 'assignedAt')) }
  elseif field(key, 'from') then
    -- Handed over and not seated again yet: it was served, by the officer who handed it over.
    served = { officerId = field(key, 'from'), service = field(key, 'service'), assignedAt = tonumber(field(key, 'transferredAt')) }
  end
  local handed_to = field(key, 'for')
  if handed_to then redis.call('ZREM', handed_key(handed_to), b) end
  redis.call('ZREM', queue_key(q), b)
  if o then
    redis.call('SREM', officer_booths_key(o), b)
    if why == 'ended' then record('ss', q, NOW - tonumber(field(key, 'assignedAt'))) end
    emit({ type = 'work', officerId = o })
  end
  redis.call('DEL', key)
  redis.call('ZREM', DEADLINES, 'b:' .. b)
  emit({ type = 'released', boothId = b, visitId = visit, officerId = o, queueId = q, reason = why, served = served })
  emit({ type = 'queue', queueId = q })
  return q, o
end

-- The officer's booths go back to their queues with their original wait, for other officers.
local function requeue_booths_of(o)
  local touched = {}
  for _, b in ipairs(redis.call('SMEMBERS', officer_booths_key(o))) do
    local key = booth_key(b)
    local q = field(key, 'queue')
    redis.call('HSET', key, 'state', 'waiting')
    redis.call('HDEL', key, 'officer', 'assignedAt')
    redis.call('ZADD', queue_key(q), queue_score(b), b)
    emit({ type = 'requeued', boothId = b, officerId = o, queueId = q })
    emit({ type = 'queue', queueId = q })
    touched[#touched + 1] = q
  end
  redis.call('DEL', officer_booths_key(o))
  return touched
end

-- Claimants handed to an officer who is gone for good wait at the front of their queues instead.
local function unhand_booths_of(o, touched)
  for _, b in ipairs(redis.call('ZRANGE', handed_key(o), 0, -1)) do
    local key = booth_key(b)
    local q = field(key, 'queue')
    redis.call('HDEL', key, 'for')
    -- As if handed back to the queue: the officer who handed it over wanted someone else.
    redis.call('HSET', key, 'avoid', field(key, 'from'))
    redis.call('ZADD', queue_key(q), queue_score(b), b)
    emit({ type = 'booth', boothId = b })
    emit({ type = 'queue', queueId = q })
    touched[#touched + 1] = q
  end
  redis.call('DEL', handed_key(o))
end

local function go_offline(o)
  local key = officer_key(o)
  local touched = requeue_booths_of(o)
  unhand_booths_of(o, touched)
  for _, q in ipairs(split(field(key, 'queues'))) do
    redis.call('SREM', queue_officers_key(q), o)
    emit({ type = 'queue', queueId = q })
  end
  redis.call('HSET', key, 'state', 'offline')
  redis.call('HDEL', key, 'away', 'conn')
  redis.call('ZREM', DEADLINES, 'o:' .. o, 'w:' .. o)
  emit({ type = 'work', officerId = o })
  match(touched)
end

local function booths_of(o)
  return redis.call('SMEMBERS', officer_booths_key(o))
end

local function tell_booths_of(o)
  for _, b in ipairs(booths_of(o)) do emit({ type = 'booth', boothId = b }) end
end

-- The booth's connection `conn` closed: its place or session is kept for the grace period.
local function booth_away(visit_key, b, conn, grace_ms)
  -- A newer connection of the same booth (a reload) has taken over; this close is old news.
  if field(visit_key, 'conn') ~= conn then return end
  redis.call('HSET', visit_key, 'away', NOW)
  redis.call('ZADD', DEADLINES, NOW + grace_ms, 'b:' .. b)
  emit({ type = 'queue', queueId = field(visit_key, 'queue') })
  local o = field(visit_key, 'officer')
  if o then emit({ type = 'work', officerId = o }) end
end

-- The officer's connection `conn` closed: their booths show "reconnecting" until the grace period ends.
local function officer_away(officer, o, conn, grace_ms)
  if field(officer, 'conn') ~= conn then return end
  redis.call('HSET', officer, 'away', NOW)
  redis.call('ZADD', DEADLINES, NOW + grace_ms, 'o:' .. o)
  tell_booths_of(o)
  for _, q in ipairs(split(field(officer, 'queues'))) do emit({ type = 'queue', queueId = q }) end
end
