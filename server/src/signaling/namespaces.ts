/**
 * The socket.io namespaces: /journey for a kiosk's visit (queue and end), /booth for its media
 * link while it is assigned, /officer for officer consoles, and /monitor for a supervisor
 * monitoring one visit. A handshake is checked before
 * any event is accepted; a connected desk client is seated at its desk and leaves it when it
 * disconnects.
 */
import {
  boothCommands,
  handshakeSchema,
  monitorCommands,
  NAMESPACES,
  officerCommands,
  PROTOCOL_VERSION,
  type Handshake,
  type ErrorCode,
} from '@bilik/shared';
import type { Counter } from 'prom-client';
import type { DocumentCapture } from '../documents/documentCapture.js';
import type { LivenessPrompts } from '../liveness/livenessPrompts.js';
import type { Logger } from '../logger.js';
import type { Desk } from '../sfu/desk.js';
import type { DeskRegistry } from '../sfu/deskRegistry.js';
import type { ParticipantRole } from '../sfu/mediaPolicy.js';
import type { Notify, Participant } from '../sfu/participant.js';
import type { Authenticator, BoothPrincipal, StaffPrincipal } from '../auth/authenticator.js';
import { authorize, authorizeRole, type Principal } from '../auth/permissions.js';
import { AppError, ForbiddenError } from '../errors.js';
import type { SocketHolder, SocketLimits } from '../limits/socketLimits.js';
import { CommandRouter } from './commands.js';
import { boothRoom, monitorRoom, officerRoom, sessionRoom } from './socketEvictions.js';
import { registerBoothCommands, registerOfficerCommands } from './deskCommands.js';
import { registerBoothDocumentCommands, registerOfficerDocumentCommands } from './documentCommands.js';
import { serveJourney, type JourneyDeps } from './journeyCommands.js';
import { registerLivenessCommands } from './livenessCommands.js';
import { registerMediaCommands, type MediaRecoveryCounters } from './mediaCommands.js';
import { recordWatchEnded, registerMonitorCommands, startWatching, type MonitorDeps } from './monitorCommands.js';
import { registerOutcomeCommands, type OutcomeDeps } from './outcomeCommands.js';
import type { SeatedClient, SignalingNamespace, SignalingServer, SignalingSocket } from './socketTypes.js';
import { registerTransferCommands } from './transferCommands.js';
import type { VisitTransfers } from '../transfers/visitTransfers.js';
import { serveWork, type WorkDeps } from './workCommands.js';

export interface SignalingDeps extends JourneyDeps, WorkDeps, OutcomeDeps, MonitorDeps {
  desks: DeskRegistry;
  authenticator: Authenticator;
  documents: DocumentCapture;
  liveness: LivenessPrompts;
  transfers: VisitTransfers;
  /** The display name of an officer's account (null: no such account), which the officer's booths show. */
  officerNameOf(officerId: string): Promise<string | null>;
  /** The cap on sockets per booth credential and per staff session. */
  socketLimits: SocketLimits;
  /** Counts desk clients recovering: ICE restarts, rebuilt media sessions, and reconnections (deskRejoins). */
  recoveryCounters: MediaRecoveryCounters & { deskRejoins: Counter<'role'> };
  logger: Logger;
}

