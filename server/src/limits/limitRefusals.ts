/**
 * What happens when a client reaches one of its caps, besides the refusal itself: the refusal is
 * counted in `bilik_limit_refusals_total{limit}`, and logged with the caller's identity once per
 * caller and cap in a while, never once per message of a flood.
 */
import type { Counter } from 'prom-client';
import type { Logger } from '../logger.js';
import type { LimitName } from './clientLimits.js';

/** Who reached a cap, as logs name them: a booth by its id, a staff member by their account id. */
export type Caller = { boothId: string } | { accountId: string };

/** Records refusals of one caller: bound to it, for the wrappers of its sockets. */
export type RecordRefusal = (limit: LimitName) => void;

/** How long after logging a caller's refusals of one cap its further refusals are only counted. */
const LOG_INTERVAL_MS = 10 * 60_000;

export class LimitRefusals {
  private readonly logger: Logger;
  /** When each caller and cap was last logged, and how many refusals were only counted since. */
  private readonly logged = new Map<string, { at: number; unlogged: number }>();

  constructor(
    private readonly counter: Counter<'limit'>,
    parentLogger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.logger = parentLogger.child({ module: 'limits' });
  }

  /** Counts one refusal of `caller` at `limit`, and logs it unless it was logged lately. */
  record(limit: LimitName, caller: Caller): void {
    this.counter.inc({ limit });
    const key = `${limit} ${'boothId' in caller ? `booth:${caller.boothId}` : `account:${caller.accountId}`}`;
    const now = this.now();
    const last = this.logged.get(key);
    if (last && now - last.at < LOG_INTERVAL_MS) {
      last.unlogged += 1;
      return;
    }
    this.forgetOlderThan(now - LOG_INTERVAL_MS);
    this.logged.set(key, { at: now, unlogged: 0 });
    this.logger.warn({ limit, ...caller, refusedSinceLastLog: last?.unlogged ?? 0 }, 'client reached a limit; refusing the excess');
  }

  /** A recorder of `caller`'s refusals. */
  forCaller(caller: Caller): RecordRefusal {
    return (limit) => this.record(limit, caller);
  }

  /** Drops callers not logged within the interval, so the map holds only recent offenders. */
  private forgetOlderThan(time: number): void {
    for (const [key, { at }] of this.logged) if (at < time) this.logged.delete(key);
  }
}
