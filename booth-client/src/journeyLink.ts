/**
 * The kiosk's link for the claimant's visit (namespace /journey), open for as long as the kiosk
 * runs: the server announces where the visit stands, the booth asks to join or leave the queue.
 */
import { io } from 'socket.io-client';
import { NAMESPACES, PROTOCOL_VERSION } from '@bilik/shared/constants';
import type { JourneyState, Service } from '@bilik/shared/journey';
import { LinkRetry, request, type LinkState, type JourneySocket } from '@bilik/shared/client';

/** Where the journey link stands: the desk link's states that apply to a link without media. */
export type JourneyLinkState = Extract<LinkState, { kind: 'connecting' | 'unreachable' | 'refused' | 'reconnecting' | 'live' }>;

/** What the claimant chose on the service screen. */
export interface Choice {
  service: Service;
  ticket: string | null;
  priority: boolean;
}

export interface JourneyLinkEvents {
  /** The link moved to another state; what the booth knew of the visit is stale unless it is live. */
  onLinkChanged(state: JourneyLinkState): void;
  /** The server announced where the visit stands (on connecting, and at every change). */
  onJourneyChanged(state: JourneyState): void;
  /** The server no longer accepts this kiosk's credential; the link has stopped for good. */
  onUnauthorized(): void;
  /** Branch IT asks the kiosk to run its self-test. */
  onSelfTestRequested(): void;
}

/** The open journey link. */
export interface JourneyLink {
  /** Joins the branch's queue. Resolves once the server accepted; the new state arrives as onJourneyChanged. */
  start(choice: Choice): Promise<void>;
  /** Leaves the queue. Resolves once the server accepted; the new state arrives as onJourneyChanged. */
  cancel(): Promise<void>;
  /** Calls branch staff to the booth; resolves once the server recorded the call. */
  askForHelp(): Promise<void>;
  /** Ends the link: no more retries or events, the socket disconnected. */
  stop(): void;
  /** The journey socket, for the self-test's probe and report. */
  readonly socket: JourneySocket;
}

/**
 * Connects the journey socket with the kiosk's credential and keeps it connected until stopped.
 * `credential` is asked at every (re)connection, so a rotated one is used from then on.
 */
export function keepJourneyLink(credential: () => string, events: JourneyLinkEvents): JourneyLink {
  const socket: JourneySocket = io(NAMESPACES.journey, {
    auth: (send) => send({ protocolVersion: PROTOCOL_VERSION, credential: credential() }),
    autoConnect: false,
  });
  const retry = new LinkRetry(socket);

  const onConnect = (): void => {
    retry.cancel();
    events.onLinkChanged({ kind: 'live' });
  };

  const onDisconnect = (reason: string): void => {
    events.onLinkChanged({ kind: 'reconnecting' });
    retry.afterDisconnect(reason);
  };

  const onConnectError = (error: Error): void => {
    retry.afterConnectError(error, {
      unreachable: (detail) => events.onLinkChanged({ kind: 'unreachable', detail }),
      unauthorized: () => {
        stop();
        events.onUnauthorized();
      },
      refused: (detail) => events.onLinkChanged({ kind: 'refused', detail }),
    });
  };

  const stop = (): void => {
    retry.cancel();
    socket.off();
    socket.disconnect();
  };

  socket.on('connect', onConnect);
  socket.on('disconnect', onDisconnect);
  socket.on('connect_error', onConnectError);
  socket.on('journey:changed', (state) => events.onJourneyChanged(state));
  socket.on('selftest:run', () => events.onSelfTestRequested());
  socket.on('protocol:error', ({ event, error, message }) => console.warn('protocol:error', event, error, message));

  events.onLinkChanged({ kind: 'connecting' });
  socket.connect();

  // The answers' states are not used: the server announces every change with journey:changed,
  // and an answer could arrive after a newer announcement (an officer taking the booth at once).
  return {
    async start(choice) {
      await request(socket, 'journey:start', choice);
    },
    async cancel() {
      await request(socket, 'journey:cancel', {});
    },
    async askForHelp() {
      await request(socket, 'help:request', {});
    },
    stop,
    socket,
  };
}