/** Attaches the four namespaces to the socket.io server. */
export function attachSignaling(io: SignalingServer, deps: SignalingDeps): void {
  const logger = deps.logger.child({ module: 'signaling' });
  deps.announcer.onSessionOver((officerId, boothId) => deps.desks.releaseBooth(officerId, boothId));
  setUpJourneyNamespace(io.of(NAMESPACES.journey), deps, logger.child({ role: 'journey' }));
  setUpNamespace(io.of(NAMESPACES.booth), 'booth', deps, logger, async (socket) => {
    const booth = await authenticateBooth(socket, deps.authenticator);
    const officerId = await deps.scheduler.officerOfBooth(booth.boothId);
    if (officerId === null) throw handshakeError('INVALID_STATE', `Booth ${booth.boothId} is not assigned to any officer`);
    return { role: 'booth', id: booth.boothId, officerId, rooms: [boothRoom(booth.boothId)], session: null };
  });
  setUpNamespace(io.of(NAMESPACES.officer), 'officer', deps, logger, async (socket) => {
    const staff = authorize(await authenticate(socket, deps.authenticator), 'desk.serve', { self: true });
    if (staff.kind !== 'staff') throw new ForbiddenError('Only an officer may connect here');
    return {
      role: 'officer',
      id: staff.accountId,
      officerId: staff.accountId,
      officerName: await deps.officerNameOf(staff.accountId),
      rooms: [sessionRoom(staff.sessionId), officerRoom(staff.accountId)],
      session: staff,
    };
  });
  setUpNamespace(io.of(NAMESPACES.monitor), 'monitor', deps, logger, async (socket) => {
    const { boothId, visitId } = parseHandshake(socket.handshake.auth);
    const principal = await authenticate(socket, deps.authenticator);
    if (boothId === undefined) {
      authorizeRole(principal, 'visit.monitor');
      throw handshakeError('BAD_REQUEST', 'Name the booth whose visit to monitor (auth.boothId)');
    }
    const watched = await startWatching(principal, { boothId, visitId }, deps);
    return {
      role: 'monitor',
      id: watched.supervisor.accountId,
      officerId: watched.officerId,
      rooms: [sessionRoom(watched.supervisor.sessionId), monitorRoom(boothId)],
      session: watched.supervisor,
      watched,
    };
  });
}

/** /journey: an enrolled booth's visit, open whether or not the booth is assigned. */
function setUpJourneyNamespace(namespace: SignalingNamespace, deps: SignalingDeps, logger: Logger): void {
  namespace.use((socket, next) => {
    authenticateBooth(socket, deps.authenticator).then(
      (booth) => {
        socket.data.booth = booth;
        // Joined before `connection`, so neither an eviction nor an announcement can miss it.
        // The adapter joins at once; its promise is only for adapters that talk to other servers.
        void socket.join(boothRoom(booth.boothId));
        next();
      },
      (error: unknown) => {
        logger.warn({ socketId: socket.id, reason: (error as Error).message }, 'handshake refused');
        next(asHandshakeError(error));
      },
    );
  });
  namespace.on('connection', (socket) => {
    // Set by the middleware, which refuses a socket it could not identify.
    const booth = socket.data.booth!;
    deps.socketLimits.admit(socket, { boothId: booth.boothId });
    serveJourney(socket, booth, deps, logger.child({ boothId: booth.boothId, socketId: socket.id }));
  });
}

async function authenticateBooth(socket: SignalingSocket, authenticator: Authenticator): Promise<BoothPrincipal> {
  const booth = authorize(await authenticate(socket, authenticator), 'booth.connect', { self: true });
  if (booth.kind !== 'booth') throw new ForbiddenError('Only a booth may connect here');
  return booth;
}

/**
 * Who opens this socket: a booth by the credential in its handshake, otherwise a staff member by
 * the session cookie of the handshake request. Which of them may use the namespace is the
 * permission table's call.
 */
async function authenticate(socket: SignalingSocket, authenticator: Authenticator): Promise<Principal | null> {
  const auth = parseHandshake(socket.handshake.auth);
  if (auth.credential !== undefined) {
    const booth = await authenticator.boothFromCredential(auth.credential);
    if (booth === null) throw handshakeError('UNAUTHORIZED', 'This booth is not enrolled, or its credential was revoked');
    return booth;
  }
  return authenticator.staffFromCookieHeader(socket.handshake.headers.cookie);
}

