/**
 * The scheduler's Lua scripts. Every change of the queue, assignments or officer presence is one
 * script, and Redis runs scripts one at a time, so any number of server processes can change
 * the state at once without ever assigning past capacity or assigning one booth twice.
 *
 * Each script ends by matching waiting booths to officers in the queues its change touched, and
 * returns what happened as a JSON list of events for the caller to announce.
 *
 * Keys (all under `bilik:sch:`):
 * - `b:<booth>`   hash of a booth's visit: state (waiting|assigned), queue, service, ticket,
 *                 priority (1|0), since (wait start, ms), visit id, officer, assignedAt,
 *                 conn (its socket), away (ms, while its connection is lost). No key: idle.
 * - `q:<queue>`   sorted set of waiting booths, score = wait start, minus PRIORITY_BONUS for
 *                 priority claimants: the lowest score is served first.
 * - `o:<officer>` hash of an officer: state (available|paused|wrap_up|offline), capacity,
 *                 queues (space-separated), lastAssigned (ms), conn, away (ms).
 * - `ob:<officer>` set of the officer's booths.
 * - `qo:<queue>`  set of officers signed in to serve the queue.
 * - `deadlines`   sorted set of `b:<booth>` / `o:<officer>` grace ends and `w:<officer>`
 *                 wrap-up ends, score = when (ms).
 * - `st:<queue>:<day>`, `sw:…`, `ss:…`  today's totals, waits and session lengths (ms).
 * Times come from Redis's clock, so every process agrees on them.
 */

/** Shared by every script: key names, the clock, events and matching. ARGV[1] is today's date. */
const PRELUDE = `
local P = 'bilik:sch:'
local DEADLINES = P .. 'deadlines'
local QUEUES = P .. 'queues'
-- Larger than any wait start in ms, so a priority claimant is ahead of every other claimant.
local PRIORITY_BONUS = 10000000000000
local STATS_TTL_SECONDS = 3 * 24 * 3600
local DAY = ARGV[1]
local t = redis.call('TIME')
local NOW = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local events = {}
local function emit(event) events[#events + 1] = event end

local function booth_key(b) return P .. 'b:' .. b end
local function officer_key(o) return P .. 'o:' .. o end
local function officer_booths_key(o) return P .. 'ob:' .. o end
local function queue_key(q) return P .. 'q:' .. q end
local function queue_officers_key(q) return P .. 'qo:' .. q end

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
  local since = tonumber(field(key, 'since'))
  if field(key, 'priority') == '1' then return since - PRIORITY_BONUS end
  return since
end

-- The first waiting booth of a queue that is connected; an away booth keeps its place but is skipped.
local function first_present(q)
  local offset = 0
  while true do
    local batch = redis.call('ZRANGE', queue_key(q), offset, offset + 15)
    if #batch == 0 then return nil end
    for _, b in ipairs(batch) do
      if not field(booth_key(b), 'away') then return b end
    end
    offset = offset + 16
  end
end

-- Among the queue's officers with room: fewest active sessions, then longest since last assignment.
local function pick_officer(q)
  local best, best_active, best_last
  for _, o in ipairs(redis.call('SMEMBERS', queue_officers_key(q))) do
    local key = officer_key(o)
    if field(key, 'state') == 'available' and not field(key, 'away') then
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
  redis.call('HSET', key, 'state', 'assigned', 'officer', o, 'assignedAt', NOW)
  redis.call('SADD', officer_booths_key(o), b)
  redis.call('HSET', officer_key(o), 'lastAssigned', NOW)
  record('sw', q, NOW - tonumber(field(key, 'since')))
  emit({ type = 'assigned', boothId = b, officerId = o, queueId = q })
  emit({ type = 'queue', queueId = q })
  emit({ type = 'work', officerId = o })
end

-- Serves the given queues until no present waiting booth has an officer with room. Across
-- queues the booth with the lowest score goes first, so a shared officer serves the longest wait.
local function match(queues)
  local open = {}
  for _, q in ipairs(queues) do open[q] = true end
  while true do
    local best_q, best_b, best_score
    for q in pairs(open) do
      local b = first_present(q)
      if b == nil then
        open[q] = nil
      else
        local score = queue_score(b)
        if best_score == nil or score < best_score then best_q, best_b, best_score = q, b, score end
      end
    end
    if best_q == nil then return end
    local o = pick_officer(best_q)
    if o == nil then open[best_q] = nil else assign(best_b, o, best_q) end
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
  redis.call('ZREM', queue_key(q), b)
  if o then
    redis.call('SREM', officer_booths_key(o), b)
    if why == 'ended' then record('ss', q, NOW - tonumber(field(key, 'assignedAt'))) end
    emit({ type = 'work', officerId = o })
  end
  redis.call('DEL', key)
  redis.call('ZREM', DEADLINES, 'b:' .. b)
  emit({ type = 'released', boothId = b, visitId = visit, officerId = o, queueId = q, reason = why })
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

local function go_offline(o)
  local key = officer_key(o)
  local touched = requeue_booths_of(o)
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
`;

