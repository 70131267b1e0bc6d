/**
 * The JSON API of branch IT's fleet page, and the kiosk's enrolment: booths with their live
 * status, adding and enrolling them, and acting on a running kiosk (reload, out of service,
 * credential rotation, self-test, revocation). Every route but enrolment names its action in the
 * permission table and authorizes the caller against the booth's branch before acting;
 * enrolment is authorized by its one-time code.
 */
import type { BoothFleetView } from '@bilik/shared';
import type { EnrolAnswer } from '@bilik/shared/enrolment';
import express, { Router } from 'express';
import { z } from 'zod';
import { auditActorOf, recordAudit } from '../audit/auditLog.js';
import type { Authenticator } from '../auth/authenticator.js';
import { authorize, authorizeRole, type Action, type Principal } from '../auth/permissions.js';
import type { Database } from '../db/database.js';
import { InvalidStateError, NotFoundError } from '../errors.js';
import { boothFleetView, type BoothHealth } from '../fleet/boothHealth.js';
import type { Booth, BoothStore } from '../fleet/boothStore.js';
import { EnrolmentRefusedError, type EnrolmentService } from '../fleet/enrolment.js';
import { identifierSchema } from '../identifiers.js';
import type { Logger } from '../logger.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { KioskRemote } from '../signaling/kioskRemote.js';
import type { SchedulerAnnouncer } from '../signaling/schedulerAnnouncer.js';
import type { SocketEvictions } from '../signaling/socketEvictions.js';
import { parseInput } from './httpErrors.js';
import { rateLimit, type RateLimiter, type RateLimitRule } from './rateLimiter.js';

export interface FleetRouteDeps {
  db: Database;
  booths: BoothStore;
  enrolment: EnrolmentService;
  health: BoothHealth;
  kiosks: KioskRemote;
  limiter: RateLimiter;
  authenticator: Authenticator;
  evictions: SocketEvictions;
  scheduler: Scheduler;
  announcer: SchedulerAnnouncer;
  logger: Logger;
}

const idParam = identifierSchema;
const newBoothBodySchema = z.strictObject({ id: idParam, name: z.string().trim().min(1).max(100) });
const enrolBodySchema = z.strictObject({ code: z.string().max(64) });
const serviceBodySchema = z.strictObject({ outOfService: z.boolean() });

/** Enrolment attempts per client address, on top of each code's own limit of wrong attempts. */
export const ENROL_RATE_RULE: RateLimitRule = { name: 'enrol-ip', limit: 20, windowMs: 10 * 60_000 };

