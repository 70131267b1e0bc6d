/**
 * Signing in and out: the shared sign-in page, the session cookie, and `GET /api/session`
 * (who am I) for the browser apps.
 */
import express, { Router, type Response } from 'express';
import { z } from 'zod';
import type { AccountStore } from '../accounts/accountStore.js';
import { MAX_PASSWORD_LENGTH } from '../accounts/passwords.js';
import { recordAudit } from '../audit/auditLog.js';
import type { Authenticator } from '../auth/authenticator.js';
import { authorize } from '../auth/permissions.js';
import type { Role } from '../auth/roles.js';
import type { SignInService } from '../auth/signIn.js';
import type { Database } from '../db/database.js';
import { MAX_USERNAME_LENGTH } from '../identifiers.js';
import type { SocketEvictions } from '../signaling/socketEvictions.js';
import { sendError } from './httpErrors.js';
import { rateLimit, type RateLimiter, type RateLimitRule } from './rateLimiter.js';
import { renderSignInPage, safeNextPath, SIGN_IN_STYLESHEET_PATH, signInStylesheet, type SignInNotice } from './signInPage.js';
import { stylesheetHandler } from './serverPages.js';

/** Where each role lands after signing in when no page asked for it. */
export const HOME_BY_ROLE: Record<Role, string> = {
  officer: '/officer/',
  supervisor: '/officer/supervisor/',
  it_admin: '/officer/fleet/',
};

/** Sign-in attempts per client address: generous for a branch behind one NAT, useless for guessing. */
export const SIGN_IN_RATE_RULE: RateLimitRule = { name: 'signin-ip', limit: 30, windowMs: 10 * 60_000 };

export interface AuthRouteDeps {
  db: Database;
  accounts: AccountStore;
  signIn: SignInService;
  authenticator: Authenticator;
  limiter: RateLimiter;
  evictions: SocketEvictions;
}

const signInFormSchema = z.object({
  username: z.string().max(MAX_USERNAME_LENGTH).optional(),
  password: z.string().max(MAX_PASSWORD_LENGTH).optional(),
  next: z.string().optional(),
});

/** Notices the page may be asked to show through its address (after sign-out or expiry). */
const NOTICE_FROM_QUERY: Record<string, SignInNotice> = { 'signed-out': { kind: 'signed-out' }, expired: { kind: 'expired' } };

/** GET /signin, POST /auth/signin, POST /auth/signout, GET /api/session. */
export function authRoutes(deps: AuthRouteDeps): Router {
  const router = Router();
  const { authenticator } = deps;

  router.get(SIGN_IN_STYLESHEET_PATH, stylesheetHandler(signInStylesheet));

  router.get('/signin', (request, response) => {
    const notice = typeof request.query.notice === 'string' ? NOTICE_FROM_QUERY[request.query.notice] : undefined;
    sendPage(response, 200, { next: safeNextPath(request.query.next), ...(notice ? { notice } : {}) });
  });

  const signInLimit = rateLimit(
    deps.limiter,
    SIGN_IN_RATE_RULE,
    (request) => request.ip ?? 'unknown',
    (request, response, seconds) => sendPage(response, 429, { next: nextOf(request.body), notice: { kind: 'rate-limited', seconds } }),
  );

  router.post(
    '/auth/signin',
    express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 }),
    signInLimit,
    async (request, response) => {
      const form = signInFormSchema.safeParse(request.body ?? {});
      const next = nextOf(request.body);
      const username = form.success ? (form.data.username ?? '').trim() : '';
      const password = form.success ? (form.data.password ?? '') : '';
      if (username === '' || password === '') {
        sendPage(response, 400, { next, username, notice: { kind: 'missing' } });
        return;
      }
      const result = await deps.signIn.signIn(username, password);
      if (!result.ok) {
        if (result.reason === 'locked') {
          const minutes = Math.max(1, Math.ceil(result.lockedForMs / 60_000));
          sendPage(response, 403, { next, username, notice: { kind: 'locked', minutes } });
        } else {
          sendPage(response, 401, { next, username, notice: { kind: 'invalid' } });
        }
        return;
      }
      const { token } = await authenticator.sessions.create(result.account);
      response.cookie(authenticator.cookieName, token, authenticator.cookieOptions);
      response.redirect(303, next === '/' ? HOME_BY_ROLE[result.account.role] : next);
    },
  );

  router.post('/auth/signout', async (request, response) => {
    const ended = await authenticator.sessions.endByToken(authenticator.tokenFromCookieHeader(request.headers.cookie));
    if (ended) {
      deps.evictions.endSession(ended.id);
      await recordAudit(deps.db, {
        actor: { kind: 'account', id: ended.accountId },
        action: 'session.signed_out',
        subject: ended.accountId,
      });
    }
    response.clearCookie(authenticator.cookieName, authenticator.cookieOptions);
    response.redirect(303, '/signin?notice=signed-out');
  });

  router.get('/api/session', async (request, response) => {
    const principal = authorize(await authenticator.fromRequest(request), 'session.view', { self: true });
    if (principal.kind !== 'staff') throw new Error('session.view is for staff only');
    const account = await deps.accounts.findById(principal.accountId);
    if (!account) {
      sendError(response, 'UNAUTHORIZED', 'This account no longer exists');
      return;
    }
    response.json({
      ok: true,
      data: {
        accountId: account.id,
        username: account.username,
        displayName: account.displayName,
        role: account.role,
        branchIds: account.branchIds,
        expiresAt: new Date(principal.expiresAt).toISOString(),
      },
    });
  });

  return router;
}

/** The page to return to after signing in, from a posted form; '/' when it is missing or unsafe. */
function nextOf(body: unknown): string {
  return safeNextPath((body as { next?: unknown } | undefined)?.next);
}

function sendPage(response: Response, status: number, options: Parameters<typeof renderSignInPage>[0]): void {
  response.status(status).type('html').set('Cache-Control', 'no-store').send(renderSignInPage(options));
}
