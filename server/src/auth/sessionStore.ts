/**
 * Staff sign-in sessions, kept in Redis so that every server process knows them.
 *
 * The browser holds a random token in an httpOnly cookie; Redis holds only its SHA-256 (the
 * session id), so a copy of Redis cannot be replayed as cookies. A session ends when it is
 * signed out, when it has been idle for `idleTimeoutMs` (an open console keeps it alive), or at
 * the latest `maxAgeMs` after sign-in.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Role } from '../accounts/accountStore.js';

export interface SessionLifetime {
  /** A session nobody used for this long ends. */
  idleTimeoutMs: number;
  /** No session lasts longer than this after sign-in. */
  maxAgeMs: number;
}

/** A signed-in staff member, as recorded at sign-in. */
export interface StaffSession {
  /** SHA-256 of the cookie token; safe to log and to use as a room name. */
  id: string;
  accountId: string;
  role: Role;
  branchIds: string[];
  createdAt: number;
  /** When the session ends at the latest (ms since epoch). */
  expiresAt: number;
}

const storedSessionSchema = z.object({
  accountId: z.string(),
  role: z.enum(['officer', 'supervisor', 'it_admin']),
  branchIds: z.array(z.string()),
  createdAt: z.number(),
  expiresAt: z.number(),
});

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const KEY_PREFIX = 'bilik:session:';
const ACCOUNT_INDEX_PREFIX = 'bilik:account-sessions:';

export class SessionStore {
  constructor(
    private readonly redis: Redis,
    readonly lifetime: SessionLifetime,
  ) {}

  /** Starts a session for an account; returns the token for the cookie (shown nowhere else). */
  async create(account: { id: string; role: Role; branchIds: string[] }): Promise<{ token: string; session: StaffSession }> {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    const session: StaffSession = {
      id: sessionIdOf(token),
      accountId: account.id,
      role: account.role,
      branchIds: [...account.branchIds],
      createdAt: now,
      expiresAt: now + this.lifetime.maxAgeMs,
    };
    const { id, ...stored } = session;
    await this.redis
      .multi()
      .set(KEY_PREFIX + id, JSON.stringify(stored), 'PX', Math.min(this.lifetime.idleTimeoutMs, this.lifetime.maxAgeMs))
      .sadd(ACCOUNT_INDEX_PREFIX + account.id, id)
      .pexpire(ACCOUNT_INDEX_PREFIX + account.id, this.lifetime.maxAgeMs)
      .exec();
    return { token, session };
  }

  /** The live session of a cookie token, refreshing its idle timer; null when there is none. */
  async resolve(token: unknown): Promise<StaffSession | null> {
    if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return null;
    return this.touch(sessionIdOf(token));
  }

  /** The live session with this id, refreshing its idle timer; null when it ended. */
  async touch(sessionId: string): Promise<StaffSession | null> {
    const raw = await this.redis.get(KEY_PREFIX + sessionId);
    if (raw === null) return null;
    const parsed = storedSessionSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) return null;
    const remaining = parsed.data.expiresAt - Date.now();
    if (remaining <= 0) {
      await this.end(sessionId);
      return null;
    }
    await this.redis.pexpire(KEY_PREFIX + sessionId, Math.min(this.lifetime.idleTimeoutMs, remaining));
    return { id: sessionId, ...parsed.data };
  }

  /** Ends one session (sign-out). Ending a session that already ended does nothing. */
  async end(sessionId: string): Promise<void> {
    const raw = await this.redis.getdel(KEY_PREFIX + sessionId);
    if (raw === null) return;
    const parsed = storedSessionSchema.safeParse(JSON.parse(raw));
    if (parsed.success) await this.redis.srem(ACCOUNT_INDEX_PREFIX + parsed.data.accountId, sessionId);
  }

  /** Ends every session of an account and returns their ids (to close their sockets). */
  async endAllOf(accountId: string): Promise<string[]> {
    const ids = await this.redis.smembers(ACCOUNT_INDEX_PREFIX + accountId);
    if (ids.length > 0) await this.redis.del(...ids.map((id) => KEY_PREFIX + id), ACCOUNT_INDEX_PREFIX + accountId);
    return ids;
  }
}

/** The session id of a cookie token. */
function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
