/**
 * Public claim tracking, for anyone holding a tracking code: `GET /api/tracking/:code` and the
 * page `GET /lacak?kode=`. No sign-in; both answer only a status and its date, and count against
 * one limit per client address so that codes cannot be enumerated.
 */
import { Router, type Response } from 'express';
import type { ClaimStatusLookup } from '../tracking/claimStatus.js';
import { normaliseTrackingCode } from '../tracking/trackingCodes.js';
import {
  CODE_NOT_FOUND,
  MAX_TYPED_CODE_LENGTH,
  renderTrackingPage,
  TRACKING_PAGE_PATH,
  TRACKING_STYLESHEET_PATH,
  trackingStylesheet,
  type TrackingPageResult,
} from '../tracking/trackingPage.js';
import { sendError } from './httpErrors.js';
import { stylesheetHandler } from './serverPages.js';
import { rateLimit, type RateLimiter, type RateLimitRule } from './rateLimiter.js';

/**
 * Look-ups per client address, page and API together: plenty for a branch's claimants behind one
 * address checking their claims, and about 2^46 codes make guessing one hopeless at this rate.
 */
export const TRACKING_RATE_RULE: RateLimitRule = { name: 'tracking-ip', limit: 60, windowMs: 10 * 60_000 };

export interface TrackingRouteDeps {
  claims: ClaimStatusLookup;
  limiter: RateLimiter;
}

/** GET /api/tracking/:code, GET /lacak and its stylesheet. */
export function trackingRoutes(deps: TrackingRouteDeps): Router {
  const router = Router();
  const clientAddress = (request: { ip?: string | undefined }): string => request.ip ?? 'unknown';

  router.get(TRACKING_STYLESHEET_PATH, stylesheetHandler(trackingStylesheet));

  router.get('/api/tracking/:code', rateLimit(deps.limiter, TRACKING_RATE_RULE, clientAddress), async (request, response) => {
    const code = typeof request.params.code === 'string' ? codeFrom(request.params.code) : null;
    if (code === null) {
      sendError(response, 'BAD_REQUEST', 'A tracking code has 10 letters and digits, e.g. 3CKA7-MPQXT');
      return;
    }
    const view = await deps.claims.statusOf(code);
    // A status changes and is the claimant's business: no cache keeps it.
    response.set('Cache-Control', 'no-store');
    if (view === null) {
      sendError(response, 'NOT_FOUND', CODE_NOT_FOUND.id);
      return;
    }
    response.json({ ok: true, data: view });
  });

  const pageLimit = rateLimit(deps.limiter, TRACKING_RATE_RULE, clientAddress, (_request, response, seconds) =>
    sendPage(response, 429, { kind: 'rate-limited', seconds }),
  );

  router.get(TRACKING_PAGE_PATH, pageLimit, async (request, response) => {
    const typed = typeof request.query.kode === 'string' ? request.query.kode.trim() : '';
    if (typed === '') {
      sendPage(response, 200, null);
      return;
    }
    const code = codeFrom(typed);
    if (code === null) {
      sendPage(response, 400, { kind: 'malformed', typed: typed.slice(0, MAX_TYPED_CODE_LENGTH) });
      return;
    }
    const view = await deps.claims.statusOf(code);
    if (view === null) sendPage(response, 404, { kind: 'not-found', code });
    else sendPage(response, 200, { kind: 'status', code, view });
  });

  return router;
}

/** The code in what was typed, or null when it cannot be one; overlong input is not even looked at. */
function codeFrom(typed: string): string | null {
  return typed.length <= MAX_TYPED_CODE_LENGTH ? normaliseTrackingCode(typed) : null;
}

function sendPage(response: Response, status: number, result: TrackingPageResult | null): void {
  response.status(status).type('html').set('Cache-Control', 'no-store').send(renderTrackingPage(result));
}
