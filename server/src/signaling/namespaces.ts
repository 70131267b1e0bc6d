/**
 * The socket.io namespaces: /booth for kiosks and /officer for officer consoles. A handshake is
 * checked before any event is accepted; a connected client is seated at its desk and leaves it
 * when it disconnects.
 */
import {
  boothHandshakeSchema,
  NAMESPACES,
  officerHandshakeSchema,
  PROTOCOL_VERSION,
  type ErrorCode,
  type ServerToClientEvents,
} from '@bilik/shared';
import type { Namespace, Server, Socket } from 'socket.io';
import type { Logger } from '../logger.js';
import type { Desk } from '../sfu/desk.js';
import type { DeskRegistry } from '../sfu/deskRegistry.js';
import type { ParticipantRole } from '../sfu/mediaPolicy.js';
import type { Notify, Participant } from '../sfu/participant.js';
import { CommandRouter } from './commands.js';
import { registerBoothCommands, registerOfficerCommands } from './deskCommands.js';
import { registerMediaCommands } from './mediaCommands.js';

export interface SignalingDeps {
  desks: DeskRegistry;
  logger: Logger;
}

interface SeatedClient {
  role: ParticipantRole;
  id: string;
  officerId: string;
}

/** Attaches both namespaces to the socket.io server. */
export function attachSignaling(io: Server, deps: SignalingDeps): void {
  const logger = deps.logger.child({ module: 'signaling' });
  setUpNamespace(io.of(NAMESPACES.booth), 'booth', deps, logger, async (socket) => {
    const auth = parseHandshake(boothHandshakeSchema, socket.handshake.auth);
    const officerId = await deps.desks.assignments.officerOfBooth(auth.boothId);
    if (officerId === null) throw handshakeError('FORBIDDEN', `Booth ${auth.boothId} is not assigned to any officer`);
    return { role: 'booth', id: auth.boothId, officerId };
  });
  setUpNamespace(io.of(NAMESPACES.officer), 'officer', deps, logger, async (socket) => {
    const auth = parseHandshake(officerHandshakeSchema, socket.handshake.auth);
    if (!(await deps.desks.assignments.isKnownOfficer(auth.officerId))) throw handshakeError('UNAUTHORIZED', `Unknown officer ${auth.officerId}`);
    return { role: 'officer', id: auth.officerId, officerId: auth.officerId };
  });
}

function setUpNamespace(
  namespace: Namespace,
  role: ParticipantRole,
  deps: SignalingDeps,
  logger: Logger,
  identify: (socket: Socket) => Promise<SeatedClient>,
): void {
  // The desk is opened during the handshake, so once the client sees `connect` every command
  // it sends finds its handler registered.
  namespace.use((socket, next) => {
    identify(socket)
      .then(async (client) => {
        const desk = await deps.desks.deskOf(client.officerId);
        if (client.role === 'booth' && !desk.hasRoomFor(client.id)) {
          throw handshakeError('INVALID_STATE', `The officer's desk is full (${desk.boothIds.length} booths)`);
        }
        socket.data.client = client;
        socket.data.desk = desk;
        // A client that goes away before its connection completes must not keep a desk open.
        socket.conn.once('close', () => {
          if (!socket.connected) void deps.desks.closeIfEmpty(client.officerId);
        });
        next();
      })
      .catch((error: unknown) => {
        logger.warn({ role, socketId: socket.id, reason: (error as Error).message }, 'handshake refused');
        next(error instanceof Error ? error : new Error(String(error)));
      });
  });

  namespace.on('connection', (socket) => {
    const client = socket.data.client as SeatedClient;
    const desk = socket.data.desk as Desk;
    const clientLogger = logger.child({ role: client.role, participantId: client.id, officerId: client.officerId, socketId: socket.id });
    seat(socket, client, desk, deps, clientLogger);
  });
}

function seat(socket: Socket, client: SeatedClient, desk: Desk, deps: SignalingDeps, logger: Logger): void {
  const connection = {
    notify: ((event, ...args) => {
      (socket.emit as (event: keyof ServerToClientEvents, ...payload: unknown[]) => boolean)(event, ...args);
    }) as Notify,
    disconnect: () => void socket.disconnect(true),
  };
  let participant: Participant;
  try {
    participant = desk.join(client.role, client.id, connection);
  } catch (error) {
    // The desk filled up or closed between the handshake and now.
    logger.warn({ reason: (error as Error).message }, 'could not seat client');
    socket.emit('protocol:error', { event: 'connection', error: 'INVALID_STATE', message: (error as Error).message });
    socket.disconnect(true);
    return;
  }
  const commands = new CommandRouter(socket, logger);
  registerMediaCommands(commands, desk, participant);
  if (client.role === 'officer') registerOfficerCommands(commands, desk);
  else registerBoothCommands(commands, desk, participant);
  socket.on('disconnect', (reason) => {
    logger.info({ reason }, 'client disconnected');
    void desk.leave(participant).then(() => deps.desks.closeIfEmpty(client.officerId));
  });
}

function parseHandshake<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, auth: unknown): T {
  const protocolVersion = (auth as { protocolVersion?: unknown } | undefined)?.protocolVersion;
  if (protocolVersion !== PROTOCOL_VERSION) {
    throw handshakeError('PROTOCOL_MISMATCH', `This server speaks protocol ${PROTOCOL_VERSION}; reload the page to update.`);
  }
  const parsed = schema.safeParse(auth);
  if (!parsed.success) throw handshakeError('BAD_REQUEST', 'Invalid handshake');
  return parsed.data;
}

/** A refused handshake: socket.io passes `message` and `data` to the client's connect_error. */
function handshakeError(code: ErrorCode, message: string): Error & { data: { error: ErrorCode } } {
  return Object.assign(new Error(message), { data: { error: code } });
}
