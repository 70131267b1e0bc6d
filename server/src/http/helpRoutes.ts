/**
 * The supervisors' list of kiosks whose claimants asked for help, and its clearing once someone
 * went to the booth (audited as `help.cleared`).
 */
import { Router } from 'express';
import type { Authenticator } from '../auth/authenticator.js';
import { auditActorOf } from '../audit/auditLog.js';
import { authorize } from '../auth/permissions.js';
import { NotFoundError } from '../errors.js';
import type { HelpRequests } from '../help/helpRequests.js';
import { identifierSchema } from '../identifiers.js';
import type { Logger } from '../logger.js';
import { parseInput } from './httpErrors.js';

export interface HelpRouteDeps {
  authenticator: Authenticator;
  help: HelpRequests;
  logger: Logger;
}

/** GET /api/branches/:branchId/help-requests and POST …/help-requests/:boothId/clear. */
export function helpRoutes(deps: HelpRouteDeps): Router {
  const router = Router();
  const logger = deps.logger.child({ module: 'help' });
  router.get('/api/branches/:branchId/help-requests', async (request, response) => {
    const branchId = parseInput(identifierSchema, request.params.branchId, 'branch id');
    authorize(await deps.authenticator.fromRequest(request), 'help.view', { branchIds: [branchId] });
    response.json({ ok: true, data: await deps.help.ofBranch(branchId) });
  });
  router.post('/api/branches/:branchId/help-requests/:boothId/clear', async (request, response) => {
    const branchId = parseInput(identifierSchema, request.params.branchId, 'branch id');
    const boothId = parseInput(identifierSchema, request.params.boothId, 'booth id');
    const principal = authorize(await deps.authenticator.fromRequest(request), 'help.clear', { branchIds: [branchId] });
    if (!(await deps.help.clear(branchId, boothId, auditActorOf(principal))))
      throw new NotFoundError('That booth has no open help request');
    logger.info({ branchId, boothId, accountId: principal.kind === 'staff' ? principal.accountId : null }, 'help request cleared');
    response.json({ ok: true, data: null });
  });
  return router;
}
