/**
 * The sign-in lock-out, kept per username typed rather than per account, so a name that belongs
 * to nobody is counted and locked exactly like an account's and the answers never tell which
 * usernames exist. After `maxFailures` failures in a row a name refuses every attempt, right or
 * wrong, for `lockMs`. Times are the database's, which every server process shares.
 */
import type { Database } from '../db/database.js';
import { sha256Hex } from '../hashing.js';

export interface LockOutPolicy {
  maxFailures: number;
  lockMs: number;
}

export class SignInLockOuts {
  constructor(
    private readonly db: Database,
    private readonly policy: LockOutPolicy,
  ) {}

  /** How much longer the name is locked (ms), or 0 when it is not. */
  async lockedForMs(username: string): Promise<number> {
    const rows = await this.db.query<{ remaining_ms: number }>(
      `select (extract(epoch from locked_until - now()) * 1000)::float8 as remaining_ms
         from sign_in_lockouts where username_hash = $1 and locked_until > now()`,
      [hashOf(username)],
    );
    return Math.max(0, Math.ceil(rows[0]?.remaining_ms ?? 0));
  }

  /**
   * Counts a failed sign-in for the name. The `maxFailures`-th failure in a row locks it for
   * `lockMs` and starts the count again; returns how long the name is now locked (ms), 0 if it
   * is not. One update, so concurrent attempts all count.
   */
  async recordFailure(username: string): Promise<number> {
    const nameHash = hashOf(username);
    await this.db.query('insert into sign_in_lockouts (username_hash) values ($1) on conflict (username_hash) do nothing', [nameHash]);
    const rows = await this.db.query<{ remaining_ms: number | null }>(
      `update sign_in_lockouts
          set failed_sign_ins = case when failed_sign_ins + 1 >= $2 then 0 else failed_sign_ins + 1 end,
              locked_until = case when failed_sign_ins + 1 >= $2 then now() + $3 * interval '1 millisecond' else locked_until end
        where username_hash = $1
        returning (extract(epoch from locked_until - now()) * 1000)::float8 as remaining_ms`,
      [nameHash, this.policy.maxFailures, this.policy.lockMs],
    );
    return Math.max(0, Math.ceil(rows[0]?.remaining_ms ?? 0));
  }

  /** Forgets the name's earlier failures, after a successful sign-in. */
  async clear(username: string): Promise<void> {
    await this.db.query('delete from sign_in_lockouts where username_hash = $1', [hashOf(username)]);
  }
}

/** The key of a typed name: usernames are matched regardless of case and surrounding spaces. */
function hashOf(username: string): string {
  return sha256Hex(username.trim().toLowerCase());
}
