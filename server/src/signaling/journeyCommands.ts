/**
 * A booth's visit on its /journey socket: joining its branch's queue (not while the booth is out
 * of service), leaving it, and the presence that keeps its place or session through a dropped
 * connection. The kiosk's self-test and fleet commands share the socket.
 */
import { journeyCommands, type JourneyState } from '@bilik/shared';
import type { BoothPrincipal } from '../auth/authenticator.js';
import { authorize } from '../auth/permissions.js';
import type { HelpRequests } from '../help/helpRequests.js';
import type { Logger } from '../logger.js';
import { InvalidStateError } from '../errors.js';
import type { LimitRefusals } from '../limits/limitRefusals.js';
import type { Scheduler, SchedulerEvent } from '../scheduler/scheduler.js';
import { CommandRouter } from './commands.js';
import { registerFleetCommands, type FleetDeps } from './fleetCommands.js';
import type { SchedulerAnnouncer } from './schedulerAnnouncer.js';
import type { ConnectionPresence } from './presenceKeeper.js';
import type { SignalingSocket } from './socketTypes.js';
import { registerSelfTestCommands } from './selfTestCommands.js';
import type { IceServers } from '../sfu/iceServers.js';
import type { SfuProbe } from '../sfu/probe.js';

export interface JourneyDeps extends FleetDeps {
  scheduler: Scheduler;
  announcer: SchedulerAnnouncer;
  /** Records whose presence this process's sockets carry. */
  presence: ConnectionPresence;
  /** The SFU probe of the kiosks' self-tests. */
  probe: SfuProbe;
  /** The TURN servers handed with every transport, the probe's and the desks'. */
  iceServers: IceServers;
  /** Counts and logs a client reaching one of its caps. */
  limitRefusals: LimitRefusals;
  /** Claimants' calls for help, for the branch's supervisors. */
  help: HelpRequests;
}

/** Serves one connected /journey socket of `booth`; the booth's queue is its branch. */
export function serveJourney(socket: SignalingSocket, booth: BoothPrincipal, deps: JourneyDeps, logger: Logger): void {
  const { scheduler, announcer } = deps;
  const answer = async (events: SchedulerEvent[]): Promise<JourneyState> => {
    await announcer.announce(events);
    return scheduler.journeyOf(booth.boothId);
  };
  const commands = new CommandRouter(socket, journeyCommands, logger, deps.limitRefusals.forCaller({ boothId: booth.boothId }));
  const outOfService = async (): Promise<boolean> => (await deps.booths.findBooth(booth.boothId))?.outOfService ?? true;
  commands.command('journey:start', async (request) => {
    if (await outOfService()) throw new InvalidStateError('This booth is out of service');
    const events = await scheduler.boothStart(booth.boothId, { queueId: booth.branchId, ...request }, socket.id);
    if (!(await outOfService())) return answer(events);
    // Taken out of service while joining, when whoever did it may have found no visit to cancel
    // yet: the queue is left here. A booth assigned at once keeps its session, as any would.
    const journey = await answer([...events, ...(await scheduler.boothCancel(booth.boothId))]);
    if (journey.state !== 'assigned') throw new InvalidStateError('This booth is out of service');
    return journey;
  });
  commands.command('journey:cancel', async () => answer(await scheduler.boothCancel(booth.boothId)));
  commands.command('help:request', async () => {
    authorize(booth, 'help.request', { self: true });
    await deps.help.request(booth.branchId, booth.boothId);
    logger.info('help requested');
    return null;
  });
  registerSelfTestCommands(socket, booth.boothId, commands, deps.probe, deps.iceServers, logger);
  registerFleetCommands(socket, commands, booth, deps, logger);

  const report = (what: string) => (error: unknown) => logger.error({ err: (error as Error).message }, what);
  // A booth that was waiting or in session within its grace period resumes; the scheduler's
  // announcement also gives this socket the state to show. Held by this process first, so that
  // if it dies the booth still goes away.
  const held = { kind: 'booth', id: booth.boothId, connectionId: socket.id } as const;
  const back = deps.presence
    .hold(held)
    .then(() => scheduler.boothBack(booth.boothId, socket.id))
    .then((events) => announcer.announce(events), report('could not resume the visit'));
  // After `back`, so a socket that closes while resuming still leaves the booth away.
  socket.on('disconnect', () => {
    void back
      .then(() => scheduler.boothAway(booth.boothId, socket.id))
      .then((events) => announcer.announce(events))
      .then(() => deps.presence.release(held))
      .catch(report('could not mark the booth away'));
  });
}
