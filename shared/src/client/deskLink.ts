import { MediaSession, type MediaSessionEvents, type SendOptions } from './mediaSession.js';
import { describeError } from './describeError.js';
import { LinkRetry } from './linkRetry.js';
import { TransportRecovery } from './transportRecovery.js';
import { request, type MediaSocket } from './request.js';
import type { ServerToClientEvents } from '../protocol.js';

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
  /** The socket is up but the media path is down: ICE is being restarted, or the session rebuilt (see TransportRecovery). */
  | { kind: 'recovering' }
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
 * one on every reconnect. A session whose media path goes down is recovered on the same socket
 * (ICE restarts, then a new session; see TransportRecovery), and so is one whose desk moved to
 * another mediasoup worker (session:rebuild). Each new session after a lost path alternates
 * between direct ICE and the server's TURN relay alone, if it offers one: a path where direct
 * checks pass but media does not (a middlebox dropping large UDP packets) never selects the
 * relay by itself. The server hears when the media path goes down and comes back (recovery:report),
 * so the other side of the desk can say why the picture froze. `localStream` may still be
 * opening (see MediaSession.start); if it fails to open, the owner ends the link. Returns a
 * function that ends it all: no more retries, events or media, and the socket disconnected.
 */
export function keepDeskLink(
  socket: MediaSocket,
  localStream: MediaStream | Promise<MediaStream>,
  events: DeskLinkEvents,
  sendOptions?: SendOptions,
): () => void {
  // Bumped on every connect, disconnect and rebuild, so a start that outlives its purpose is discarded.
  let epoch = 0;
  let session: MediaSession | null = null;
  let recovery: TransportRecovery | null = null;
  // Whether the next session goes through the TURN relay alone; every connection starts direct.
  let relayOnly = false;
  const retry = new LinkRetry(socket);
  // Whether the server was told this client's media path is down, so the other side of the desk says so.
  let reportedRecovering = false;
  // The server said this booth's seat moved to another desk (seat:moved), or the desk to another
  // server node (desk:moved): its coming disconnect is to be answered at once.
  let reconnectAtOnce = false;

  /** Tells the events of a new state, and the server when the media path went down or came back. */
  const announce = (state: LinkState): void => {
    // A new connection starts afresh at the desk, with nothing reported.
    if (state.kind === 'joining') reportedRecovering = false;
    const recovering = state.kind === 'recovering';
    if ((state.kind === 'live' || recovering) && recovering !== reportedRecovering) {
      reportedRecovering = recovering;
      request(socket, 'recovery:report', { recovering }).catch((error: unknown) => console.warn('recovery:report failed', error));
    }
    events.onStateChanged(state);
  };

  const endSession = (): void => {
    recovery?.stop();
    recovery = null;
    if (!session) return;
    session.close();
    session = null;
    events.onSessionChanged?.(null);
  };

  /** Starts a media session; `recovering` when it replaces one whose path was lost, which it counts as until its own path connects. */
  const startSession = (recovering: boolean): void => {
    const mine = ++epoch;
    announce(recovering ? { kind: 'recovering' } : { kind: 'joining' });
    MediaSession.start(socket, localStream, events, sendOptions, relayOnly).then(
      (started) => {
        if (mine !== epoch) {
          started.close();
          return;
        }
        session = started;
        events.onSessionChanged?.(started);
        recovery = new TransportRecovery(
          started.transports,
          {
            restartIce: (transport) => started.restartIce(transport),
            rebuild: () => {
              relayOnly = !relayOnly;
              rebuild();
            },
            onRecoveringChanged: (now) => announce(now ? { kind: 'recovering' } : { kind: 'live' }),
          },
          { recovering },
        );
        if (!recovering) announce({ kind: 'live' });
      },
      (error: unknown) => {
        if (mine !== epoch) return;
        announce({ kind: 'failed', detail: describeError(error) });
        // A fresh connection gives the server a clean slate for the next attempt.
        retry.later(() => socket.disconnect().connect());
      },
    );
  };

  /**
   * Replaces the session on the same socket: the server replaces the seat's transports, and with
   * them its producers and consumers, and keeps its place, talk and focus at the desk. Without a
   * connection there is nothing to do: the reconnect starts a new session anyway.
   */
  const rebuild = (): void => {
    if (!socket.connected) return;
    endSession();
    startSession(true);
  };

  const onConnect = (): void => {
    retry.cancel();
    relayOnly = false;
    startSession(false);
  };

  const onDisconnect = (reason: string): void => {
    epoch++;
    endSession();
    announce({ kind: 'reconnecting' });
    if (reconnectAtOnce && reason === 'io server disconnect') {
      // A handed-over booth connects again to be seated at its new desk (refused, and retried, until it has a seat there);
      // a client whose desk moved, to be seated where it is now.
      reconnectAtOnce = false;
      socket.connect();
      return;
    }
    retry.afterDisconnect(reason);
  };

  const onMoved = (): void => {
    reconnectAtOnce = true;
  };

  // Acknowledged once the flag is set: the server closes the link after that.
  const onDeskMoved: ServerToClientEvents['desk:moved'] = (_payload, ack) => {
    onMoved();
    ack();
  };

  const onConnectError = (error: Error): void => {
    retry.afterConnectError(error, {
      unreachable: (detail) => announce({ kind: 'unreachable', detail }),
      unauthorized: (detail) => announce({ kind: 'unauthorized', detail }),
      refused: (detail) => announce({ kind: 'refused', detail }),
    });
  };

  // The desk moved to another mediasoup worker: this session's media is gone on the server.
  const onRebuild = (): void => rebuild();

  const onProtocolError: ServerToClientEvents['protocol:error'] = ({ event, error, message }) => {
    console.warn('protocol:error', event, error, message);
  };

  socket.on('connect', onConnect);
  socket.on('disconnect', onDisconnect);
  socket.on('connect_error', onConnectError);
  socket.on('protocol:error', onProtocolError);
  socket.on('session:rebuild', onRebuild);
  socket.on('seat:moved', onMoved);
  socket.on('desk:moved', onDeskMoved);

  announce({ kind: 'connecting' });
  socket.connect();

  return () => {
    retry.cancel();
    socket.off('connect', onConnect);
    socket.off('disconnect', onDisconnect);
    socket.off('connect_error', onConnectError);
    socket.off('protocol:error', onProtocolError);
    socket.off('session:rebuild', onRebuild);
    socket.off('seat:moved', onMoved);
    socket.off('desk:moved', onDeskMoved);
    // A start still under way is discarded when it completes.
    epoch++;
    endSession();
    socket.disconnect();
  };
}
