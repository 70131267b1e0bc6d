import { MediaSession, type MediaSessionEvents, type SendOptions } from './mediaSession.js';
import { describeError } from './describeError.js';
import { LinkRetry } from './linkRetry.js';
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
  /** A media session started (live) or ended (null), for whoever reads its statistics. */
  onSessionChanged?(session: MediaSession | null): void;
}

/**
 * Connects `socket` and keeps one media session running while it is connected, starting a new
 * one on every reconnect. Returns a function that ends it all: no more retries, events or media,
 * and the socket disconnected.
 */
export function keepDeskLink(socket: MediaSocket, localStream: MediaStream, events: DeskLinkEvents, sendOptions?: SendOptions): () => void {
  // Bumped on every connect and disconnect, so a start that outlives its connection is discarded.
  let epoch = 0;
  let session: MediaSession | null = null;
  const retry = new LinkRetry(socket);

  const endSession = (): void => {
    if (!session) return;
    session.close();
    session = null;
    events.onSessionChanged?.(null);
  };

  const onConnect = (): void => {
    retry.cancel();
    const mine = ++epoch;
    events.onStateChanged({ kind: 'joining' });
    MediaSession.start(socket, localStream, events, sendOptions).then(
      (started) => {
        if (mine !== epoch) {
          started.close();
          return;
        }
        session = started;
        events.onSessionChanged?.(started);
        events.onStateChanged({ kind: 'live' });
      },
      (error: unknown) => {
        if (mine !== epoch) return;
        events.onStateChanged({ kind: 'failed', detail: describeError(error) });
        // A fresh connection gives the server a clean slate for the next attempt.
        retry.later(() => socket.disconnect().connect());
      },
    );
  };

  const onDisconnect = (reason: string): void => {
    epoch++;
    endSession();
    events.onStateChanged({ kind: 'reconnecting' });
    retry.afterDisconnect(reason);
  };

  const onConnectError = (error: Error): void => {
    retry.afterConnectError(error, {
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
    retry.cancel();
    socket.off('connect', onConnect);
    socket.off('disconnect', onDisconnect);
    socket.off('connect_error', onConnectError);
    socket.off('protocol:error', onProtocolError);
    // A start still under way is discarded when it completes.
    epoch++;
    endSession();
    socket.disconnect();
  };
}
