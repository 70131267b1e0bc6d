/**
 * Checks a username and password, with lock-out: after `maxFailures` wrong passwords in a row an
 * account refuses every attempt, right or wrong, for `lockMs`. Each attempt is audited without
 * the username typed (it may be someone's password typed in the wrong box).
 */
import type { Account, AccountStore } from '../accounts/accountStore.js';
import { hashPassword, verifyPassword } from '../accounts/passwords.js';
import { recordAudit } from '../audit/auditLog.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';

export interface LockOutPolicy {
  maxFailures: number;
  lockMs: number;
}

export type SignInResult =
  | { ok: true; account: Account }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; lockedUntil: Date };

export class SignInService {
  /** Verified against when the username is unknown, so both cases take the same time; made on first need, not at start-up. */
  private decoyHash: Promise<string> | undefined;
  private readonly log: Logger;

  constructor(
    private readonly db: Database,
    private readonly accounts: AccountStore,
    private readonly policy: LockOutPolicy,
    logger: Logger,
  ) {
    this.log = logger.child({ module: 'sign-in' });
  }

  /** Checks the credentials and counts the attempt. */
  async signIn(username: string, password: string): Promise<SignInResult> {
    const record = await this.accounts.findSignInRecord(username);
    if (record === null) {
      this.decoyHash ??= hashPassword('decoy password that matches nothing');
      await verifyPassword(password, await this.decoyHash);
      await recordAudit(this.db, { actor: { kind: 'anonymous' }, action: 'session.sign_in_failed', detail: { reason: 'unknown_user' } });
      return { ok: false, reason: 'invalid' };
    }
    const { account, passwordHash } = record;
    if (account.lockedUntil !== null && account.lockedUntil.getTime() > Date.now()) {
      await recordAudit(this.db, { actor: { kind: 'anonymous' }, action: 'session.sign_in_refused', subject: account.id, detail: { reason: 'locked' } });
      return { ok: false, reason: 'locked', lockedUntil: account.lockedUntil };
    }
    if (!(await verifyPassword(password, passwordHash))) {
      const failure = await this.accounts.recordFailedSignIn(account.id, this.policy.maxFailures, this.policy.lockMs);
      const locked = failure.lockedUntil !== null;
      await recordAudit(this.db, {
        actor: { kind: 'anonymous' },
        action: locked ? 'account.locked' : 'session.sign_in_failed',
        subject: account.id,
        detail: { reason: 'wrong_password' },
      });
      if (locked) {
        this.log.warn({ accountId: account.id }, 'account locked after repeated failed sign-ins');
        return { ok: false, reason: 'locked', lockedUntil: failure.lockedUntil! };
      }
      return { ok: false, reason: 'invalid' };
    }
    if (account.failedSignIns > 0 || account.lockedUntil !== null) await this.accounts.clearFailedSignIns(account.id);
    await recordAudit(this.db, { actor: { kind: 'account', id: account.id }, action: 'session.signed_in', subject: account.id });
    this.log.info({ accountId: account.id, role: account.role }, 'signed in');
    return { ok: true, account };
  }
}
