/**
 * A supervisor monitoring one visit (/monitor): who may, the audit trail of every start, stop
 * and barge-in, and the barge command. What the supervisor receives and gives is the media
 * policy's call (the 'monitor' role); this module only seats them and records it.
 */
import type { monitorCommands } from '@bilik/shared';
import { auditActorOf, recordAudit } from '../audit/auditLog.js';
import type { StaffPrincipal } from '../auth/authenticator.js';
import { authorize, authorizeRole, type Principal } from '../auth/permissions.js';
import type { Queryable } from '../db/database.js';
import { ForbiddenError, InvalidStateError, NotFoundError } from '../errors.js';
import type { BoothStore } from '../fleet/boothStore.js';
import type { Logger } from '../logger.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { Desk } from '../sfu/desk.js';
import type { Participant } from '../sfu/participant.js';
import type { CommandRouter } from './commands.js';

export interface MonitorDeps {
  db: Queryable;
  booths: BoothStore;
  scheduler: Scheduler;
}

/** The visit a supervisor is about to monitor: the booth, its branch, and the officer's desk it is at. */
export interface WatchedVisit {
  supervisor: StaffPrincipal;
  boothId: string;
  branchId: string;
  officerId: string;
  visitId: string;
}

/**
 * Checks that `principal` may monitor `boothId`'s visit (a supervisor of the booth's branch; other
 * roles are refused before the booth is looked up, so they learn nothing of it) and that the booth
 * is with an officer now, in the visit named if one is (a monitor reconnecting must not move on to
 * the booth's next claimant); records the start in the audit trail before any media can flow.
 */
export async function startWatching(
  principal: Principal | null,
  { boothId, visitId }: { boothId: string; visitId: string | undefined },
  deps: MonitorDeps,
): Promise<WatchedVisit> {
  const caller = authorizeRole(principal, 'visit.monitor');
  if (caller.kind !== 'staff') throw new ForbiddenError('Only a supervisor may monitor a visit');
  const booth = await deps.booths.findBooth(boothId);
  if (booth === null) throw new NotFoundError(`No booth ${boothId}`);
  authorize(caller, 'visit.monitor', { branchIds: [booth.branchId] });
  const visit = await deps.scheduler.visitOf(boothId);
  if (visit?.state !== 'assigned' || visit.officerId === null) throw new InvalidStateError(`Booth ${boothId} is not with an officer now`);
  if (visitId !== undefined && visit.visitId !== visitId) throw new InvalidStateError(`The visit monitored at booth ${boothId} is over`);
  const watched = { supervisor: caller, boothId, branchId: booth.branchId, officerId: visit.officerId, visitId: visit.visitId };
  await recordMonitorEvent(deps.db, watched, 'visit.monitor_started');
  return watched;
}

/** Registers monitor:barge for a seated monitor. */
export function registerMonitorCommands(
  commands: CommandRouter<typeof monitorCommands>,
  desk: Desk,
  monitor: Participant,
  watched: WatchedVisit,
  deps: MonitorDeps,
): void {
  commands.command('monitor:barge', async ({ barging }) => {
    authorize(watched.supervisor, 'visit.barge', { branchIds: [watched.branchId] });
    // Recorded before the booth can hear anyone: a barge-in the trail does not show never happens.
    await recordMonitorEvent(deps.db, watched, barging ? 'visit.barged_in' : 'visit.barge_ended');
    await desk.barge(monitor, barging);
    return null;
  });
}

/**
 * Records that monitoring `watched` ended (the supervisor closed it, or the visit ended), and a
 * barge-in that ended with it, so the trail never shows a barge-in without its end; a failure is logged.
 */
export function recordWatchEnded(watched: WatchedVisit, wasBarging: boolean, deps: MonitorDeps, logger: Logger): void {
  const ended = async (): Promise<void> => {
    if (wasBarging) await recordMonitorEvent(deps.db, watched, 'visit.barge_ended');
    await recordMonitorEvent(deps.db, watched, 'visit.monitor_stopped');
  };
  ended().catch((error: unknown) => logger.error({ err: (error as Error).message }, 'could not audit the end of a monitor'));
}

function recordMonitorEvent(db: Queryable, watched: WatchedVisit, action: string): Promise<void> {
  return recordAudit(db, {
    actor: auditActorOf(watched.supervisor),
    action,
    subject: watched.boothId,
    detail: { officerId: watched.officerId, visitId: watched.visitId },
  });
}