/** Routes under /api that act on booths and their kiosks. */
export function fleetRoutes(deps: FleetRouteDeps): Router {
  const router = Router();
  const json = express.json({ limit: '16kb', strict: true });
  const log = deps.logger.child({ module: 'fleet' });
  const principalOf = (request: express.Request): Promise<Principal | null> => deps.authenticator.fromRequest(request);

  /** The booth a route acts on, once the caller may do `action` to booths of its branch. */
  const authorizedBooth = async (request: express.Request, action: Action): Promise<{ principal: Principal; booth: Booth }> => {
    // The role first, so callers who may never act learn nothing from whether the booth exists.
    const principal = authorizeRole(await principalOf(request), action);
    const boothId = parseInput(idParam, request.params.boothId, 'booth id');
    const booth = await deps.booths.findBooth(boothId);
    if (!booth) throw new NotFoundError(`No booth ${boothId}`);
    authorize(principal, action, { branchIds: [booth.branchId] });
    return { principal, booth };
  };

  router.get('/api/branches/:branchId/booths', async (request, response) => {
    const branchId = parseInput(idParam, request.params.branchId, 'branch id');
    authorize(await principalOf(request), 'booths.view', { branchIds: [branchId] });
    const booths = await deps.booths.listBooths(branchId);
    const ids = booths.map((booth) => booth.id);
    const [health, visits] = await Promise.all([deps.health.healthOf(ids), Promise.all(ids.map((id) => deps.scheduler.visitOf(id)))]);
    const data: BoothFleetView[] = booths.map((booth, index) => boothFleetView(booth, health.get(booth.id)!, visits[index]!));
    response.json({ ok: true, data });
  });

  router.post('/api/branches/:branchId/booths', json, async (request, response) => {
    const branchId = parseInput(idParam, request.params.branchId, 'branch id');
    const principal = authorize(await principalOf(request), 'booth.create', { branchIds: [branchId] });
    const fields = parseInput(newBoothBodySchema, request.body, 'booth');
    const booth = await deps.booths.createBooth({ id: fields.id, branchId, name: fields.name }, auditActorOf(principal));
    const { code, expiresAt } = await deps.enrolment.issueCode(booth.id, auditActorOf(principal));
    response.status(201).json({ ok: true, data: { boothId: booth.id, code, expiresAt: expiresAt.toISOString() } });
  });

  router.post('/api/booths/:boothId/enrolment-code', async (request, response) => {
    const { principal, booth } = await authorizedBooth(request, 'booth.enrolment.issue');
    const { code, expiresAt } = await deps.enrolment.issueCode(booth.id, auditActorOf(principal));
    response.json({ ok: true, data: { boothId: booth.id, code, expiresAt: expiresAt.toISOString() } });
  });

  // Public: the one-time code itself is the authority, limited per code and per address.
  router.post(
    '/api/enrol',
    rateLimit(deps.limiter, ENROL_RATE_RULE, (request) => request.ip ?? 'unknown'),
    json,
    async (request, response) => {
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
    },
  );

  router.post('/api/booths/:boothId/revoke', async (request, response) => {
    const { principal, booth } = await authorizedBooth(request, 'booth.revoke');
    await deps.booths.revoke(booth.id, auditActorOf(principal));
    deps.evictions.endBooth(booth.id);
    response.json({ ok: true, data: { boothId: booth.id, revoked: true } });
  });

  // A claimant in session is not cut off: the kiosk reloads once the session is over.
  router.post('/api/booths/:boothId/reload', async (request, response) => {
    const { principal, booth } = await authorizedBooth(request, 'booth.reload');
    await recordAudit(deps.db, { actor: auditActorOf(principal), action: 'booth.reload_requested', subject: booth.id });
    deps.kiosks.reload(booth.id);
    log.info({ boothId: booth.id }, 'booth reload requested');
    response.json({ ok: true, data: { boothId: booth.id } });
  });

  // Out of service: a claimant waiting leaves the queue (the kiosk says why), one in session is
  // served to the end, and nobody can start a visit until the booth is back in service.
  router.put('/api/booths/:boothId/service', json, async (request, response) => {
    const { principal, booth } = await authorizedBooth(request, 'booth.service.set');
    const { outOfService } = parseInput(serviceBodySchema, request.body, 'service');
    await deps.booths.setOutOfService(booth.id, outOfService, auditActorOf(principal));
    deps.kiosks.setService(booth.id, outOfService);
    if (outOfService) await deps.announcer.announce(await deps.scheduler.boothCancel(booth.id));
    response.json({ ok: true, data: { boothId: booth.id, outOfService } });
  });

  // The kiosk must store the new credential before the old one stops working, or it would be
  // locked out until branch IT enrols it again; so only a live kiosk's acknowledgement completes it.
  router.post('/api/booths/:boothId/rotate-credential', async (request, response) => {
    const { principal, booth } = await authorizedBooth(request, 'booth.credential.rotate');
    const credential = await deps.booths.stageCredential(booth.id);
    const stored = await deps.kiosks.handCredential(booth.id, credential);
    if (!stored) {
      // The staged credential stays valid beside the old one: a kiosk that stored it but whose
      // acknowledgement was lost still connects, and that completes the rotation.
      await recordAudit(deps.db, { actor: auditActorOf(principal), action: 'booth.credential_rotation_failed', subject: booth.id });
      throw new InvalidStateError('The booth must be online to rotate its credential; its current credential still works');
    }
    if (!(await deps.booths.promoteCredential(booth.id, credential, auditActorOf(principal)))) {
      throw new InvalidStateError('The booth was revoked or rotated again meanwhile');
    }
    response.json({ ok: true, data: { boothId: booth.id, rotated: true } });
  });

  router.post('/api/booths/:boothId/self-test', async (request, response) => {
    const { booth } = await authorizedBooth(request, 'booth.selftest.run');
    deps.kiosks.runSelfTest(booth.id);
    response.json({ ok: true, data: { boothId: booth.id } });
  });

  return router;
}
