/**
 * What runs where a desk is: the commands a seated client sends to its desk (media, the officer's
 * talk and focus, the booth's call and "cannot hear", the monitor's barge-in) and what its leaving
 * does to the desk. The node holding the desk runs them for its own sockets and, with several
 * nodes, for sockets held by other nodes (see cluster/remoteSeats.ts); those nodes forward the
 * events named in DESK_EVENTS.
 */
import { boothCommands, mediaCommands, monitorCommands, officerCommands, type CommandTable } from '@bilik/shared';
import type { Counter } from 'prom-client';
import type { RecordRefusal } from '../limits/limitRefusals.js';
import type { Logger } from '../logger.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { Desk } from '../sfu/desk.js';
import type { IceServers } from '../sfu/iceServers.js';
import type { ClientConnection, Participant } from '../sfu/participant.js';
import { CommandRouter, type CommandSource } from './commands.js';
import type { SignalingSocket } from './socketTypes.js';
import { registerBoothCommands, registerOfficerCommands } from './deskCommands.js';
import { registerMediaCommands, type MediaRecoveryCounters } from './mediaCommands.js';
import { recordWatchEnded, registerMonitorCommands, type MonitorDeps, type WatchedVisit } from './monitorCommands.js';

const MEDIA_EVENTS = Object.keys(mediaCommands) as Array<keyof typeof mediaCommands>;

/** The events each role sends to its desk: all of them are registered by registerDeskCommands. */
export const DESK_EVENTS = {
  officer: [...MEDIA_EVENTS, 'talk:select', 'tile:focus', 'hearing:dismiss'] satisfies Array<keyof typeof officerCommands>,
  booth: [...MEDIA_EVENTS, 'attention:call', 'hearing:report'] satisfies Array<keyof typeof boothCommands>,
  monitor: [...MEDIA_EVENTS, 'monitor:barge'] satisfies Array<keyof typeof monitorCommands>,
} as const;

/** The command router of a client's socket, typed by its role's namespace. */
export type RoleRouter =
  | { role: 'officer'; commands: CommandRouter<typeof officerCommands> }
  | { role: 'booth'; commands: CommandRouter<typeof boothCommands> }
  | { role: 'monitor'; commands: CommandRouter<typeof monitorCommands>; watched: WatchedVisit };

/** Who is seated, as the desk's node needs to know it. */
export interface DeskSeatClient {
  role: 'officer' | 'booth' | 'monitor';
  id: string;
  officerId: string;
  /** On /monitor only. */
  watched?: WatchedVisit | null;
  /** The officer's display name, shown to their booths (officers only). */
  officerName?: string | null;
}

export interface DeskSeatDeps extends MonitorDeps {
  scheduler: Scheduler;
  iceServers: IceServers;
  recoveryCounters: MediaRecoveryCounters & { deskRejoins: Counter<'role'> };
  /** Closes the officer's desk if nobody is left at it (and gives its lease up). */
  closeDeskIfEmpty(officerId: string): Promise<void>;
}

/** How long a client told its desk moved has to acknowledge before it is disconnected anyway. */
const MOVED_ACK_TIMEOUT_MS = 1000;

/**
 * Tells the socket's client that its desk is to be held by another node, then disconnects it;
 * the client connects again at once. The disconnect waits for the client's acknowledgement (or
 * MOVED_ACK_TIMEOUT_MS): socket.io sends an event through the Redis adapter, after a round trip
 * to Redis, and a disconnect made at once would overtake it. The connection under the socket
 * stays open, for the client's reconnection to reuse.
 */
export function sendDeskMoved(socket: SignalingSocket): void {
  socket.timeout(MOVED_ACK_TIMEOUT_MS).emit('desk:moved', {}, () => socket.disconnect(false));
}

/** A command router for `client`'s events arriving from `source`, with its namespace's table. */
export function roleRouter(source: CommandSource, client: DeskSeatClient, logger: Logger, refusals: RecordRefusal): RoleRouter {
  if (client.role === 'officer') return { role: 'officer', commands: new CommandRouter(source, officerCommands, logger, refusals) };
  if (client.role === 'booth') return { role: 'booth', commands: new CommandRouter(source, boothCommands, logger, refusals) };
  return { role: 'monitor', commands: new CommandRouter(source, monitorCommands, logger, refusals), watched: client.watched! };
}

/**
 * Seats `client` at `desk` over `connection` (a monitor watches its visit), whether its socket is
 * on this node or another. Throws when the desk filled up or closed since it was looked up; a
 * monitor's watch is then recorded as ended.
 */
export function seatAtDesk(
  desk: Desk,
  client: DeskSeatClient,
  connection: ClientConnection,
  deps: DeskSeatDeps,
  logger: Logger,
): Participant {
  try {
    return client.role === 'monitor'
      ? desk.watch(client.id, client.watched!, connection)
      : desk.join(client.role, client.id, connection, client.officerName ?? null);
  } catch (error) {
    if (client.watched) recordWatchEnded(client.watched, false, deps, logger);
    throw error;
  }
}

/** Registers the desk commands of the router's role, run at `desk` as `participant`. */
export function registerDeskCommands(router: RoleRouter, desk: Desk, participant: Participant, deps: DeskSeatDeps): void {
  registerMediaCommands(router.commands, desk, participant, deps.iceServers, deps.recoveryCounters);
  if (router.role === 'officer') registerOfficerCommands(router.commands, desk);
  else if (router.role === 'booth') registerBoothCommands(router.commands, desk, participant);
  else registerMonitorCommands(router.commands, desk, participant, router.watched, deps);
}

/**
 * Registers the desk commands of the router's role as forwarded: each validated payload goes to
 * `ask`, which runs it where the desk is (validated there again) and resolves with its reply.
 */
export function registerForwardedDeskCommands(router: RoleRouter, ask: (event: string, payload: unknown) => Promise<unknown>): void {
  // Every table holds every event of its role's DESK_EVENTS; the replies are the desk node's, checked there.
  const commands = router.commands as unknown as CommandRouter<CommandTable>;
  for (const event of DESK_EVENTS[router.role]) commands.command(event, (payload) => ask(event, payload));
}

/**
 * The client's connection to the desk ended: it leaves the desk (a booth keeps its seat while its
 * session goes on), a monitor's end is audited, and the desk closes if nobody is left.
 */
export function leaveDesk(desk: Desk, participant: Participant, client: DeskSeatClient, deps: DeskSeatDeps, logger: Logger): void {
  if (client.watched) recordWatchEnded(client.watched, participant.watch?.barging === true, deps, logger);
  void desk
    .leave(participant)
    .then(() => (client.role === 'booth' ? freeSeatIfSessionOver(desk, client, deps) : undefined))
    .then(() => deps.closeDeskIfEmpty(client.officerId))
    .catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'could not update the desk after a disconnect'));
}

/**
 * A booth whose link closed keeps its seat while its session with the officer goes on (a reload,
 * a lost network); one whose session ended (the link closed for that) frees it.
 */
async function freeSeatIfSessionOver(desk: Desk, booth: DeskSeatClient, deps: DeskSeatDeps): Promise<void> {
  if ((await deps.scheduler.officerOfBooth(booth.id)) !== booth.officerId) desk.release(booth.id);
}
