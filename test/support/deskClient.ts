/**
 * A desk client without a browser: a socket.io client that joins a desk as a booth or an officer
 * would, with send and receive transports, synthetic audio and video producers, and every
 * consumer the server creates for it attached at once.
 */
import { NAMESPACES, type Ack, type ConsumerCreatedPayload, type JourneyState, type MediaKind } from '@bilik/shared';
import type { Socket } from 'socket.io-client';
import { connected, openSocket, type Namespace, type SocketOptions } from './sockets.js';
import { SYNTHETIC_RTP_PARAMETERS } from './syntheticMedia.js';

export interface DeskClient {
  socket: Socket;
  /** Every consumer the server created for this client, in order. */
  consumers: ConsumerCreatedPayload[];
  sendTransportId: string;
  recvTransportId: string;
  /** The ports of the receive transport's ICE candidates (UDP and TCP share one): where the desk's media comes from. */
  recvPorts: number[];
  /** Every event the server sent it, in order. */
  events: Array<{ event: string; payload: unknown }>;
}

/** Sends one command and resolves with the server's answer, whatever it is. */
export async function ask<T>(socket: Socket, event: string, payload: unknown): Promise<Ack<T>> {
  return (await socket.timeout(10_000).emitWithAck(event, payload)) as Ack<T>;
}

/** Sends one command and resolves with its data; rejects when the server refuses it. */
export async function askOk<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const ack = await ask<T>(socket, event, payload);
  if (!ack.ok) throw new Error(`${event} failed: ${ack.error} ${ack.message}`);
  return ack.data;
}

/** Connects to `namespace` of the server at `baseUrl` and sets up media as a browser would, sending `kinds`. */
export async function joinDesk(
  baseUrl: string,
  namespace: Namespace,
  identity: SocketOptions,
  kinds: readonly MediaKind[] = ['audio', 'video'],
): Promise<DeskClient> {
  const socket = openSocket(baseUrl, namespace, identity);
  const client: DeskClient = { socket, consumers: [], sendTransportId: '', recvTransportId: '', recvPorts: [], events: [] };
  socket.onAny((event: string, payload: unknown) => client.events.push({ event, payload }));
  socket.on('consumer:created', (payload: ConsumerCreatedPayload) => {
    client.consumers.push(payload);
    // A consumer announced as the test disconnects is never readied: its request fails then, harmlessly.
    ask(socket, 'consumer:ready', { consumerId: payload.consumerId }).catch(() => undefined);
  });
  await connected(socket);
  const { routerRtpCapabilities } = await askOk<{ routerRtpCapabilities: unknown }>(socket, 'capabilities:get', {});
  client.sendTransportId = (await askOk<{ id: string }>(socket, 'transport:create', { direction: 'send' })).id;
  const recvTransport = await askOk<{ id: string; iceCandidates: Array<{ port: number }> }>(socket, 'transport:create', {
    direction: 'recv',
  });
  client.recvTransportId = recvTransport.id;
  client.recvPorts = [...new Set(recvTransport.iceCandidates.map((candidate) => candidate.port))];
  await askOk(socket, 'session:join', { rtpCapabilities: routerRtpCapabilities });
  for (const kind of kinds) {
    await askOk(socket, 'producer:create', { transportId: client.sendTransportId, kind, rtpParameters: SYNTHETIC_RTP_PARAMETERS[kind] });
  }
  return client;
}

/**
 * A claimant at a kiosk without a browser: its /journey socket starts a visit as the kiosk would
 * and, once assigned at once, it joins the desk with synthetic media (nothing for a console to
 * decode). Resolves with both sockets, for the caller to close.
 */
export async function claimantWithoutBrowser(baseUrl: string, credential: string): Promise<Socket[]> {
  const journey = openSocket(baseUrl, NAMESPACES.journey, { credential });
  await connected(journey);
  const visit = await askOk<JourneyState>(journey, 'journey:start', { service: 'jht', ticket: null, priority: false });
  if (visit.state !== 'assigned') throw new Error(`the visit was not assigned at once: ${visit.state}`);
  return [journey, (await joinDesk(baseUrl, NAMESPACES.booth, { credential })).socket];
}
