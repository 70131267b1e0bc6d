/**
 * Staff sign-in sessions, kept in Redis so that every server process knows them.
 *
 * The browser holds a random token in an httpOnly cookie; Redis holds only its SHA-256 (the
 * session id), so a copy of Redis cannot be replayed as cookies. A session ends when it is
 * signed out, when it has been idle for `idleTimeoutMs` (an open console keeps it alive), or at
 * the latest `maxAgeMs` after sign-in.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { sha256Hex } from '../hashing.js';
import type { Role } from './roles.js';

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
      id: sha256Hex(token),
      accountId: account.id,
      role: account.role,
      branchIds: [...account.branchIds],
      createdAt: now,
      expiresAt: now + this.lifetime.maxAgeMs,
    };
    const { id, ...stored } = session;
    await this.redis.set(KEY_PREFIX + id, JSON.stringify(stored), 'PX', Math.min(this.lifetime.idleTimeoutMs, this.lifetime.maxAgeMs));
    return { token, session };
  }

  /** The live session of a cookie token, refreshing its idle timer; null when there is none. */
  async resolve(token: unknown): Promise<StaffSession | null> {
    const sessionId = sessionIdOfCookie(token);
    return sessionId === null ? null : this.touch(sessionId);
  }

  /** The live session with this id, refreshing its idle timer; null when it ended. */
  async touch(sessionId: string): Promise<StaffSession | null> {
    // One round trip in the common case: read and push the idle timer back together.
    const session = parseStored(sessionId, await this.redis.getex(KEY_PREFIX + sessionId, 'PX', this.lifetime.idleTimeoutMs));
    if (session === null) return null;
    const remaining = session.expiresAt - Date.now();
    if (remaining <= 0) {
      await this.redis.del(KEY_PREFIX + sessionId);
      return null;
    }
    // In its last idle period the session must still end at its maximum age.
    if (remaining < this.lifetime.idleTimeoutMs) await this.redis.pexpire(KEY_PREFIX + sessionId, remaining);
    return session;
  }

  /** Ends the session of a cookie token (sign-out) and returns it, or null when there was none. */
  async endByToken(token: unknown): Promise<StaffSession | null> {
    const sessionId = sessionIdOfCookie(token);
    if (sessionId === null) return null;
    return parseStored(sessionId, await this.redis.getdel(KEY_PREFIX + sessionId));
  }
}

function parseStored(sessionId: string, raw: string | null): StaffSession | null {
  if (raw === null) return null;
  const parsed = storedSessionSchema.safeParse(JSON.parse(raw));
  return parsed.success ? { id: sessionId, ...parsed.data } : null;
}

/** The session id of a cookie's token, or null when the value cannot be a token. */
function sessionIdOfCookie(token: unknown): string | null {
  return typeof token === 'string' && TOKEN_PATTERN.test(token) ? sha256Hex(token) : null;
}
