/**
 * The JSON API of the supervisor and IT pages. Every route names its action in the permission
 * table and authorizes the caller against the branches of what it touches before acting.
 */
import express, { Router } from 'express';
import { z } from 'zod';
import type { AccountStore } from '../accounts/accountStore.js';
import type { Authenticator } from '../auth/authenticator.js';
import { authorize, authorizeRole, type Principal } from '../auth/permissions.js';
import { NotFoundError } from '../errors.js';
import type { BoothStore } from '../fleet/boothStore.js';
import type { SocketEvictions } from '../signaling/socketEvictions.js';
import { parseInput } from './httpErrors.js';

export interface ApiRouteDeps {
  accounts: AccountStore;
  booths: BoothStore;
  authenticator: Authenticator;
  evictions: SocketEvictions;
}

const idParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, - or _');
const capacityBodySchema = z.strictObject({ capacity: z.number().int().min(4).max(6) });

/** Routes under /api that act on branches, officers and booths. */
export function apiRoutes(deps: ApiRouteDeps): Router {
  const router = Router();
  const json = express.json({ limit: '16kb', strict: true });
  const principalOf = (request: express.Request): Promise<Principal | null> => deps.authenticator.fromRequest(request);

  router.get('/api/branches/:branchId/officers', async (request, response) => {
    const branchId = parseInput(idParam, request.params.branchId, 'branch id');
    authorize(await principalOf(request), 'officers.view', { branchIds: [branchId] });
    const accounts = await deps.accounts.listAccounts({ branchId });
    const officers = accounts
      .filter((account) => account.role === 'officer')
      .map((account) => ({ accountId: account.id, displayName: account.displayName, capacity: account.capacity }));
    response.json({ ok: true, data: officers });
  });

  router.put('/api/officers/:accountId/capacity', json, async (request, response) => {
    const principal = authorizeRole(await principalOf(request), 'officer.capacity.set');
    const { capacity } = parseInput(capacityBodySchema, request.body, 'capacity');
    const officer = await deps.accounts.findById(String(request.params.accountId));
    if (!officer || officer.role !== 'officer') throw new NotFoundError('No officer with that id');
    authorize(principal, 'officer.capacity.set', { branchIds: officer.branchIds });
    const updated = await deps.accounts.setCapacity(officer.id, capacity, actorOf(principal));
    response.json({ ok: true, data: { accountId: updated.id, capacity: updated.capacity } });
  });

  router.get('/api/branches/:branchId/booths', async (request, response) => {
    const branchId = parseInput(idParam, request.params.branchId, 'branch id');
    authorize(await principalOf(request), 'booths.view', { branchIds: [branchId] });
    const booths = await deps.booths.listBooths(branchId);
    response.json({
      ok: true,
      data: booths.map((booth) => ({
        boothId: booth.id,
        name: booth.name,
        enrolled: booth.enrolled,
        revokedAt: booth.revokedAt?.toISOString() ?? null,
        outOfService: booth.outOfService,
      })),
    });
  });

  router.post('/api/booths/:boothId/revoke', async (request, response) => {
    const principal = authorizeRole(await principalOf(request), 'booth.revoke');
    const boothId = parseInput(idParam, request.params.boothId, 'booth id');
    const booth = await deps.booths.findBooth(boothId);
    if (!booth) throw new NotFoundError(`No booth ${boothId}`);
    authorize(principal, 'booth.revoke', { branchIds: [booth.branchId] });
    await deps.booths.revoke(booth.id, actorOf(principal));
    deps.evictions.endBooth(booth.id);
    response.json({ ok: true, data: { boothId: booth.id, revoked: true } });
  });

  return router;
}

function actorOf(principal: Principal): { kind: 'account'; id: string } | { kind: 'booth'; id: string } {
  return principal.kind === 'staff' ? { kind: 'account', id: principal.accountId } : { kind: 'booth', id: principal.boothId };
}
