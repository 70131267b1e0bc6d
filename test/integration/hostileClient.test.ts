/**
 * A client that tries to reach beyond its own desk position is refused and changes nothing.
 * Clients here are socket.io clients sending synthetic producers, so every id is real.
 */
import { NAMESPACES, type Ack, type BoothState, type DeskState } from '@bilik/shared';
import type { Socket } from 'socket.io-client';
import { joinDesk, type DeskClient as Client } from '../support/deskClient.js';
import { openSocket, refused } from '../support/sockets.js';
import { SYNTHETIC_RTP_PARAMETERS } from '../support/syntheticMedia.js';
import { seedDesk, startTestServer, TEST_BRANCH, type SeededDesk, type TestServer } from '../support/testServer.js';

let server: TestServer;
let desk: SeededDesk;
const clients: Client[] = [];

beforeAll(async () => {
  server = await startTestServer();
  desk = await seedDesk(server);
});

afterEach(() => {
  for (const client of clients.splice(0)) client.socket.disconnect();
});

afterAll(async () => {
  await server.close();
});

async function send<T>(socket: Socket, event: string, payload: unknown): Promise<Ack<T>> {
  return (await socket.timeout(5000).emitWithAck(event, payload)) as Ack<T>;
}

async function sendOk<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const ack = await send<T>(socket, event, payload);
  if (!ack.ok) throw new Error(`${event} failed: ${ack.error} ${ack.message}`);
  return ack.data;
}

/**
 * Connects, joins, and sends synthetic audio and video, as a browser would: a booth with its
 * `credential`, an officer with its session `cookie`.
 */
async function join(namespace: string, identity: { credential?: string; cookie?: string }): Promise<Client> {
  const client = await joinDesk(server.url, namespace, identity);
  clients.push(client);
  return client;
}

/** Resolves with the next event of that name: socket.io keeps order, so it also marks that all before it arrived. */
function next<T>(client: Client, event: string): Promise<T> {
  return new Promise((resolve) => client.socket.once(event, resolve));
}

async function deskOfOfficerAndTwoBooths(): Promise<{ officer: Client; booth1: Client; booth2: Client }> {
  const officer = await join(NAMESPACES.officer, { cookie: desk.officer.cookie });
  const booth1 = await join(NAMESPACES.booth, { credential: desk.credentials['bilik-1'] });
  const booth2 = await join(NAMESPACES.booth, { credential: desk.credentials['bilik-2'] });
  // Both booths have all their consumers: the officer's audio and video each.
  for (const booth of [booth1, booth2]) {
    while (booth.consumers.length < 2) await next(booth, 'consumer:created');
  }
  return { officer, booth1, booth2 };
}

test("a booth cannot touch another booth's consumer or transports", async () => {
  const { booth1, booth2 } = await deskOfOfficerAndTwoBooths();
  const foreignConsumer = booth2.consumers[0]!.consumerId;
  expect(await send(booth1.socket, 'consumer:ready', { consumerId: foreignConsumer })).toMatchObject({ ok: false, error: 'FORBIDDEN' });
  const dtlsParameters = { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] };
  expect(await send(booth1.socket, 'transport:connect', { transportId: booth2.sendTransportId, dtlsParameters })).toMatchObject({ ok: false, error: 'FORBIDDEN' });
  const produceOnForeign = { transportId: booth2.sendTransportId, kind: 'audio', rtpParameters: SYNTHETIC_RTP_PARAMETERS.audio };
  expect(await send(booth1.socket, 'producer:create', produceOnForeign)).toMatchObject({ ok: false, error: 'FORBIDDEN' });
  // Booths only ever receive the officer.
  expect(booth1.consumers.every((consumer) => consumer.source.role === 'officer')).toBe(true);
});

test('a booth cannot resume the officer audio the server paused for it, nor steer the desk', async () => {
  const { officer, booth1 } = await deskOfOfficerAndTwoBooths();
  const switched = next<BoothState>(booth1, 'booth:changed');
  await sendOk(officer.socket, 'talk:select', { boothId: 'bilik-2' });
  expect(await switched).toMatchObject({ talking: false });
  const officerAudio = booth1.consumers.find((consumer) => consumer.kind === 'audio')!;
  const eventsBefore = booth1.events.length;

  expect(await send(booth1.socket, 'consumer:ready', { consumerId: officerAudio.consumerId })).toEqual({ ok: true, data: null });
  expect(await send(booth1.socket, 'consumer:resume', { consumerId: officerAudio.consumerId })).toMatchObject({ ok: false, error: 'UNKNOWN_EVENT' });
  expect(await send(booth1.socket, 'talk:select', { boothId: 'bilik-1' })).toMatchObject({ ok: false, error: 'UNKNOWN_EVENT' });

  // A later desk change reaches booth 1 after anything the attempts caused: nothing resumed its audio.
  const barrier = next<BoothState>(booth1, 'booth:changed');
  await sendOk(officer.socket, 'tile:focus', { boothId: 'bilik-2' });
  expect(await barrier).toMatchObject({ talking: false });
  const since = booth1.events.slice(eventsBefore).filter((entry) => entry.event === 'consumer:changed');
  expect(since).toEqual([]);
});

test('an officer cannot select, focus or reach a booth that is not at their desk', async () => {
  const { officer } = await deskOfOfficerAndTwoBooths();
  await sendOk(officer.socket, 'talk:select', { boothId: 'bilik-1' });
  for (const event of ['talk:select', 'tile:focus']) {
    expect(await send(officer.socket, event, { boothId: 'bilik-99' })).toMatchObject({ ok: false, error: 'FORBIDDEN' });
  }
  const state = next<DeskState>(officer, 'desk:changed');
  await sendOk(officer.socket, 'tile:focus', { boothId: null });
  expect(await state).toMatchObject({ talkingToBoothId: 'bilik-1', booths: [{ boothId: 'bilik-1' }, { boothId: 'bilik-2' }] });
  expect(await send(officer.socket, 'attention:call', {})).toMatchObject({ ok: false, error: 'UNKNOWN_EVENT' });
});

test('an enrolled booth that is not assigned to this desk cannot join it', async () => {
  await server.booths.createBooth({ id: 'bilik-99', branchId: TEST_BRANCH, name: 'x' }, { kind: 'system' });
  const credential = await server.booths.issueCredential('bilik-99', { kind: 'system' });
  const socket = openSocket(server.url, NAMESPACES.booth, { credential });
  const error = await refused(socket);
  socket.disconnect();
  expect(error.data?.error).toBe('INVALID_STATE');
});
