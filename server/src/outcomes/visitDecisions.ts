/**
 * A visit's one decision, claimed in Redis before anything is queued or recorded: the officer's
 * outcome (by its submission id) or a reason the visit ends without one. The claim is a single
 * `SET NX`, so whichever server process comes first wins, and a second, different decision for
 * the same visit is refused to the officer at once instead of failing later in the worker. The
 * database's unique keys stay the last word (outcomeRecorder.ts, undecidedVisits.ts).
 */
import { UNDECIDED_REASONS, type UndecidedReason } from '@bilik/shared';
import type { Redis } from 'ioredis';

/** A visit's decision as claimed. */
export type VisitDecision = { kind: 'outcome'; submissionId: string } | { kind: 'undecided'; reason: UndecidedReason };

/** The result of claiming: `claimed` also when the very same decision was claimed before (a retry). */
export type ClaimResult = { claimed: true } | { claimed: false; existing: VisitDecision };

const KEY_PREFIX = 'bilik:decision:';
/**
 * Longer than any visit lasts: a visit can only be decided while it is at its officer's desk, so
 * the claim need only outlive the visit; the record in the database outlives it for good.
 */
const CLAIM_TTL_SECONDS = 7 * 24 * 3600;
/** Deletes the claim only if it is still the given one: a compare-and-delete in one step. */
const RELEASE_IF_HELD = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

export class VisitDecisions {
  constructor(private readonly redis: Redis) {}

  /** Claims `decision` for the visit, unless another decision holds it already. */
  async claim(visitId: string, decision: VisitDecision): Promise<ClaimResult> {
    const value = encode(decision);
    const key = KEY_PREFIX + visitId;
    const set = await this.redis.set(key, value, 'EX', CLAIM_TTL_SECONDS, 'NX');
    if (set === 'OK') return { claimed: true };
    const held = await this.redis.get(key);
    // Released (its outcome failed for good) or expired between SET and GET: try again.
    if (held === null) return this.claim(visitId, decision);
    if (held === value) return { claimed: true };
    return { claimed: false, existing: decode(held) };
  }

  /**
   * Gives up the visit's claim if `decision` still holds it: its outcome could never be recorded
   * (a job that failed for good), so the officer may submit a corrected one while the visit lasts.
   */
  async release(visitId: string, decision: VisitDecision): Promise<void> {
    await this.redis.eval(RELEASE_IF_HELD, 1, KEY_PREFIX + visitId, encode(decision));
  }

  /** The visit's claimed decision, or null when it has none yet. */
  async of(visitId: string): Promise<VisitDecision | null> {
    const held = await this.redis.get(KEY_PREFIX + visitId);
    return held === null ? null : decode(held);
  }
}

function encode(decision: VisitDecision): string {
  return decision.kind === 'outcome' ? `outcome:${decision.submissionId}` : `undecided:${decision.reason}`;
}

function decode(value: string): VisitDecision {
  const [kind, detail = ''] = value.split(':', 2) as [string, string | undefined];
  if (kind === 'outcome') return { kind: 'outcome', submissionId: detail };
  const reason = UNDECIDED_REASONS.find((known) => known === detail);
  if (kind === 'undecided' && reason) return { kind: 'undecided', reason };
  throw new Error(`unreadable decision claim: ${value}`);
}

/** How a claimed decision reads in a refusal to the officer. */
export function describeDecision(decision: VisitDecision): string {
  return decision.kind === 'outcome' ? 'an outcome was already submitted' : `it was already ended without a decision (${decision.reason})`;
}
