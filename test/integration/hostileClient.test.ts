/**
 * A client that tries to reach beyond its own desk position is refused and changes nothing.
 * Clients here are socket.io clients sending synthetic producers, so every id is real.
 */
import { NAMESPACES, type BoothState, type ConsumerCreatedPayload, type DeskState } from '@bilik/shared';
import { request, type MediaSocket } from '@bilik/shared/client';
import { connected, nextEvent, openSocket, refused, sendRaw, type NamespaceSockets } from '../support/sockets.js';
import { SYNTHETIC_RTP_PARAMETERS } from '../support/syntheticMedia.js';
import { seedDesk, startTestServer, TEST_BRANCH, type SeededDesk, type TestServer } from '../support/testServer.js';

/** A desk client as the tests drive it: its socket is typed by its namespace. */
interface Client<Socket extends MediaSocket = MediaSocket> {
  socket: Socket;
  consumers: ConsumerCreatedPayload[];
  sendTransportId: string;
  recvTransportId: string;
  events: Array<{ event: string; payload: unknown }>;
}

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

/**
 * Connects, joins, and sends synthetic audio and video, as a browser would: a booth with its
 * `credential`, an officer with its session `cookie`.
 */
async function join<N extends typeof NAMESPACES.booth | typeof NAMESPACES.officer>(
  namespace: N,
  identity: { credential?: string; cookie?: string },
): Promise<Client<NamespaceSockets[N]>> {
  const socket = openSocket(server.url, namespace, identity);
  const client: Client<NamespaceSockets[N]> = { socket, consumers: [], sendTransportId: '', recvTransportId: '', events: [] };
  clients.push(client);
  const media: MediaSocket = socket;
  media.onAny((event: string, payload: unknown) => client.events.push({ event, payload }));
  media.on('consumer:created', (payload) => {
    client.consumers.push(payload);
    // A consumer may close before it is ready; nothing here waits on the answer.
    request(media, 'consumer:ready', { consumerId: payload.consumerId }).catch(() => undefined);
  });
  await connected(media);
  const { routerRtpCapabilities } = await request(media, 'capabilities:get', {});
  client.sendTransportId = (await request(media, 'transport:create', { direction: 'send' })).id;
  client.recvTransportId = (await request(media, 'transport:create', { direction: 'recv' })).id;
  await request(media, 'session:join', { rtpCapabilities: routerRtpCapabilities });
  for (const kind of ['audio', 'video'] as const) {
    await request(media, 'producer:create', { transportId: client.sendTransportId, kind, rtpParameters: SYNTHETIC_RTP_PARAMETERS[kind] });
  }
  return client;
}

async function deskOfOfficerAndTwoBooths() {
  const officer = await join(NAMESPACES.officer, { cookie: desk.officer.cookie });
  const booth1 = await join(NAMESPACES.booth, { credential: desk.credentials['bilik-1'] });
  const booth2 = await join(NAMESPACES.booth, { credential: desk.credentials['bilik-2'] });
  // Both booths have all their consumers: the officer's audio and video each.
  for (const booth of [booth1, booth2]) {
    while (booth.consumers.length < 2) await nextEvent(booth.socket, 'consumer:created');
  }
  return { officer, booth1, booth2 };
}

test("a booth cannot touch another booth's consumer or transports", async () => {
  const { booth1, booth2 } = await deskOfOfficerAndTwoBooths();
  const foreignConsumer = booth2.consumers[0]!.consumerId;
  const forbidden = { code: 'FORBIDDEN' };
  await expect(request(booth1.socket, 'consumer:ready', { consumerId: foreignConsumer })).rejects.toMatchObject(forbidden);
  const dtlsParameters = { role: 'client' as const, fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] };
  await expect(request(booth1.socket, 'transport:connect', { transportId: booth2.sendTransportId, dtlsParameters })).rejects.toMatchObject(
    forbidden,
  );
  const produceOnForeign = { transportId: booth2.sendTransportId, kind: 'audio' as const, rtpParameters: SYNTHETIC_RTP_PARAMETERS.audio };
  await expect(request(booth1.socket, 'producer:create', produceOnForeign)).rejects.toMatchObject(forbidden);
  // Booths only ever receive the officer.
  expect(booth1.consumers.every((consumer) => consumer.source.role === 'officer')).toBe(true);
});

test('a client asks for key frames of its own video consumers only, and not of audio', async () => {
  const { booth1, booth2 } = await deskOfOfficerAndTwoBooths();
  const ownVideo = booth1.consumers.find((consumer) => consumer.kind === 'video')!;
  const ownAudio = booth1.consumers.find((consumer) => consumer.kind === 'audio')!;
  const foreignVideo = booth2.consumers.find((consumer) => consumer.kind === 'video')!;
  expect(await request(booth1.socket, 'consumer:keyFrame', { consumerId: ownVideo.consumerId })).toBeNull();
  // Asked again at once: answered, and left to the request before it.
  expect(await request(booth1.socket, 'consumer:keyFrame', { consumerId: ownVideo.consumerId })).toBeNull();
  await expect(request(booth1.socket, 'consumer:keyFrame', { consumerId: foreignVideo.consumerId })).rejects.toMatchObject({
    code: 'FORBIDDEN',
  });
  await expect(request(booth1.socket, 'consumer:keyFrame', { consumerId: ownAudio.consumerId })).rejects.toMatchObject({
    code: 'BAD_REQUEST',
  });
});

