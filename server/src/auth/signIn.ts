/**
 * Checks a username and password, with lock-out (signInLockOuts.ts). A name that belongs to no
 * account takes the same steps, the same time and gets the same answers as one that does,
 * lock-out included, so nobody can learn which usernames exist. Each attempt is audited without
 * the username typed (it may be someone's password typed in the wrong box).
 */
import type { Account, AccountStore } from '../accounts/accountStore.js';
import { hashPassword, verifyPassword } from '../accounts/passwords.js';
import { recordAudit } from '../audit/auditLog.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { SignInLockOuts } from './signInLockOuts.js';

export type SignInResult =
  | { ok: true; account: Account }
  | { ok: false; reason: 'invalid' }
  /** `lockedForMs`: how much longer every attempt with this name is refused. */
  | { ok: false; reason: 'locked'; lockedForMs: number };

export class SignInService {
  /** Verified against when the username is unknown, so both cases take the same time; made on first need, not at start-up. */
  private decoyHash: Promise<string> | undefined;
  private readonly log: Logger;

  constructor(
    private readonly db: Database,
    private readonly accounts: AccountStore,
    private readonly lockOuts: SignInLockOuts,
    logger: Logger,
  ) {
    this.log = logger.child({ module: 'sign-in' });
  }

  /** Checks the credentials and counts the attempt. */
  async signIn(username: string, password: string): Promise<SignInResult> {
    const lockedForMs = await this.lockOuts.lockedForMs(username);
    const record = await this.accounts.findSignInRecord(username);
    const anonymous = { kind: 'anonymous' } as const;
    if (lockedForMs > 0) {
      await recordAudit(this.db, {
        actor: anonymous,
        action: 'session.sign_in_refused',
        subject: record?.account.id,
        detail: { reason: 'locked' },
      });
      return { ok: false, reason: 'locked', lockedForMs };
    }
    this.decoyHash ??= hashPassword('decoy password that matches nothing');
    const matches = await verifyPassword(password, record?.passwordHash ?? (await this.decoyHash));
    if (record !== null && matches) {
      const { account } = record;
      await this.lockOuts.clear(username);
      await recordAudit(this.db, { actor: { kind: 'account', id: account.id }, action: 'session.signed_in', subject: account.id });
      this.log.info({ accountId: account.id, role: account.role }, 'signed in');
      return { ok: true, account };
    }
    const lockedNowForMs = await this.lockOuts.recordFailure(username);
    if (record === null) {
      await recordAudit(this.db, { actor: anonymous, action: 'session.sign_in_failed', detail: { reason: 'unknown_user' } });
    } else {
      const locked = lockedNowForMs > 0;
      await recordAudit(this.db, {
        actor: anonymous,
        action: locked ? 'account.locked' : 'session.sign_in_failed',
        subject: record.account.id,
        detail: { reason: 'wrong_password' },
      });
      if (locked) this.log.warn({ accountId: record.account.id }, 'account locked after repeated failed sign-ins');
    }
    return lockedNowForMs > 0 ? { ok: false, reason: 'locked', lockedForMs: lockedNowForMs } : { ok: false, reason: 'invalid' };
  }
}
