/**
 * The JSON API of the supervisor page: officers, their capacity and the live queue. Every route
 * names its action in the permission table and authorizes the caller against the branches of
 * what it touches before acting. The fleet's routes are in fleetRoutes.ts.
 */
import { MAX_DESK_CAPACITY, MIN_DESK_CAPACITY, type BranchQueueDays } from '@bilik/shared';
import { auditActorOf, recordAudit } from '../audit/auditLog.js';
import express, { Router } from 'express';
import { z } from 'zod';
import type { AccountStore } from '../accounts/accountStore.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { Database } from '../db/database.js';
import { authorize, authorizeRole, type Principal } from '../auth/permissions.js';
import { NotFoundError } from '../errors.js';
import { identifierSchema } from '../identifiers.js';
import { branchQueueView } from '../scheduler/branchQueueView.js';
import type { QueueHistory } from '../scheduler/queueHistory.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { SchedulerAnnouncer } from '../signaling/schedulerAnnouncer.js';
import type { OfficerRecalls } from '../signaling/officerRecalls.js';
import type { DeskSeatStore } from '../sfu/deskSeats.js';
import { parseInput } from './httpErrors.js';

export interface ApiRouteDeps {
  db: Database;
  accounts: AccountStore;
  authenticator: Authenticator;
  scheduler: Scheduler;
  announcer: SchedulerAnnouncer;
  /** The service level's maximum wait, for the supervisor's alert. */
  maxWaitMs: number;
  /** The desks' stored seats: how long each claimant in session waits for their officer's word. */
  seats: Pick<DeskSeatStore, 'waitingSince'>;
  recalls: OfficerRecalls;
  /** The queues' figures per day, for the trend. */
  queueHistory: Pick<QueueHistory, 'days'>;
}

const idParam = identifierSchema;
const capacityBodySchema = z.strictObject({ capacity: z.number().int().min(MIN_DESK_CAPACITY).max(MAX_DESK_CAPACITY) });
/** How many days of a queue's trend one request may ask for, and how many it gets unasked. */
const MAX_TREND_DAYS = 90;
const DEFAULT_TREND_DAYS = 14;
const trendQuerySchema = z.strictObject({ days: z.coerce.number().int().min(1).max(MAX_TREND_DAYS).default(DEFAULT_TREND_DAYS) });

/** Routes under /api that act on branches' officers and queues. */
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
    await deps.accounts.setCapacity(officer.id, capacity, auditActorOf(principal));
    // Applies at once to an officer on duty: raising it may assign waiting booths right away.
    await deps.announcer.announce(await deps.scheduler.setCapacity(officer.id, capacity));
    response.json({ ok: true, data: { accountId: officer.id, capacity } });
  });

  router.post('/api/officers/:accountId/recall', async (request, response) => {
    const principal = authorizeRole(await principalOf(request), 'officer.recall');
    const officer = await deps.accounts.findById(String(request.params.accountId));
    if (!officer || officer.role !== 'officer') throw new NotFoundError('No officer with that id');
    authorize(principal, 'officer.recall', { branchIds: officer.branchIds });
    const supervisor = principal.kind === 'staff' ? await deps.accounts.findById(principal.accountId) : null;
    await recordAudit(deps.db, { actor: auditActorOf(principal), action: 'officer.recalled', subject: officer.id });
    // Sent whatever the officer's state: a console not open now simply does not show it.
    deps.recalls.recall(officer.id, { by: supervisor?.displayName ?? '', at: new Date().toISOString() });
    response.json({ ok: true, data: null });
  });

  router.get('/api/branches/:branchId/queue', async (request, response) => {
    const branchId = parseInput(idParam, request.params.branchId, 'branch id');
    authorize(await principalOf(request), 'queue.view', { branchIds: [branchId] });
    // Supervisors too while they serve a desk, so that their visits show and may be monitored like anyone's.
    const [accounts, serving] = await Promise.all([deps.accounts.listAccounts({ branchId }), deps.scheduler.officersServing(branchId)]);
    const onDuty = new Set(serving.filter((record) => record.state !== 'offline').map((record) => record.officerId));
    const officers = accounts.filter((account) => account.role === 'officer' || (account.role === 'supervisor' && onDuty.has(account.id)));
    const view = await branchQueueView(deps.scheduler, branchId, officers, deps.maxWaitMs, (officerId) =>
      deps.seats.waitingSince(officerId),
    );
    response.json({ ok: true, data: view });
  });

  router.get('/api/branches/:branchId/queue-days', async (request, response) => {
    const branchId = parseInput(idParam, request.params.branchId, 'branch id');
    authorize(await principalOf(request), 'queue.view', { branchIds: [branchId] });
    const { days } = parseInput(trendQuerySchema, request.query, 'query');
    const data: BranchQueueDays = { branchId, days: await deps.queueHistory.days(branchId, days) };
    response.json({ ok: true, data });
  });

  return router;
}
