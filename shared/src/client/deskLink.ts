import { MediaSession, type MediaSessionEvents, type SendOptions } from './mediaSession.js';
import { ERROR_CODES, type ErrorCode } from '../errors.js';
import { SignalingError, type MediaSocket } from './request.js';

/** Where this client's link to its desk stands, for the view's status line. */
export type LinkState =
  | { kind: 'connecting' }
  | { kind: 'unreachable'; detail: string }
  /** The server refused the handshake; `code` says why (UNAUTHORIZED: signed out, booth not enrolled). */
  | { kind: 'refused'; detail: string; code: ErrorCode | undefined }
  | { kind: 'joining' }
  | { kind: 'live' }
  | { kind: 'failed'; detail: string }
  | { kind: 'reconnecting' };

export interface DeskLinkEvents extends MediaSessionEvents {
  /** The link moved to another state. */
  onStateChanged(state: LinkState): void;
}

const RETRY_MS = 5_000;

/** Connects `socket` and keeps one media session running while it is connected, starting a new one on every reconnect. */
export function keepDeskLink(socket: MediaSocket, localStream: MediaStream, events: DeskLinkEvents, sendOptions?: SendOptions): void {
  // Bumped on every connect and disconnect, so a start that outlives its connection is discarded.
  let epoch = 0;
  let session: MediaSession | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const retryLater = (action: () => void): void => {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(action, RETRY_MS);
  };

  socket.on('connect', () => {
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
        events.onStateChanged({ kind: 'failed', detail: describe(error) });
        // A fresh connection gives the server a clean slate for the next attempt.
        retryLater(() => socket.disconnect().connect());
      },
    );
  });

  socket.on('disconnect', (reason) => {
    epoch++;
    session?.close();
    session = null;
    events.onStateChanged({ kind: 'reconnecting' });
    // socket.io retries by itself except when the server closed the connection on purpose.
    if (reason === 'io server disconnect') retryLater(() => socket.connect());
  });

  socket.on('connect_error', (error) => {
    // An active socket is still retrying a connection it could not make; an inactive one was
    // refused by the server, and error.message is the server's reason.
    if (socket.active) {
      events.onStateChanged({ kind: 'unreachable', detail: error.message });
    } else {
      const code = refusalCode(error);
      events.onStateChanged({ kind: 'refused', detail: error.message, code });
      // A newer server: reloading fetches the matching page. Unauthorized: retrying cannot help,
      // the page must sign in or enrol again. Anything else may pass (a full desk, a restart).
      if (code === 'PROTOCOL_MISMATCH') retryLater(() => location.reload());
      else if (code !== 'UNAUTHORIZED') retryLater(() => socket.connect());
    }
  });

  socket.on('protocol:error', ({ event, error, message }) => {
    console.warn('protocol:error', event, error, message);
  });

  events.onStateChanged({ kind: 'connecting' });
  socket.connect();
}

function describe(error: unknown): string {
  if (error instanceof SignalingError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** The error code a refused handshake carries in `data.error`, if it is one we know. */
function refusalCode(error: Error): ErrorCode | undefined {
  const code = (error as Error & { data?: { error?: unknown } }).data?.error;
  return ERROR_CODES.find((known) => known === code);
}