function setUpNamespace(
  namespace: SignalingNamespace,
  role: ParticipantRole,
  deps: SignalingDeps,
  logger: Logger,
  identify: (socket: SignalingSocket) => Promise<SeatedClient>,
): void {
  // Not in socket.data: connection-state recovery serializes that into Redis, and a desk is a
  // live object, not data.
  const desks = new WeakMap<SignalingSocket, Desk>();
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
        desks.set(socket, desk);
        // Joined before `connection`, so an eviction can never miss a socket that is connecting.
        // The adapter joins at once; its promise is only for adapters that talk to other servers.
        void socket.join(client.rooms);
        // A client that goes away before its connection completes must not keep a desk open.
        socket.conn.once('close', () => {
          if (!socket.connected) void deps.desks.closeIfEmpty(client.officerId);
        });
        next();
      })
      .catch((error: unknown) => {
        logger.warn({ role, socketId: socket.id, reason: (error as Error).message }, 'handshake refused');
        next(asHandshakeError(error));
      });
  });

  namespace.on('connection', (socket) => {
    // Both set by the middleware, which refuses a socket it could not seat.
    const client = socket.data.client!;
    const desk = desks.get(socket)!;
    const clientLogger = logger.child({ role: client.role, participantId: client.id, officerId: client.officerId, socketId: socket.id });
    deps.socketLimits.admit(socket, socketHolder(client));
    seat(socket, client, desk, deps, clientLogger);
  });
}

function seat(socket: SignalingSocket, client: SeatedClient, desk: Desk, deps: SignalingDeps, logger: Logger): void {
  let participant: Participant;
  const connection = {
    notify: ((event, ...args) => void socket.emit(event, ...args)) satisfies Notify,
    disconnect: () => void socket.disconnect(true),
  };
  try {
    participant =
      client.role === 'monitor'
        ? desk.watch(client.id, client.watched!, connection)
        : desk.join(client.role, client.id, connection, client.officerName ?? null);
  } catch (error) {
    // The desk filled up or closed between the handshake and now.
    logger.warn({ reason: (error as Error).message }, 'could not seat client');
    if (client.watched) recordWatchEnded(client.watched, false, deps, logger);
    socket.emit('protocol:error', { event: 'connection', error: 'INVALID_STATE', message: (error as Error).message });
    socket.disconnect(true);
    return;
  }
  if (client.session) keepSessionAlive(socket, client.session, deps, logger);
  // socket.io's client sends its previous connection's id (pid) whenever it connects again after a drop.
  if (handshakeSchema.safeParse(socket.handshake.auth).data?.pid !== undefined)
    deps.recoveryCounters.deskRejoins.inc({ role: client.role });
  const caller = client.role === 'booth' ? { boothId: client.id } : { accountId: client.id };
  const refusals = deps.limitRefusals.forCaller(caller);
  if (client.role === 'officer') {
    const commands = new CommandRouter(socket, officerCommands, logger, refusals);
    registerMediaCommands(commands, desk, participant, deps.iceServers, deps.recoveryCounters);
    registerOfficerCommands(commands, desk);
    if (client.session) {
      serveWork(socket, commands, client.session, deps, logger);
      registerOfficerDocumentCommands(commands, client.session, deps.documents);
      registerLivenessCommands(commands, client.session, deps.liveness);
      showLivenessToJudge(socket, client.officerId, deps, logger);
      registerTransferCommands(commands, client.session, deps.transfers);
      registerOutcomeCommands(commands, client.session, deps, logger);
    }
  } else if (client.role === 'monitor') {
    const commands = new CommandRouter(socket, monitorCommands, logger, refusals);
    registerMediaCommands(commands, desk, participant, deps.iceServers, deps.recoveryCounters);
    registerMonitorCommands(commands, desk, participant, client.watched!, deps);
    socket.on('disconnect', () => recordWatchEnded(client.watched!, participant.watch?.barging === true, deps, logger));
  } else {
    const commands = new CommandRouter(socket, boothCommands, logger, refusals);
    registerMediaCommands(commands, desk, participant, deps.iceServers, deps.recoveryCounters);
    registerBoothCommands(commands, desk, participant);
    registerBoothDocumentCommands(commands, client.id, deps.documents);
    showPendingLiveness(socket, client.id, deps, logger);
  }
  socket.on('disconnect', (reason) => {
    logger.info({ reason }, 'client disconnected');
    void desk
      .leave(participant)
      .then(() => (client.role === 'booth' ? freeSeatIfSessionOver(desk, client, deps) : undefined))
      .then(() => deps.desks.closeIfEmpty(client.officerId))
      .catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'could not update the desk after a disconnect'));
  });
}

