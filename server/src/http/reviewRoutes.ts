/**
 * Second-person review for supervisors: the branch's outcomes waiting for review, and confirming
 * or reopening one. Only a supervisor of the outcome's branch, and never the officer who decided.
 */
import { MAX_REOPEN_REASON_LENGTH } from '@bilik/shared';
import express, { Router } from 'express';
import { z } from 'zod';
import type { Authenticator } from '../auth/authenticator.js';
import { authorize, authorizeRole, type Principal } from '../auth/permissions.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { identifierSchema } from '../identifiers.js';
import type { Logger } from '../logger.js';
import type { OutcomeReviews } from '../outcomes/outcomeReviews.js';
import { parseInput } from './httpErrors.js';

export interface ReviewRouteDeps {
  authenticator: Authenticator;
  reviews: OutcomeReviews;
  logger: Logger;
}

const reopenSchema = z.strictObject({ reason: z.string().trim().min(1).max(MAX_REOPEN_REASON_LENGTH) });

/** GET /api/branches/:branchId/reviews, POST /api/reviews/:visitId/confirm and POST /api/reviews/:visitId/reopen. */
export function reviewRoutes(deps: ReviewRouteDeps): Router {
  const router = Router();
  const logger = deps.logger.child({ module: 'reviews' });
  const json = express.json({ limit: '4kb', strict: true });

  router.get('/api/branches/:branchId/reviews', async (request, response) => {
    const branchId = parseInput(identifierSchema, request.params.branchId, 'branch id');
    authorize(await deps.authenticator.fromRequest(request), 'review.view', { branchIds: [branchId] });
    response.json({ ok: true, data: await deps.reviews.pendingOf(branchId) });
  });

  /** The reviewer of `visitId`'s outcome: a supervisor of its branch (the role first, so that others learn nothing of the visit). */
  async function reviewer(request: express.Request): Promise<{ accountId: string; visitId: string }> {
    const principal: Principal = authorizeRole(await deps.authenticator.fromRequest(request), 'review.decide');
    const visitId = parseInput(identifierSchema, request.params.visitId, 'visit id');
    const outcome = await deps.reviews.find(visitId);
    if (outcome === null) throw new NotFoundError('No recorded outcome for that visit');
    authorize(principal, 'review.decide', { branchIds: [outcome.branchId] });
    // Only staff hold review.decide; this narrows the type.
    if (principal.kind !== 'staff') throw new ForbiddenError('Only staff review outcomes');
    return { accountId: principal.accountId, visitId };
  }

  router.post('/api/reviews/:visitId/confirm', async (request, response) => {
    const { accountId, visitId } = await reviewer(request);
    const result = await deps.reviews.confirm(visitId, accountId);
    logger.info({ visitId, accountId }, 'outcome review confirmed');
    response.json({ ok: true, data: result });
  });

  router.post('/api/reviews/:visitId/reopen', json, async (request, response) => {
    const { accountId, visitId } = await reviewer(request);
    const { reason } = parseInput(reopenSchema, request.body, 'reopening');
    const result = await deps.reviews.reopen(visitId, accountId, reason);
    logger.info({ visitId, accountId }, 'outcome review reopened');
    response.json({ ok: true, data: result });
  });

  return router;
}
