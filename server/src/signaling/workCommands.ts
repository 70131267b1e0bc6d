/**
 * An officer's work on their /officer socket: presence in the queues they serve, break and
 * availability, ending a booth's session, which needs the visit's decision first (an outcome, or a
 * reason it ends without one), and filing ended visits under wrap-up codes.
 */
import { handshakeSchema, type officerCommands, type UndecidedReason } from '@bilik/shared';
import { AlreadyDecidedError, InvalidStateError, OutcomeRequiredError } from '../errors.js';
import { checkedVisitOf } from '../outcomes/outcomeProducer.js';
import type { UndecidedVisits } from '../outcomes/undecidedVisits.js';
import type { VisitDecisions } from '../outcomes/visitDecisions.js';
import type { WrapUps } from '../wrapUp/wrapUps.js';
import type { StaffPrincipal } from '../auth/authenticator.js';
import { authorize } from '../auth/permissions.js';
import type { Logger } from '../logger.js';
import type { AssignedVisit, Scheduler, SchedulerEvent } from '../scheduler/scheduler.js';
import type { CommandRouter } from './commands.js';
import type { SchedulerAnnouncer } from './schedulerAnnouncer.js';
import type { ConnectionPresence } from './presenceKeeper.js';
import type { SignalingSocket } from './socketTypes.js';

export interface WorkDeps {
  scheduler: Scheduler;
  announcer: SchedulerAnnouncer;
  /** Records whose presence this process's sockets carry. */
  presence: ConnectionPresence;
  /** The officer's capacity as their account says. */
  capacityOf(officerId: string): Promise<number>;
  decisions: VisitDecisions;
  undecided: UndecidedVisits;
  wrapUps: WrapUps;
}

/** Puts the officer on duty for their branches' queues while this socket is open, and registers work:set, session:end and wrapup:file. */
export function serveWork(
  socket: SignalingSocket,
  commands: CommandRouter<typeof officerCommands>,
  officer: StaffPrincipal,
  deps: WorkDeps,
  logger: Logger,
): void {
  const { scheduler, announcer } = deps;
  const officerId = officer.accountId;

  commands.command('work:set', async (work) => {
    await announcer.announce(await scheduler.setWork(officerId, work.state, work.state === 'paused' ? work.reason : undefined));
    const view = await scheduler.workOf(officerId);
    // setWork refuses officers it does not know, so the view exists unless Redis lost it since.
    if (view === null) throw new InvalidStateError('You are not on duty; reload the console');
    return view;
  });

  /**
   * Ends the visit without a decision, for `reason`. The decision is claimed first, so that an
   * outcome submitted meanwhile is refused, but the visit is recorded as ended without decision
   * only once its session has ended: a visit is never on record as ended while still in session.
   * An end that fails gives the claim up again while the visit is still in session (with this
   * officer or another), so that it can still be decided; a retry claims it afresh, and the record,
   * keyed by the visit, is written once however often the officer retries.
   */
  const endUndecided = async (visit: AssignedVisit, reason: UndecidedReason): Promise<SchedulerEvent[]> => {
    const decision = { kind: 'undecided', reason } as const;
    const claim = await deps.decisions.claim(visit.visitId, decision);
    if (!claim.claimed && claim.existing.kind === 'outcome') {
      throw new AlreadyDecidedError('This visit already has an outcome; end it without a "no outcome" reason');
    }
    let events: SchedulerEvent[];
    try {
      events = await scheduler.endSession(officerId, visit.boothId);
    } catch (error) {
      // A visit that ended meanwhile anyway (its booth's grace ran out) keeps the claim, so that
      // its record, whoever writes it, carries the one decision the claim names.
      if ((await scheduler.visitOf(visit.boothId))?.visitId === visit.visitId) await deps.decisions.release(visit.visitId, decision);
      throw error;
    }
    // The session has ended: a record that cannot be written now is logged rather than reported
    // as a failure to end, which a retry could not mend (the visit is no longer at the desk).
    await deps.undecided
      .record(checkedVisitOf(visit), reason, { kind: 'account', id: officerId })
      .catch((error: unknown) =>
        logger.error({ visitId: visit.visitId, err: (error as Error).message }, 'could not record a visit ended without decision'),
      );
    return events;
  };

  commands.command('session:end', async ({ boothId, noOutcomeReason }) => {
    const visit = await scheduler.visitAtDesk(boothId, officerId);
    if (visit === null) throw new InvalidStateError('That booth is not in session with you');
    let events: SchedulerEvent[];
    if (noOutcomeReason === null) {
      if ((await deps.decisions.of(visit.visitId)) === null) {
        throw new OutcomeRequiredError('Submit the outcome first, or end the visit with the reason it has none');
      }
      events = await scheduler.endSession(officerId, boothId);
    } else {
      events = await endUndecided(visit, noOutcomeReason);
    }
    await announcer.announce(events);
    logger.info({ boothId, visitId: visit.visitId, noOutcomeReason }, 'session ended by the officer');
    // The session has ended whatever happens next: a wrap-up that cannot be opened is logged, not
    // reported to the officer as a failure to end.
    await deps.wrapUps
      .ended(officerId, { visitId: visit.visitId, boothId, branchId: visit.queueId })
      .catch((error: unknown) => logger.error({ visitId: visit.visitId, err: (error as Error).message }, 'could not open the wrap-up'));
    return null;
  });

  commands.command('wrapup:file', async ({ visitId, codeId }) => {
    authorize(officer, 'wrapup.file', { self: true });
    await deps.wrapUps.file(officerId, visitId, codeId);
    logger.info({ visitId }, 'visit filed under a wrap-up code');
    return null;
  });

  const report = (what: string) => (error: unknown) => logger.error({ err: (error as Error).message }, what);
  // Held by this process first, so that if it dies the officer still goes away.
  const held = { kind: 'officer', id: officerId, connectionId: socket.id } as const;
  // The handshake was validated before the socket connected.
  const start = handshakeSchema.safeParse(socket.handshake.auth).data?.startNotReady ? 'not_ready' : 'available';
  const onDuty = deps.presence
    .hold(held)
    .then(() => deps.capacityOf(officerId))
    .then((capacity) => scheduler.officerOnline(officerId, capacity, officer.branchIds, socket.id, start))
    .then((events) => announcer.announce(events), report('could not put the officer on duty'));
  // After onDuty, so a console closed while it was coming on duty still ends up away.
  socket.on('disconnect', () => {
    void onDuty
      .then(() => scheduler.officerAway(officerId, socket.id))
      .then((events) => announcer.announce(events))
      .then(() => deps.presence.release(held))
      .catch(report('could not mark the officer away'));
  });
}
