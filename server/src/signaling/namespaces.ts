/**
 * The socket.io namespaces: /journey for a kiosk's visit (queue and end), /booth for its media
 * link while it is assigned, /officer for officer consoles, and /monitor for a supervisor
 * monitoring one visit. A handshake is checked before
 * any event is accepted; a connected desk client is seated at its desk and leaves it when it
 * disconnects.
 */
import { handshakeSchema, NAMESPACES, PROTOCOL_VERSION, type Handshake, type ErrorCode } from '@bilik/shared';
import type { DeskPlacement } from '../cluster/deskPlacement.js';
import type { RemoteDeskLink, RemoteDesks } from '../cluster/remoteDesks.js';
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
import { registerBoothDocumentCommands, registerOfficerDocumentCommands } from './documentCommands.js';
import {
  leaveDesk,
  registerDeskCommands,
  registerForwardedDeskCommands,
  roleRouter,
  seatAtDesk,
  sendDeskMoved,
  type DeskSeatDeps,
  type RoleRouter,
} from './deskSeating.js';
import { serveJourney, type JourneyDeps } from './journeyCommands.js';
import { registerLivenessCommands } from './livenessCommands.js';
import { startWatching } from './monitorCommands.js';
import { registerOutcomeCommands, type OutcomeDeps } from './outcomeCommands.js';
import { boothRoom, monitorRoom, officerRoom, sessionRoom } from './socketEvictions.js';
import type { SeatedClient, SignalingNamespace, SignalingServer, SignalingSocket } from './socketTypes.js';
import { registerTransferCommands } from './transferCommands.js';
import type { VisitTransfers } from '../transfers/visitTransfers.js';
import { serveWork, type WorkDeps } from './workCommands.js';

