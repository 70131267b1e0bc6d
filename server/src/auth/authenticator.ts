/**
 * Turns what a request or socket handshake carries into a Principal: a staff session from the
 * session cookie, or a booth from its device credential (`Authorization: Bearer bk1_...` over
 * HTTP, `auth.credential` in a socket handshake). Nothing else identifies anyone.
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseCookies } from 'cookie';
import type { BoothStore } from '../fleet/boothStore.js';
import type { Principal } from './permissions.js';
import type { SessionStore, StaffSession } from './sessionStore.js';

export type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;
export type BoothPrincipal = Extract<Principal, { kind: 'booth' }>;

export class Authenticator {
  /** `__Host-` pins the cookie to this exact origin over HTTPS; browsers refuse that prefix without Secure. */
  readonly cookieName: string;
  /** How the session cookie is set and cleared: script cannot read it, other sites cannot send it. */
  readonly cookieOptions: { httpOnly: true; sameSite: 'strict'; secure: boolean; path: '/' };

  constructor(
    readonly sessions: SessionStore,
    private readonly booths: BoothStore,
    secureCookies: boolean,
  ) {
    this.cookieName = secureCookies ? '__Host-bilik_session' : 'bilik_session';
    this.cookieOptions = { httpOnly: true, sameSite: 'strict', secure: secureCookies, path: '/' };
  }

  /** The session cookie's token in a Cookie header, if any. */
  tokenFromCookieHeader(cookieHeader: string | undefined): string | undefined {
    if (!cookieHeader) return undefined;
    return parseCookies(cookieHeader)[this.cookieName];
  }

  /** The staff member whose live session the Cookie header carries, or null. */
  async staffFromCookieHeader(cookieHeader: string | undefined): Promise<StaffPrincipal | null> {
    const session = await this.sessions.resolve(this.tokenFromCookieHeader(cookieHeader));
    return session ? staffPrincipal(session) : null;
  }

  /** The booth holding this device credential, unless it is revoked or unknown. */
  async boothFromCredential(credential: unknown): Promise<BoothPrincipal | null> {
    const booth = await this.booths.authenticate(credential);
    return booth ? { kind: 'booth', role: 'booth', boothId: booth.id, branchId: booth.branchId } : null;
  }

  /** Whoever an HTTP request comes from: a booth by bearer credential, else a staff session, else null. */
  async fromRequest(request: IncomingMessage): Promise<Principal | null> {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer (\S+)$/.exec(authorization);
      return match ? this.boothFromCredential(match[1]) : null;
    }
    return this.staffFromCookieHeader(request.headers.cookie);
  }
}

/** The principal of a staff session. */
export function staffPrincipal(session: StaffSession): StaffPrincipal {
  return {
    kind: 'staff',
    role: session.role,
    accountId: session.accountId,
    branchIds: session.branchIds,
    sessionId: session.id,
    expiresAt: session.expiresAt,
  };
}
