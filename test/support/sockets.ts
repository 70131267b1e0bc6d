/**
 * socket.io clients in tests: opening one as a booth, an officer or a stranger would, typed by
 * its namespace for the contract's `request`, and waiting on its handshake: accepted, refused
 * (with the server's error code), or closed later by the server.
 */
import { NAMESPACES, PROTOCOL_VERSION, type Ack } from '@bilik/shared';
import type { BoothSocket, JourneySocket, MonitorSocket, OfficerSocket } from '@bilik/shared/client';
import { io, type Socket } from 'socket.io-client';

/** The socket of each namespace, typed by the commands it answers. */
export interface NamespaceSockets {
  [NAMESPACES.booth]: BoothSocket;
  [NAMESPACES.journey]: JourneySocket;
  [NAMESPACES.officer]: OfficerSocket;
  [NAMESPACES.monitor]: MonitorSocket;
}
export type Namespace = keyof NamespaceSockets;

export interface SocketOptions {
  /** A booth's device credential, sent in the handshake's auth. */
  credential?: string;
  /** The handshake's Cookie header: an officer's session. */
  cookie?: string;
  /** More handshake headers, such as an Origin. */
  headers?: Record<string, string>;
  /** The handshake's whole auth, sent as it is instead of the protocol version and `credential`. */
  auth?: Record<string, unknown>;
  /** On /monitor: the booth whose visit to monitor, added to the handshake's auth. */
  boothId?: string;
}

/** Opens a socket to `namespace` of the server at `baseUrl`, over WebSocket only, never reconnecting. */
export function openSocket<N extends Namespace>(baseUrl: string, namespace: N, options: SocketOptions = {}): NamespaceSockets[N] {
  return io(`${baseUrl}${namespace}`, {
    auth:
      options.auth === undefined
        ? {
            protocolVersion: PROTOCOL_VERSION,
            ...(options.credential ? { credential: options.credential } : {}),
            ...(options.boothId ? { boothId: options.boothId } : {}),
          }
        : options.auth,
    extraHeaders: { ...options.headers, ...(options.cookie ? { cookie: options.cookie } : {}) },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
}

/** How the handshake ended: accepted, or refused with the server's error code and the error's message. */
export function handshakeOutcome(socket: Socket): Promise<'connected' | { code: string | undefined; message: string }> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (error: Error & { data?: { error?: string } }) =>
      resolve({ code: error.data?.error, message: error.message }),
    );
  });
}

/** Resolves when the handshake is accepted; rejects when it is refused. */
export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

/** Resolves with the refused handshake's error (its code in `data.error`); rejects if it is accepted. */
export function refused(socket: Socket): Promise<{ message: string; data?: { error?: string } }> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('the connection was accepted')));
    socket.once('connect_error', (error) => resolve(error as { message: string; data?: { error?: string } }));
  });
}

/** Resolves with the reason once the socket disconnects. */
export function disconnected(socket: Socket): Promise<string> {
  return new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
}

/** Resolves with the next `event` payload that satisfies `accept`; rejects after `timeoutMs`. */
export function nextEvent<T>(socket: Socket, event: string, accept: (payload: T) => boolean = () => true, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for '${event}'`));
    }, timeoutMs);
    const listener = (payload: T): void => {
      if (!accept(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

/**
 * How long sendRaw waits for the server's answer. Every event it sends is answered, refused or
 * not, so this bounds only a slow machine, with room for two suites' servers sharing 2 cores.
 * (The signaling garbage storm timed out in two clean-clone runs, at 5 s and then at 15 s. Both
 * fit a booth disconnected by its desk closing under it as it connected, fixed in cb27955, better
 * than a slow answer.)
 */
const RAW_ANSWER_TIMEOUT_MS = 15_000;

/**
 * Sends `args` as they are, outside the contract, and resolves with the server's answer: for
 * tests that send what no honest client can (unknown events, malformed payloads). Everything
 * else goes through the contract's `request`.
 */
export async function sendRaw(socket: Socket, event: string, ...args: unknown[]): Promise<Ack<unknown>> {
  return (await socket.timeout(RAW_ANSWER_TIMEOUT_MS).emitWithAck(event, ...args)) as Ack<unknown>;
}