test('a booth cannot resume the officer audio the server paused for it, nor steer the desk', async () => {
  const { officer, booth1 } = await deskOfOfficerAndTwoBooths();
  const switched = nextEvent<BoothState>(booth1.socket, 'booth:changed');
  await request(officer.socket, 'talk:select', { boothId: 'bilik-2' });
  expect(await switched).toMatchObject({ talking: false });
  const officerAudio = booth1.consumers.find((consumer) => consumer.kind === 'audio')!;
  // The switch paused booth 1's audio before the officer's answer, but on another socket: one round
  // trip on booth 1's own socket, sent after that answer, lands behind the pause notice.
  await request(booth1.socket, 'capabilities:get', {});
  const eventsBefore = booth1.events.length;

  expect(await request(booth1.socket, 'consumer:ready', { consumerId: officerAudio.consumerId })).toBeNull();
  expect(await sendRaw(booth1.socket, 'consumer:resume', { consumerId: officerAudio.consumerId })).toMatchObject({
    ok: false,
    error: 'UNKNOWN_EVENT',
  });
  expect(await sendRaw(booth1.socket, 'talk:select', { boothId: 'bilik-1' })).toMatchObject({ ok: false, error: 'UNKNOWN_EVENT' });

  // A later desk change reaches booth 1 after anything the attempts caused: nothing resumed its audio.
  const barrier = nextEvent<BoothState>(booth1.socket, 'booth:changed');
  await request(officer.socket, 'tile:focus', { boothId: 'bilik-2' });
  expect(await barrier).toMatchObject({ talking: false });
  const since = booth1.events.slice(eventsBefore).filter((entry) => entry.event === 'consumer:changed');
  expect(since).toEqual([]);
});

test('an officer cannot select, focus or reach a booth that is not at their desk', async () => {
  const { officer } = await deskOfOfficerAndTwoBooths();
  await request(officer.socket, 'talk:select', { boothId: 'bilik-1' });
  for (const event of ['talk:select', 'tile:focus'] as const) {
    await expect(request(officer.socket, event, { boothId: 'bilik-99' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  }
  const state = nextEvent<DeskState>(officer.socket, 'desk:changed');
  await request(officer.socket, 'tile:focus', { boothId: null });
  expect(await state).toMatchObject({ talkingToBoothId: 'bilik-1', booths: [{ boothId: 'bilik-1' }, { boothId: 'bilik-2' }] });
  expect(await sendRaw(officer.socket, 'attention:call', {})).toMatchObject({ ok: false, error: 'UNKNOWN_EVENT' });
});

test('an enrolled booth that is not assigned to this desk cannot join it', async () => {
  await server.booths.createBooth({ id: 'bilik-99', branchId: TEST_BRANCH, name: 'x' }, { kind: 'system' });
  const credential = await server.booths.issueCredential('bilik-99', { kind: 'system' });
  const socket = openSocket(server.url, NAMESPACES.booth, { credential });
  const error = await refused(socket);
  socket.disconnect();
  expect(error.data?.error).toBe('INVALID_STATE');
});

test("an officer's recovering media path shows on every booth until it is back, and a booth's own report only on the officer's tile", async () => {
  const { officer, booth1, booth2 } = await deskOfOfficerAndTwoBooths();
  const toldRecovering = [booth1, booth2].map((booth) =>
    nextEvent<BoothState>(booth.socket, 'booth:changed', (state) => state.officerReconnecting),
  );
  expect(await request(officer.socket, 'recovery:report', { recovering: true })).toBeNull();
  for (const told of toldRecovering) expect(await told).toMatchObject({ officerPresent: true, officerReconnecting: true });

  const toldBack = nextEvent<BoothState>(booth1.socket, 'booth:changed', (state) => !state.officerReconnecting);
  await request(officer.socket, 'recovery:report', { recovering: false });
  expect(await toldBack).toMatchObject({ officerReconnecting: false });

  const tile = nextEvent<DeskState>(officer.socket, 'desk:changed', (state) => state.booths.some((booth) => booth.reconnecting));
  await request(booth1.socket, 'recovery:report', { recovering: true });
  expect((await tile).booths.find((booth) => booth.reconnecting)?.boothId).toBe('bilik-1');
  expect(booth2.events.filter((entry) => entry.event === 'booth:changed').at(-1)?.payload).toMatchObject({ officerReconnecting: false });
});
