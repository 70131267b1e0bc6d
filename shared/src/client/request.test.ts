import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { io } from 'socket.io-client';
import { request, SignalingError, type JourneySocket } from './request.js';

/**
 * A socket.io server standing in for /journey: it answers `journey:cancel`, refuses
 * `journey:start`, never answers `booth:heartbeat`, and records every event it receives.
 */
interface StandIn {
  url: string;
  received: string[];
  /** Resolves with the server's side of the next socket whose `booth:heartbeat` arrives. */
  nextHeartbeat(): Promise<ServerSocket>;
  close(): Promise<void>;
}

let standIn: StandIn;
const sockets: JourneySocket[] = [];

beforeEach(async () => {
  standIn = await startStandIn();
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await standIn.close();
});

async function startStandIn(): Promise<StandIn> {
  const http = createServer();
  const server = new Server(http);
  const received: string[] = [];
  const heartbeatWaiters: Array<(socket: ServerSocket) => void> = [];
  server.of('/journey').on('connection', (socket) => {
    socket.onAny((event: string) => received.push(event));
    socket.on('journey:cancel', (_payload: unknown, ack: (answer: unknown) => void) => ack({ ok: true, data: { state: 'idle' } }));
    socket.on('journey:start', (_payload: unknown, ack: (answer: unknown) => void) =>
      ack({ ok: false, error: 'INVALID_STATE', message: 'out of service' }),
    );
    socket.on('booth:heartbeat', () => heartbeatWaiters.splice(0).forEach((resolve) => resolve(socket)));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/journey`,
    received,
    nextHeartbeat: () => new Promise((resolve) => heartbeatWaiters.push(resolve)),
    close: () => new Promise((resolve) => void server.close(() => resolve())),
  };
}

/** A connected client that reconnects quickly when its connection is lost. */
async function connectClient(): Promise<JourneySocket> {
  const socket: JourneySocket = io(standIn.url, {
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 100,
  });
  sockets.push(socket);
  await new Promise((resolve) => socket.once('connect', () => resolve(undefined)));
  return socket;
}

const once = (socket: JourneySocket, event: 'connect' | 'disconnect'): Promise<void> =>
  new Promise((resolve) => socket.once(event, () => resolve()));

/** What the server received, checked once `socket` is `back`: messages arrive in order, so an earlier one would show before a command answered now. */
async function receivedOnceBack(socket: JourneySocket, back: Promise<void>): Promise<string[]> {
  await back;
  await request(socket, 'journey:cancel', {});
  return standIn.received;
}

/** The code a request was rejected with. */
async function failureOf(pending: Promise<unknown>): Promise<string> {
  const error = await pending.then(
    () => null,
    (rejected: unknown) => rejected,
  );
  if (!(error instanceof SignalingError)) throw new Error(`expected a SignalingError, got ${String(error)}`);
  return error.code;
}

test('an answered command resolves with its data; a refused one rejects with the server code', async () => {
  const socket = await connectClient();
  await expect(request(socket, 'journey:cancel', {})).resolves.toEqual({ state: 'idle' });
  expect(await failureOf(request(socket, 'journey:start', { service: 'jht', ticket: null, priority: false }))).toBe('INVALID_STATE');
});

test('a command made while the connection is lost is refused at once with DISCONNECTED and not sent when it comes back', async () => {
  const socket = await connectClient();
  const lost = once(socket, 'disconnect');
  socket.io.engine.close();
  await lost;
  const back = once(socket, 'connect');

  expect(await failureOf(request(socket, 'journey:start', { service: 'jht', ticket: null, priority: false }))).toBe('DISCONNECTED');
  expect(await receivedOnceBack(socket, back)).toEqual(['journey:cancel']);
});

test('a command pending when the connection drops fails at once with DISCONNECTED, without waiting for the timeout', async () => {
  const socket = await connectClient();
  const heard = standIn.nextHeartbeat();
  const pending = request(socket, 'booth:heartbeat', { appVersion: '1.0.0', linkQuality: null, deviceFault: null });
  (await heard).disconnect(true);
  expect(await failureOf(pending)).toBe('DISCONNECTED');
  expect(standIn.received).toEqual(['booth:heartbeat']);
});

test('a command sent as the device wakes from sleep, its connection already dead, fails with DISCONNECTED and is never sent', async () => {
  const socket = await connectClient();
  const back = once(socket, 'disconnect').then(() => once(socket, 'connect'));
  // Asleep longer than the ping timeout: socket.io-client finds the ping expired as it sends,
  // keeps the message for the next connection and closes this one.
  const now = Date.now;
  Date.now = () => now() + 10 * 60_000;
  let pending: Promise<unknown>;
  try {
    pending = request(socket, 'journey:start', { service: 'jht', ticket: null, priority: false });
  } finally {
    Date.now = now;
  }
  expect(await failureOf(pending)).toBe('DISCONNECTED');
  expect(await receivedOnceBack(socket, back)).toEqual(['journey:cancel']);
});

test('a command the server never answers fails with TIMEOUT after 10 seconds', async () => {
  const socket = await connectClient();
  const startedAt = performance.now();
  expect(await failureOf(request(socket, 'booth:heartbeat', { appVersion: '1.0.0', linkQuality: null, deviceFault: null }))).toBe(
    'TIMEOUT',
  );
  expect(performance.now() - startedAt).toBeGreaterThanOrEqual(9_900);
  expect(socket.connected).toBe(true);
}, 20_000);
