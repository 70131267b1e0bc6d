import { MediaSession, type MediaSessionEvents, type SendOptions } from './mediaSession.js';
import { ERROR_CODES, type ErrorCode } from '../errors.js';
import { describeError } from './describeError.js';
import type { ServerToClientEvents } from '../protocol.js';
import type { MediaSocket } from './request.js';

/** Where this client's link to its desk stands, for the view's status line. */
export type LinkState =
  | { kind: 'connecting' }
  | { kind: 'unreachable'; detail: string }
  /** The server refused the handshake for a reason that may pass (a full desk, a restart, a newer server); retried. */
  | { kind: 'refused'; detail: string }
  /** The server refused this client's credential (signed out, booth revoked or replaced); never retried. */
  | { kind: 'unauthorized'; detail: string }
  | { kind: 'joining' }
  | { kind: 'live' }
  | { kind: 'failed'; detail: string }
  | { kind: 'reconnecting' };

export interface DeskLinkEvents extends MediaSessionEvents {
  /** The link moved to another state. */
  onStateChanged(state: LinkState): void;
}

const RETRY_MS = 5_000;

/**
 * Connects `socket` and keeps one media session running while it is connected, starting a new
 * one on every reconnect. Returns a function that ends it all: no more retries, events or media,
 * and the socket disconnected.
 */
export function keepDeskLink(socket: MediaSocket, localStream: MediaStream, events: DeskLinkEvents, sendOptions?: SendOptions): () => void {
  // Bumped on every connect and disconnect, so a start that outlives its connection is discarded.
  let epoch = 0;
  let session: MediaSession | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const retryLater = (action: () => void): void => {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(action, RETRY_MS);
  };

  const onConnect = (): void => {
    clearTimeout(retryTimer);
    const mine = ++epoch;
    events.onStateChanged({ kind: 'joining' });
    MediaSession.start(socket, localStream, events, sendOptions).then(
      (started) => {
        if (mine !== epoch) {
          started.close();
          return;
        }
        session = started;
        events.onStateChanged({ kind: 'live' });
      },
      (error: unknown) => {
        if (mine !== epoch) return;
        events.onStateChanged({ kind: 'failed', detail: describeError(error) });
        // A fresh connection gives the server a clean slate for the next attempt.
        retryLater(() => socket.disconnect().connect());
      },
    );
  };

  const onDisconnect = (reason: string): void => {
    epoch++;
    session?.close();
    session = null;
    events.onStateChanged({ kind: 'reconnecting' });
    // socket.io retries by itself except when the server closed the connection on purpose.
    if (reason === 'io server disconnect') retryLater(() => socket.connect());
  };

  const onConnectError = (error: Error): void => {
    handleConnectError(socket, error, retryLater, {
      unreachable: (detail) => events.onStateChanged({ kind: 'unreachable', detail }),
      unauthorized: (detail) => events.onStateChanged({ kind: 'unauthorized', detail }),
      refused: (detail) => events.onStateChanged({ kind: 'refused', detail }),
    });
  };

  const onProtocolError: ServerToClientEvents['protocol:error'] = ({ event, error, message }) => {
    console.warn('protocol:error', event, error, message);
  };

  socket.on('connect', onConnect);
  socket.on('disconnect', onDisconnect);
  socket.on('connect_error', onConnectError);
  socket.on('protocol:error', onProtocolError);

  events.onStateChanged({ kind: 'connecting' });
  socket.connect();

  return () => {
    clearTimeout(retryTimer);
    socket.off('connect', onConnect);
    socket.off('disconnect', onDisconnect);
    socket.off('connect_error', onConnectError);
    socket.off('protocol:error', onProtocolError);
    // A start still under way is discarded when it completes.
    epoch++;
    session?.close();
    session = null;
    socket.disconnect();
  };
}

/** What a link reports when its socket cannot connect. */
export interface ConnectErrorReports {
  /** The server could not be reached; socket.io keeps retrying by itself. */
  unreachable(detail: string): void;
  /** The server refused this client's credential (signed out, revoked, replaced); never retried. */
  unauthorized(detail: string): void;
  /** The server refused the handshake for a reason that may pass; retried later. */
  refused(detail: string): void;
}

/**
 * Sorts out a `connect_error`: an active socket is still retrying a connection it could not
 * make; an inactive one was refused by the server, and error.message is the server's reason.
 * A newer server (PROTOCOL_MISMATCH) is answered by reloading the page, which fetches the
 * matching app; other refusals may pass (a full desk, a restart) and are retried.
 */
export function handleConnectError(socket: MediaSocket, error: Error, retryLater: (action: () => void) => void, reports: ConnectErrorReports): void {
  if (socket.active) {
    reports.unreachable(error.message);
    return;
  }
  const code = refusalCode(error);
  if (code === 'UNAUTHORIZED') {
    reports.unauthorized(error.message);
    return;
  }
  reports.refused(error.message);
  if (code === 'PROTOCOL_MISMATCH') retryLater(() => location.reload());
  else retryLater(() => socket.connect());
}

/** The error code a refused handshake carries in `data.error`, if it is one we know. */
function refusalCode(error: Error): ErrorCode | undefined {
  const code = (error as Error & { data?: { error?: unknown } }).data?.error;
  return ERROR_CODES.find((known) => known === code);
}
