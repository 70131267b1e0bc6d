/**
 * An officer's work on their /officer socket: presence in the queues they serve, break and
 * availability, and ending a booth's session.
 */
import { handshakeSchema, type officerCommands } from '@bilik/shared';
import { InvalidStateError } from '../errors.js';
import type { StaffPrincipal } from '../auth/authenticator.js';
import type { Logger } from '../logger.js';
import type { Scheduler } from '../scheduler/scheduler.js';
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
}

/** Puts the officer on duty for their branches' queues while this socket is open, and registers work:set and session:end. */
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
  commands.command('session:end', async ({ boothId }) => {
    await announcer.announce(await scheduler.endSession(officerId, boothId));
    logger.info({ boothId }, 'session ended by the officer');
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