/** An officer's console joining the desk (again: a reload) is told of the challenges its booths show, so it can judge them. */
function showLivenessToJudge(socket: SignalingSocket, officerId: string, deps: SignalingDeps, logger: Logger): void {
  deps.liveness.showingAtDesk(officerId).then(
    (showing) => {
      for (const { boothId, challenge } of showing) if (socket.connected) socket.emit('liveness:showing', { boothId, challenge });
    },
    (error: unknown) => logger.warn({ err: (error as Error).message }, 'could not look up the liveness challenges to show again'),
  );
}

/** A kiosk joining its desk (again: a reload, a reconnect) is shown the liveness challenge it was showing, if any. */
function showPendingLiveness(socket: SignalingSocket, boothId: string, deps: SignalingDeps, logger: Logger): void {
  deps.liveness.showingAt(boothId).then(
    (challenge) => {
      if (challenge !== null && socket.connected) socket.emit('liveness:challenged', challenge);
    },
    (error: unknown) => logger.warn({ err: (error as Error).message }, 'could not look up the liveness challenge to show again'),
  );
}

/**
 * A booth whose link closed keeps its seat while its session with the officer goes on (a reload,
 * a lost network); one whose session ended (the link closed for that) frees it.
 */
async function freeSeatIfSessionOver(desk: Desk, booth: SeatedClient, deps: SignalingDeps): Promise<void> {
  if ((await deps.scheduler.officerOfBooth(booth.id)) !== booth.officerId) desk.release(booth.id);
}

/** Whose socket a desk client's is, for the socket caps: an officer's session, or a booth. */
function socketHolder(client: SeatedClient): SocketHolder {
  return client.session ? { accountId: client.session.accountId, sessionId: client.session.sessionId } : { boothId: client.id };
}

/**
 * While an officer's console is open its session stays alive (a call may last longer than the
 * idle timeout without any HTTP request); the socket closes when the session reaches its maximum
 * age or ends elsewhere (signed out on another process, Redis lost it).
 */
function keepSessionAlive(socket: SignalingSocket, session: StaffPrincipal, deps: SignalingDeps, logger: Logger): void {
  const sessions = deps.authenticator.sessions;
  const endAt = setTimeout(
    () => {
      logger.info('session reached its maximum age');
      socket.disconnect(true);
    },
    Math.max(0, session.expiresAt - Date.now()),
  );
  const refresh = setInterval(
    () => {
      sessions.touch(session.sessionId).then(
        (live) => {
          if (live === null) socket.disconnect(true);
        },
        (error: unknown) => logger.warn({ err: (error as Error).message }, 'could not refresh the session'),
      );
    },
    Math.max(1000, sessions.lifetime.idleTimeoutMs / 3),
  );
  socket.on('disconnect', () => {
    clearTimeout(endAt);
    clearInterval(refresh);
  });
}

/** Known failures keep their code for the client; anything else is reported without its text. */
function asHandshakeError(error: unknown): Error {
  if (error instanceof AppError) return handshakeError(error.code, error.message);
  if (error instanceof Error && 'data' in error) return error;
  return handshakeError('INTERNAL', 'The server could not accept this connection');
}

function parseHandshake(auth: unknown): Handshake {
  const protocolVersion = (auth as { protocolVersion?: unknown } | undefined)?.protocolVersion;
  if (protocolVersion !== PROTOCOL_VERSION) {
    throw handshakeError('PROTOCOL_MISMATCH', `This server speaks protocol ${PROTOCOL_VERSION}; reload the page to update.`);
  }
  const parsed = handshakeSchema.safeParse(auth);
  if (!parsed.success) throw handshakeError('BAD_REQUEST', 'Invalid handshake');
  return parsed.data;
}

/** A refused handshake: socket.io passes `message` and `data` to the client's connect_error. */
function handshakeError(code: ErrorCode, message: string): Error & { data: { error: ErrorCode } } {
  return Object.assign(new Error(message), { data: { error: code } });
}
