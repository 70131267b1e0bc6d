/**
 * A booth's visit on its /journey socket: joining its branch's queue, leaving it, and the
 * presence that keeps its place or session through a dropped connection.
 */
import { journeyRequestSchemas, type JourneyState } from '@bilik/shared';
import type { Socket } from 'socket.io';
import type { BoothPrincipal } from '../auth/authenticator.js';
import type { Logger } from '../logger.js';
import type { Scheduler, SchedulerEvent } from '../scheduler/scheduler.js';
import { CommandRouter } from './commands.js';
import type { SchedulerAnnouncer } from './schedulerAnnouncer.js';

export interface JourneyDeps {
  scheduler: Scheduler;
  announcer: SchedulerAnnouncer;
}

/** Serves one connected /journey socket of `booth`; the booth's queue is its branch. */
export function serveJourney(socket: Socket, booth: BoothPrincipal, deps: JourneyDeps, logger: Logger): void {
  const { scheduler, announcer } = deps;
  const answer = async (events: SchedulerEvent[]): Promise<JourneyState> => {
    await announcer.announce(events);
    return scheduler.journeyOf(booth.boothId);
  };
  const commands = new CommandRouter(socket, logger);
  commands.command('journey:start', journeyRequestSchemas['journey:start'], async (request) =>
    answer(await scheduler.boothStart(booth.boothId, { queueId: booth.branchId, ...request }, socket.id)),
  );
  commands.command('journey:cancel', journeyRequestSchemas['journey:cancel'], async () => answer(await scheduler.boothCancel(booth.boothId)));

  const report = (what: string) => (error: unknown) => logger.error({ err: (error as Error).message }, what);
  // A booth that was waiting or in session within its grace period resumes; the scheduler's
  // announcement also gives this socket the state to show.
  const back = scheduler.boothBack(booth.boothId, socket.id).then((events) => announcer.announce(events), report('could not resume the visit'));
  // After `back`, so a socket that closes while resuming still leaves the booth away.
  socket.on('disconnect', () => {
    void back
      .then(() => scheduler.boothAway(booth.boothId, socket.id))
      .then((events) => announcer.announce(events), report('could not mark the booth away'));
  });
}
