/**
 * A hostile (or badly broken) kiosk with a valid booth credential, flooding the server with what
 * invariant 9 caps: WebRTC transports and producers on its desk link, /journey sockets, and
 * self-test probes from several sockets at once. It tallies the answers it gets by error code,
 * so a test can check that the excess was refused with LIMIT_EXCEEDED.
 */
import { NAMESPACES, type Ack } from '@bilik/shared';
import type { Socket } from 'socket.io-client';
import { ask } from './deskClient.js';
import { connected, openSocket } from './sockets.js';
import { SYNTHETIC_RTP_PARAMETERS } from './syntheticMedia.js';

/** How many answers of each kind the flood got: `ok`, or the error code. */
export type Tally = Record<string, number>;

/** Adds each answer to `tally` under `ok` or its error code. */
export function tallyAnswers(tally: Tally, answers: Array<Ack<unknown>>): Tally {
  for (const answer of answers) {
    const key = answer.ok ? 'ok' : answer.error;
    tally[key] = (tally[key] ?? 0) + 1;
  }
  return tally;
}

/** Sends `count` copies of one command at once, without waiting for any answer in between. */
export function burst(socket: Socket, count: number, event: string, payload: (index: number) => unknown): Promise<Array<Ack<unknown>>> {
  return Promise.all(Array.from({ length: count }, (_, index) => ask(socket, event, payload(index))));
}

/** Opens `count` /journey sockets of one booth at once and resolves once all have connected. */
export async function openJourneySockets(baseUrl: string, credential: string, count: number): Promise<Socket[]> {
  const sockets = Array.from({ length: count }, () => openSocket(baseUrl, NAMESPACES.journey, { credential }));
  await Promise.all(sockets.map((socket) => connected(socket)));
  return sockets;
}

/** A flood under way: stop() ends it after the current round and resolves with its tally. */
export interface Flood {
  /** Rounds completed so far. */
  readonly rounds: number;
  stop(): Promise<Tally>;
}

/**
 * Floods the server as booth `credential` until stopped, in rounds: on its desk link, at once, a
 * burst of transports in both directions and one of producers of both kinds (on the send
 * transport of the round before), attaching every consumer it is given as a browser would; then
 * three more /journey sockets (each displacing the booth's oldest) opening self-test probes at
 * once. Each round waits for its answers before the next, which paces the flood by the server's
 * own speed.
 */
export function startFlood(baseUrl: string, credential: string): Flood {
  const tally: Tally = {};
  const sockets: Socket[] = [];
  let running = true;
  let rounds = 0;
  const run = async (): Promise<void> => {
    const desk = openSocket(baseUrl, NAMESPACES.booth, { credential });
    sockets.push(desk);
    desk.on('consumer:created', ({ consumerId }: { consumerId: string }) => {
      ask(desk, 'consumer:ready', { consumerId }).catch(() => undefined);
    });
    await connected(desk);
    const kinds = ['audio', 'video'] as const;
    let sendTransportId: string | null = null;
    while (running) {
      const transportId = sendTransportId;
      const transportsAsked = burst(desk, 40, 'transport:create', (index) => ({ direction: index % 2 === 0 ? 'send' : 'recv' }));
      const producersAsked =
        transportId === null
          ? Promise.resolve([])
          : burst(desk, 40, 'producer:create', (index) => ({
              transportId,
              kind: kinds[index % 2],
              rtpParameters: SYNTHETIC_RTP_PARAMETERS[kinds[index % 2]!],
            }));
      const transports: Array<Ack<unknown>> = await transportsAsked;
      const producers: Array<Ack<unknown>> = await producersAsked;
      tallyAnswers(tally, [...transports, ...producers]);
      const created = transports.filter((answer, index) => answer.ok && index % 2 === 0).at(-1);
      if (created?.ok) sendTransportId = (created.data as { id: string }).id;
      const probing = await openJourneySockets(baseUrl, credential, 3);
      sockets.push(...probing);
      tallyAnswers(tally, await Promise.all(probing.map((socket) => ask(socket, 'selftest:probe:open', {}))));
      rounds += 1;
    }
  };
  const flooding = run();
  return {
    get rounds() {
      return rounds;
    },
    async stop() {
      running = false;
      try {
        await flooding;
      } finally {
        for (const socket of sockets) socket.disconnect();
      }
      return tally;
    },
  };
}
