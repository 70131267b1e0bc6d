/**
 * socket.io's type parameters for this server. Every namespace shares one Server type, so what
 * clients send is typed as the commands of all of them; each namespace's CommandRouter answers
 * only its own table (see commands.ts).
 */
import type {
  BoothClientToServerEvents,
  JourneyClientToServerEvents,
  MonitorClientToServerEvents,
  OfficerClientToServerEvents,
  ServerToClientEvents,
} from '@bilik/shared';
import type { Namespace, Server, Socket } from 'socket.io';
import type { BoothPrincipal, StaffPrincipal } from '../auth/authenticator.js';
import type { ParticipantRole } from '../sfu/mediaPolicy.js';
import type { WatchedVisit } from './monitorCommands.js';

/** The commands of every namespace. */
type ClientToServerEvents = BoothClientToServerEvents &
  JourneyClientToServerEvents &
  OfficerClientToServerEvents &
  MonitorClientToServerEvents;

/** Server processes send each other nothing of their own; the Redis adapter carries room broadcasts. */
type InterServerEvents = Record<never, never>;

/** A client seated at a desk: a booth on /booth, an officer on /officer, or a supervisor on /monitor. */
export interface SeatedClient {
  role: ParticipantRole;
  id: string;
  officerId: string;
  /** Its rooms: the one SocketEvictions empties when what authenticated this socket ends, and the one announcements reach. */
  rooms: string[];
  /** On /officer: the display name of the officer's account, which their booths show (null: the account is gone). */
  officerName?: string | null;
  /** On /monitor: the visit the supervisor monitors. */
  watched?: WatchedVisit;
  /** The staff session behind an officer's or supervisor's socket, kept alive while the socket is open. */
  session: StaffPrincipal | null;
}

/** What a namespace's handshake middleware leaves on its socket for `connection`. */
export interface SocketData {
  /** On /journey: the booth whose credential opened it. */
  booth?: BoothPrincipal;
  /** On /booth and /officer: who sits at which desk. */
  client?: SeatedClient;
}

/** The socket.io server of the signaling namespaces. */
export type SignalingServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
/** One of its namespaces. */
export type SignalingNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
/** One client's socket on any of its namespaces. */
export type SignalingSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
