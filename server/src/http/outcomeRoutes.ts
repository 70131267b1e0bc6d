/**
 * The supervisors' view of verification outcomes that could not be recorded or forwarded, so that
 * none is lost silently.
 */
import type { OutcomeFailureView } from '@bilik/shared';
import { Router } from 'express';
import type { Authenticator } from '../auth/authenticator.js';
import { authorize } from '../auth/permissions.js';
import { identifierSchema } from '../identifiers.js';
import type { OutcomeFailures } from '../outcomes/outcomeFailures.js';
import { parseInput } from './httpErrors.js';

export interface OutcomeRouteDeps {
  authenticator: Authenticator;
  failures: OutcomeFailures;
}

/** GET /api/branches/:branchId/outcome-failures: the branch's failed and retrying outcome jobs. */
export function outcomeRoutes(deps: OutcomeRouteDeps): Router {
  const router = Router();
  router.get('/api/branches/:branchId/outcome-failures', async (request, response) => {
    const branchId = parseInput(identifierSchema, request.params.branchId, 'branch id');
    authorize(await deps.authenticator.fromRequest(request), 'outcomes.failures.view', { branchIds: [branchId] });
    const failures: OutcomeFailureView[] = await deps.failures.ofBranch(branchId);
    response.json({ ok: true, data: failures });
  });
  return router;
}