/** The claimant chose a service: the booth joins its queue (once; pressing again changes nothing). */
const START = `
local b, q, service, ticket, priority, visit, conn = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local key = booth_key(b)
if field(key, 'state') == nil then
  redis.call('HSET', key, 'state', 'waiting', 'queue', q, 'service', service, 'ticket', ticket,
    'priority', priority, 'since', NOW, 'visit', visit, 'conn', conn)
  redis.call('ZADD', queue_key(q), queue_score(b), b)
  redis.call('SADD', QUEUES, q)
  emit({ type = 'queue', queueId = q })
  match({ q })
end
emit({ type = 'booth', boothId = b })
`;

/** The claimant left the queue before being served; a booth already assigned stays with its officer. */
const CANCEL = `
local b = ARGV[2]
if field(booth_key(b), 'state') == 'waiting' then release(b, 'cancelled') end
emit({ type = 'booth', boothId = b })
`;

/** The officer ended the session: the slot is free at once; the officer goes to wrap-up if enabled. */
const END_SESSION = `
local o, b, wrap_up_ms = ARGV[2], ARGV[3], tonumber(ARGV[4])
if field(booth_key(b), 'officer') ~= o or field(booth_key(b), 'state') ~= 'assigned' then
  return cjson.encode({ refused = 'not_assigned' })
end
release(b, 'ended')
local key = officer_key(o)
if wrap_up_ms > 0 and field(key, 'state') == 'available' then
  redis.call('HSET', key, 'state', 'wrap_up')
  redis.call('ZADD', DEADLINES, NOW + wrap_up_ms, 'w:' .. o)
end
match(split(field(key, 'queues')))
`;

/** The booth's socket closed: its place or session is kept for the grace period. */
const BOOTH_AWAY = `
local b, conn, grace_ms = ARGV[2], ARGV[3], tonumber(ARGV[4])
local key = booth_key(b)
-- A newer connection of the same booth (a reload) has taken over; this close is old news.
if field(key, 'conn') ~= conn then return cjson.encode(events) end
redis.call('HSET', key, 'away', NOW)
redis.call('ZADD', DEADLINES, NOW + grace_ms, 'b:' .. b)
emit({ type = 'queue', queueId = field(key, 'queue') })
local o = field(key, 'officer')
if o then emit({ type = 'work', officerId = o }) end
`;

/** A booth (re)connected: it resumes its place or session if it is still within its grace period. */
const BOOTH_BACK = `
local b, conn = ARGV[2], ARGV[3]
local key = booth_key(b)
if field(key, 'state') ~= nil then
  redis.call('HSET', key, 'conn', conn)
  if field(key, 'away') then
    redis.call('HDEL', key, 'away')
    redis.call('ZREM', DEADLINES, 'b:' .. b)
    local q = field(key, 'queue')
    emit({ type = 'queue', queueId = q })
    local o = field(key, 'officer')
    if o then emit({ type = 'work', officerId = o }) else match({ q }) end
  end
end
emit({ type = 'booth', boothId = b })
`;

