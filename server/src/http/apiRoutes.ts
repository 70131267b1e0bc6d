/**
 * The JSON API of the supervisor and IT pages, and the kiosk's enrolment. Every route but
 * enrolment names its action in the permission table and authorizes the caller against the
 * branches of what it touches before acting; enrolment is authorized by its one-time code.
 */
import { MAX_DESK_CAPACITY, MIN_DESK_CAPACITY } from '@bilik/shared';
import type { EnrolAnswer } from '@bilik/shared/enrolment';
import express, { Router } from 'express';
import { z } from 'zod';
import type { AccountStore } from '../accounts/accountStore.js';
import type { Authenticator } from '../auth/authenticator.js';
import { authorize, authorizeRole, type Principal } from '../auth/permissions.js';
import { NotFoundError } from '../errors.js';
import { identifierSchema } from '../identifiers.js';
import type { Booth, BoothStore } from '../fleet/boothStore.js';
import { EnrolmentRefusedError, type EnrolmentService } from '../fleet/enrolment.js';
import { branchQueueView } from '../scheduler/branchQueueView.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { SchedulerAnnouncer } from '../signaling/schedulerAnnouncer.js';
import type { SocketEvictions } from '../signaling/socketEvictions.js';
import { parseInput } from './httpErrors.js';
import { rateLimit, type RateLimiter, type RateLimitRule } from './rateLimiter.js';

export interface ApiRouteDeps {
  accounts: AccountStore;
  booths: BoothStore;
  enrolment: EnrolmentService;
  limiter: RateLimiter;
  authenticator: Authenticator;
  evictions: SocketEvictions;
  scheduler: Scheduler;
  announcer: SchedulerAnnouncer;
  /** The service level's maximum wait, for the supervisor's alert. */
  maxWaitMs: number;
}

const idParam = identifierSchema;
const capacityBodySchema = z.strictObject({ capacity: z.number().int().min(MIN_DESK_CAPACITY).max(MAX_DESK_CAPACITY) });
const newBoothBodySchema = z.strictObject({ id: idParam, name: z.string().trim().min(1).max(100) });
const enrolBodySchema = z.strictObject({ code: z.string().max(64) });

/** Enrolment attempts per client address, on top of each code's own limit of wrong attempts. */
export const ENROL_RATE_RULE: RateLimitRule = { name: 'enrol-ip', limit: 20, windowMs: 10 * 60_000 };

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
    await deps.accounts.setCapacity(officer.id, capacity, actorOf(principal));
    // Applies at once to an officer on duty: raising it may assign waiting booths right away.
    await deps.announcer.announce(await deps.scheduler.setCapacity(officer.id, capacity));
    response.json({ ok: true, data: { accountId: officer.id, capacity } });
  });

  router.get('/api/branches/:branchId/queue', async (request, response) => {
    const branchId = parseInput(idParam, request.params.branchId, 'branch id');
    authorize(await principalOf(request), 'queue.view', { branchIds: [branchId] });
    const officers = (await deps.accounts.listAccounts({ branchId })).filter((account) => account.role === 'officer');
    response.json({ ok: true, data: await branchQueueView(deps.scheduler, branchId, officers, deps.maxWaitMs) });
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

  router.post('/api/branches/:branchId/booths', json, async (request, response) => {
    const branchId = parseInput(idParam, request.params.branchId, 'branch id');
    const principal = authorize(await principalOf(request), 'booth.create', { branchIds: [branchId] });
    const fields = parseInput(newBoothBodySchema, request.body, 'booth');
    const booth = await deps.booths.createBooth({ id: fields.id, branchId, name: fields.name }, actorOf(principal));
    const { code, expiresAt } = await deps.enrolment.issueCode(booth.id, actorOf(principal));
    response.status(201).json({ ok: true, data: { boothId: booth.id, code, expiresAt: expiresAt.toISOString() } });
  });

  router.post('/api/booths/:boothId/enrolment-code', async (request, response) => {
    const principal = authorizeRole(await principalOf(request), 'booth.enrolment.issue');
    const booth = await boothOf(request.params.boothId);
    authorize(principal, 'booth.enrolment.issue', { branchIds: [booth.branchId] });
    const { code, expiresAt } = await deps.enrolment.issueCode(booth.id, actorOf(principal));
    response.json({ ok: true, data: { boothId: booth.id, code, expiresAt: expiresAt.toISOString() } });
  });

  // Public: the one-time code itself is the authority, limited per code and per address.
  router.post('/api/enrol', rateLimit(deps.limiter, ENROL_RATE_RULE, (request) => request.ip ?? 'unknown'), json, async (request, response) => {
    const { code } = parseInput(enrolBodySchema, request.body, 'enrolment');
    let answer: EnrolAnswer;
    try {
      const enrolled = await deps.enrolment.enrol(code);
      answer = { ok: true, data: { boothId: enrolled.boothId, name: enrolled.name, credential: enrolled.credential } };
    } catch (error) {
      if (!(error instanceof EnrolmentRefusedError)) throw error;
      answer = { ok: false, error: error.code, message: error.message, reason: error.reason, attemptsLeft: error.attemptsLeft };
      response.status(403);
    }
    response.json(answer);
  });

  router.post('/api/booths/:boothId/revoke', async (request, response) => {
    const principal = authorizeRole(await principalOf(request), 'booth.revoke');
    const booth = await boothOf(request.params.boothId);
    authorize(principal, 'booth.revoke', { branchIds: [booth.branchId] });
    await deps.booths.revoke(booth.id, actorOf(principal));
    deps.evictions.endBooth(booth.id);
    response.json({ ok: true, data: { boothId: booth.id, revoked: true } });
  });

  async function boothOf(rawId: unknown): Promise<Booth> {
    const boothId = parseInput(idParam, rawId, 'booth id');
    const booth = await deps.booths.findBooth(boothId);
    if (!booth) throw new NotFoundError(`No booth ${boothId}`);
    return booth;
  }

  return router;
}

function actorOf(principal: Principal): { kind: 'account'; id: string } | { kind: 'booth'; id: string } {
  return principal.kind === 'staff' ? { kind: 'account', id: principal.accountId } : { kind: 'booth', id: principal.boothId };
}