export interface SignalingDeps extends JourneyDeps, WorkDeps, OutcomeDeps, DeskSeatDeps {
  desks: DeskRegistry;
  /** Where each officer's desk is: here, or on the node holding its lease (several nodes). */
  placement: DeskPlacement;
  /** This node's sockets seated at desks of other nodes; null on a single node. */
  remoteDesks: RemoteDesks | null;
  authenticator: Authenticator;
  documents: DocumentCapture;
  liveness: LivenessPrompts;
  transfers: VisitTransfers;
  /** The display name of an officer's account (null: no such account), which the officer's booths show. */
  officerNameOf(officerId: string): Promise<string | null>;
  /** The cap on sockets per booth credential and per staff session. */
  socketLimits: SocketLimits;
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
  const desks = new WeakMap<SignalingSocket, SeatAt>();
  // The desk is opened (or the client seated at it on the node holding it) during the handshake,
  // so once the client sees `connect` every command it sends finds its handler registered.
  namespace.use((socket, next) => {
    identify(socket)
      .then(async (client) => {
        const seatAt = await placeClient(socket, client, deps);
        socket.data.client = client;
        desks.set(socket, seatAt);
        // Joined before `connection`, so an eviction can never miss a socket that is connecting.
        // The adapter joins at once; its promise is only for adapters that talk to other servers.
        void socket.join(client.rooms);
        // A client that goes away before its connection completes must not keep a desk open, or a seat on another node.
        const leaveUnconnected = (): void => {
          if (socket.connected) return;
          if (seatAt.kind === 'remote') seatAt.link.leave();
          else {
            seatAt.arrived();
            void deps.placement.closeIfEmpty(client.officerId);
          }
        };
        if (socket.conn.readyState === 'closed') leaveUnconnected();
        else socket.conn.once('close', leaveUnconnected);
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
    const seatAt = desks.get(socket)!;
    const clientLogger = logger.child({ role: client.role, participantId: client.id, officerId: client.officerId, socketId: socket.id });
    deps.socketLimits.admit(socket, socketHolder(client));
    seat(socket, client, seatAt, deps, clientLogger);
  });
}

/**
 * Where a socket's client sits: at a desk of this node (held open for it until `arrived`, once it
 * is seated or gone), or linked to its desk on another node.
 */
type SeatAt = { kind: 'local'; desk: Desk; arrived: () => void } | { kind: 'remote'; link: RemoteDeskLink };

/**
 * Opens the client's desk here, or seats the client at it on the node holding it. A booth is
 * refused when the desk is full.
 */
async function placeClient(socket: SignalingSocket, client: SeatedClient, deps: SignalingDeps): Promise<SeatAt> {
  const placed = await deps.placement.arrive(client.officerId);
  if (placed.kind === 'remote') {
    const remoteClient = {
      role: client.role,
      id: client.id,
      officerId: client.officerId,
      officerName: client.officerName ?? null,
      watched: client.watched ?? null,
    };
    return { kind: 'remote', link: await deps.remoteDesks!.seat(socket, remoteClient, placed.nodeId) };
  }
  if (client.role === 'booth' && !placed.desk.hasRoomFor(client.id)) {
    placed.arrived();
    throw handshakeError('INVALID_STATE', `The officer's desk is full (${placed.desk.boothIds.length} booths)`);
  }
  return placed;
}

function seat(socket: SignalingSocket, client: SeatedClient, seatAt: SeatAt, deps: SignalingDeps, logger: Logger): void {
  const caller = client.role === 'booth' ? { boothId: client.id } : { accountId: client.id };
  const router = roleRouter(socket, client, logger, deps.limitRefusals.forCaller(caller));
  if (seatAt.kind === 'local') {
    const seated = seatLocally(socket, client, seatAt.desk, router, deps, logger);
    seatAt.arrived();
    if (!seated) return;
  } else {
    registerForwardedDeskCommands(router, (event, payload) => seatAt.link.ask(event, payload));
    socket.on('disconnect', (reason) => {
      logger.info({ reason, node: seatAt.link.nodeId }, 'client of a desk on another node disconnected');
      seatAt.link.leave();
    });
    seatAt.link.connected();
  }
  if (client.session) keepSessionAlive(socket, client.session, deps, logger);
  // socket.io's client sends its previous connection's id (pid) whenever it connects again after a drop.
  if (handshakeSchema.safeParse(socket.handshake.auth).data?.pid !== undefined)
    deps.recoveryCounters.deskRejoins.inc({ role: client.role });
  registerNodeLocalCommands(socket, client, router, deps, logger);
}

/** Seats the client at `desk`, here, with its desk commands; false when it could not be seated (then disconnected). */
function seatLocally(
  socket: SignalingSocket,
  client: SeatedClient,
  desk: Desk,
  router: RoleRouter,
  deps: SignalingDeps,
  logger: Logger,
): boolean {
  let participant: Participant;
  const connection = {
    notify: ((event, ...args) => void socket.emit(event, ...args)) satisfies Notify,
    disconnect: () => void socket.disconnect(true),
    moved: () => sendDeskMoved(socket),
  };
  try {
    participant = seatAtDesk(desk, client, connection, deps, logger);
  } catch (error) {
    // The desk filled up between the handshake and now, or closed (moved away, or lost with its worker).
    logger.warn({ reason: (error as Error).message }, 'could not seat client');
    socket.emit('protocol:error', { event: 'connection', error: 'INVALID_STATE', message: (error as Error).message });
    socket.disconnect(true);
    return false;
  }
  registerDeskCommands(router, desk, participant, deps);
  socket.on('disconnect', (reason) => {
    logger.info({ reason }, 'client disconnected');
    leaveDesk(desk, participant, client, deps, logger);
  });
  return true;
}

/** The commands that need no desk (Redis and the database only): run on whichever node holds the socket. */
function registerNodeLocalCommands(
  socket: SignalingSocket,
  client: SeatedClient,
  router: RoleRouter,
  deps: SignalingDeps,
  logger: Logger,
): void {
  if (router.role === 'officer' && client.session) {
    const commands = router.commands;
    serveWork(socket, commands, client.session, deps, logger);
    registerOfficerDocumentCommands(commands, client.session, deps.documents);
    registerLivenessCommands(commands, client.session, deps.liveness);
    showLivenessToJudge(socket, client.officerId, deps, logger);
    registerTransferCommands(commands, client.session, deps.transfers);
    registerOutcomeCommands(commands, client.session, deps, logger);
  } else if (router.role === 'booth') {
    registerBoothDocumentCommands(router.commands, client.id, deps.documents);
    showPendingLiveness(socket, client.id, deps, logger);
  }
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