/** An officer's console connected: available (unless paused or in wrap-up before), serving these queues. */
const OFFICER_ONLINE = `
local o, capacity, queues, conn = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local key = officer_key(o)
local state = field(key, 'state')
if state == nil or state == 'offline' then state = 'available' end
local was_away = field(key, 'away')
for _, q in ipairs(split(field(key, 'queues'))) do redis.call('SREM', queue_officers_key(q), o) end
redis.call('HSET', key, 'state', state, 'capacity', capacity, 'queues', queues, 'conn', conn)
redis.call('HDEL', key, 'away')
redis.call('ZREM', DEADLINES, 'o:' .. o)
for _, q in ipairs(split(queues)) do
  redis.call('SADD', queue_officers_key(q), o)
  redis.call('SADD', QUEUES, q)
  emit({ type = 'queue', queueId = q })
end
if was_away then tell_booths_of(o) end
emit({ type = 'work', officerId = o })
match(split(queues))
`;

/** The officer's console closed: their booths show "reconnecting" until the grace period ends. */
const OFFICER_AWAY = `
local o, conn, grace_ms = ARGV[2], ARGV[3], tonumber(ARGV[4])
local key = officer_key(o)
if field(key, 'conn') ~= conn then return cjson.encode(events) end
redis.call('HSET', key, 'away', NOW)
redis.call('ZADD', DEADLINES, NOW + grace_ms, 'o:' .. o)
tell_booths_of(o)
for _, q in ipairs(split(field(key, 'queues'))) do emit({ type = 'queue', queueId = q }) end
`;

/** The officer takes new booths again (available) or pauses for a break; either ends wrap-up. */
const SET_WORK = `
local o, state = ARGV[2], ARGV[3]
local key = officer_key(o)
local current = field(key, 'state')
if current == nil or current == 'offline' then return cjson.encode({ refused = 'offline' }) end
redis.call('HSET', key, 'state', state)
redis.call('ZREM', DEADLINES, 'w:' .. o)
emit({ type = 'work', officerId = o })
for _, q in ipairs(split(field(key, 'queues'))) do emit({ type = 'queue', queueId = q }) end
match(split(field(key, 'queues')))
`;

/** A supervisor changed the officer's capacity; lowering it ends no session, it only stops new ones. */
const SET_CAPACITY = `
local o, capacity = ARGV[2], ARGV[3]
local key = officer_key(o)
if field(key, 'state') == nil then return cjson.encode(events) end
redis.call('HSET', key, 'capacity', capacity)
emit({ type = 'work', officerId = o })
for _, q in ipairs(split(field(key, 'queues'))) do emit({ type = 'queue', queueId = q }) end
match(split(field(key, 'queues')))
`;

/** Ends what is due: booths and officers whose grace period ran out, wrap-ups that are over. */
const EXPIRE = `
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
    match(split(field(officer_key(id), 'queues')))
  end
end
`;

const RETURN_EVENTS = `
return cjson.encode(events)
`;

function script(body: string): string {
  return PRELUDE + body + RETURN_EVENTS;
}

/** The scripts by command name, as ioredis `defineCommand` takes them. */
export const SCHEDULER_SCRIPTS = {
  schedulerStart: script(START),
  schedulerCancel: script(CANCEL),
  schedulerEndSession: script(END_SESSION),
  schedulerBoothAway: script(BOOTH_AWAY),
  schedulerBoothBack: script(BOOTH_BACK),
  schedulerOfficerOnline: script(OFFICER_ONLINE),
  schedulerOfficerAway: script(OFFICER_AWAY),
  schedulerSetWork: script(SET_WORK),
  schedulerSetCapacity: script(SET_CAPACITY),
  schedulerExpire: script(EXPIRE),
} as const;

export type SchedulerScriptName = keyof typeof SCHEDULER_SCRIPTS;

/** The key prefix of everything the scheduler keeps in Redis. */
export const SCHEDULER_PREFIX = 'bilik:sch:';
