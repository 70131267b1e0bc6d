/**
 * The wrap-up codes of a branch: its officers and supervisors read them; its supervisors add,
 * rename, retire and choose the default one.
 */
import { MAX_WRAP_UP_LABEL_LENGTH } from '@bilik/shared';
import express, { Router } from 'express';
import { z } from 'zod';
import { auditActorOf } from '../audit/auditLog.js';
import type { Authenticator } from '../auth/authenticator.js';
import { authorize, authorizeRole } from '../auth/permissions.js';
import { NotFoundError } from '../errors.js';
import { identifierSchema } from '../identifiers.js';
import type { WrapUpCodes } from '../wrapUp/wrapUpCodes.js';
import { parseInput } from './httpErrors.js';

export interface WrapUpRouteDeps {
  authenticator: Authenticator;
  codes: WrapUpCodes;
}

const label = z.string().trim().min(1).max(MAX_WRAP_UP_LABEL_LENGTH);
const createSchema = z.strictObject({ label, isDefault: z.boolean().default(false) });
const changeSchema = z
  .strictObject({ label: label.optional(), isDefault: z.boolean().optional(), retired: z.boolean().optional() })
  .refine((change) => Object.keys(change).length > 0, { message: 'names nothing to change' });

/** GET and POST /api/branches/:branchId/wrap-up-codes, PATCH /api/wrap-up-codes/:codeId. */
export function wrapUpRoutes(deps: WrapUpRouteDeps): Router {
  const router = Router();
  const json = express.json({ limit: '4kb', strict: true });

  router.get('/api/branches/:branchId/wrap-up-codes', async (request, response) => {
    const branchId = parseInput(identifierSchema, request.params.branchId, 'branch id');
    authorize(await deps.authenticator.fromRequest(request), 'wrapup.codes.view', { branchIds: [branchId] });
    response.json({ ok: true, data: await deps.codes.list(branchId) });
  });

  router.post('/api/branches/:branchId/wrap-up-codes', json, async (request, response) => {
    const branchId = parseInput(identifierSchema, request.params.branchId, 'branch id');
    const principal = authorize(await deps.authenticator.fromRequest(request), 'wrapup.codes.manage', { branchIds: [branchId] });
    const code = parseInput(createSchema, request.body, 'wrap-up code');
    response.status(201).json({ ok: true, data: await deps.codes.create(branchId, code, auditActorOf(principal)) });
  });

  router.patch('/api/wrap-up-codes/:codeId', json, async (request, response) => {
    const principal = authorizeRole(await deps.authenticator.fromRequest(request), 'wrapup.codes.manage');
    const change = parseInput(changeSchema, request.body, 'wrap-up code change');
    const code = await deps.codes.find(String(request.params.codeId));
    if (code === null) throw new NotFoundError('No wrap-up code with that id');
    authorize(principal, 'wrapup.codes.manage', { branchIds: [code.branchId] });
    response.json({ ok: true, data: await deps.codes.update(code.id, change, auditActorOf(principal)) });
  });

  return router;
}
