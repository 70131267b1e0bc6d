/**
 * Claimants' calls for help from a kiosk outside the call ("Bantuan"): each booth's open request,
 * kept per branch in Redis so every server process and every supervisor of the branch sees the
 * same, until a supervisor clears it or nobody did for the request's lifetime (the claimant has
 * most likely gone). A booth asking again keeps its first time, since how long the claimant has
 * been waiting for someone is what staff need to see, and starts the lifetime afresh, since the
 * claimant is evidently still there. Clearing and expiry are both audited.
 */
import type { HelpRequestView } from '@bilik/shared';
import type { Redis } from 'ioredis';
import { recordAudit, type AuditActor, type AuditEvent } from '../audit/auditLog.js';
import type { Queryable } from '../db/database.js';

/** The branch's open requests: booth id → `<first asked ms>:<last asked ms>` by Redis's clock. */
export const helpKey = (branchId: string): string => `bilik:help:${branchId}`;

/**
 * Lua: the Redis time in ms, and the (first, last) times of a stored request. A value of earlier
 * versions holds the first time alone, which is then the last as well.
 */
const PRELUDE = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local function times(value)
  local first, last = string.match(value, '^(%d+):(%d+)$')
  if first then return tonumber(first), tonumber(last) end
  return tonumber(value), tonumber(value)
end
`;

/**
 * Removes the requests of KEYS[1] last asked ARGV[1] ms ago or longer, and returns them as a flat
 * list of booth id, stored value. Atomic, so however many processes sweep at once, each expired
 * request is returned (and audited) by one of them only.
 */
const SWEEP = `${PRELUDE}
local expired = {}
local open = redis.call('HGETALL', KEYS[1])
for i = 1, #open, 2 do
  local _, last = times(open[i + 1])
  if last == nil or now - last >= tonumber(ARGV[1]) then
    redis.call('HDEL', KEYS[1], open[i])
    table.insert(expired, open[i])
    table.insert(expired, open[i + 1])
  end
end
return expired
`;

/**
 * Records booth ARGV[1]'s ask in KEYS[1] with lifetime ARGV[2] ms: a request still open keeps its
 * first time. The branch's key lives as long as its newest ask could, a backstop that leaves
 * nothing behind in a branch nobody reads again; expiry is audited by the reads' sweep (SWEEP).
 */
const ASK = `${PRELUDE}
local lifetime = tonumber(ARGV[2])
local first = now
local held = redis.call('HGET', KEYS[1], ARGV[1])
if held then
  local heldFirst, heldLast = times(held)
  if heldFirst and heldLast and now - heldLast < lifetime then first = heldFirst end
end
redis.call('HSET', KEYS[1], ARGV[1], first .. ':' .. now)
redis.call('PEXPIRE', KEYS[1], lifetime * 2)
`;

/** Removes booth ARGV[1]'s request from KEYS[1]; returns its stored value, or false when it had none. */
const TAKE = `
local held = redis.call('HGET', KEYS[1], ARGV[1])
if held then redis.call('HDEL', KEYS[1], ARGV[1]) end
return held
`;

export interface HelpRequestsDeps {
  redis: Redis;
  /** Where clearing and expiry are audited. */
  db: Queryable;
  /** How long after the booth's last ask an uncleared request disappears. */
  lifetimeMs: number;
}

export class HelpRequests {
  constructor(private readonly deps: HelpRequestsDeps) {}

  /** Records that the booth asks for help, keeping the first time of a request still open. */
  async request(branchId: string, boothId: string): Promise<void> {
    await this.sweep(branchId);
    await this.deps.redis.eval(ASK, 1, helpKey(branchId), boothId, this.deps.lifetimeMs);
  }

  /** The branch's open requests, the oldest first; those past their lifetime are closed (and audited) first. */
  async ofBranch(branchId: string): Promise<HelpRequestView[]> {
    await this.sweep(branchId);
    const open = await this.deps.redis.hgetall(helpKey(branchId));
    return Object.entries(open)
      .map(([boothId, value]) => ({ boothId, at: firstAskOf(value) }))
      .sort((a, b) => a.at - b.at || a.boothId.localeCompare(b.boothId))
      .map(({ boothId, at }) => ({ boothId, requestedAt: new Date(at).toISOString() }));
  }

  /** Closes the booth's request because `actor` went to it, auditing who and when; whether there was one. */
  async clear(branchId: string, boothId: string, actor: AuditActor): Promise<boolean> {
    const held = (await this.deps.redis.eval(TAKE, 1, helpKey(branchId), boothId)) as string | null;
    if (held === null) return false;
    await this.audited(branchId, boothId, held, { actor, action: 'help.cleared' });
    return true;
  }

  /**
   * Closes the branch's requests past their lifetime and audits each as expired. Done when the
   * requests are read or added rather than by a timer per request: the supervisor page reads them
   * every few seconds, so the audit's time is the expiry's to within a poll. A branch nobody reads
   * or asks in again loses its key to the Redis TTL unaudited.
   */
  private async sweep(branchId: string): Promise<void> {
    const expired = (await this.deps.redis.eval(SWEEP, 1, helpKey(branchId), this.deps.lifetimeMs)) as string[];
    for (let i = 0; i < expired.length; i += 2) {
      await this.audited(branchId, expired[i]!, expired[i + 1]!, { actor: { kind: 'system' }, action: 'help.expired' });
    }
  }

  /**
   * Audits the end of a request already taken out of Redis. If the audit cannot be written the
   * request is put back, so that no request ends unaudited; the next clear or sweep tries again.
   */
  private async audited(branchId: string, boothId: string, held: string, event: Pick<AuditEvent, 'actor' | 'action'>): Promise<void> {
    try {
      await recordAudit(this.deps.db, {
        ...event,
        subject: boothId,
        detail: { branchId, requestedAt: new Date(firstAskOf(held)).toISOString() },
      });
    } catch (error) {
      await this.deps.redis.hsetnx(helpKey(branchId), boothId, held);
      throw error;
    }
  }
}

/** The first ask's time (ms) of a stored value, either `<first>:<last>` or an earlier version's `<first>`. */
function firstAskOf(value: string): number {
  return Number(value.split(':')[0]);
}
