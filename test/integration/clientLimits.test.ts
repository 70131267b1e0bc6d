/**
 * Invariant 9 through the real server, real mediasoup and real Redis: one booth asking for
 * hundreds of transports, producers, sockets and self-test probes holds no more than its caps,
 * the excess is refused with LIMIT_EXCEEDED and counted in bilik_limit_refusals_total (scraped
 * from GET /metrics with its token), and an honest booth on the same desk meanwhile gets its
 * transports, producers and the officer's media. What exists is counted in the mediasoup
 * workers themselves (MediasoupCensus), not in the server's bookkeeping.
 */
import { NAMESPACES, type Ack } from '@bilik/shared';
import type { Socket } from 'socket.io-client';
import { ask, askOk, joinDesk, type DeskClient } from '../support/deskClient.js';
import { burst, openJourneySockets, startFlood, tallyAnswers } from '../support/hostileBooth.js';
import { MediasoupCensus, probeKey, producerKey, transportKey } from '../support/mediasoupCensus.js';
import { connected, disconnected, nextEvent, openSocket, type Namespace } from '../support/sockets.js';
import { SYNTHETIC_RTP_PARAMETERS } from '../support/syntheticMedia.js';
import { seedDesk, startTestServer, waitFor, type SeededDesk, type TestServer } from '../support/testServer.js';

const METRICS_TOKEN = 'token-pengambil-metrik-'.padEnd(48, '0');

let census: MediasoupCensus;
let server: TestServer;
let desk: SeededDesk;
let officer: DeskClient;
const sockets: Socket[] = [];

beforeAll(async () => {
  census = new MediasoupCensus();
  server = await startTestServer({ METRICS_TOKEN });
  desk = await seedDesk(server);
  officer = await joinDesk(server.url, NAMESPACES.officer, { cookie: desk.officer.cookie });
  sockets.push(officer.socket);
});

afterEach(() => {
  census.resetPeaks();
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server.close();
  census.stop();
});

/** A connected socket of booth `boothId`, closed after the file's tests. */
async function boothSocket(namespace: Namespace, boothId: string): Promise<Socket> {
  const socket = openSocket(server.url, namespace, { credential: desk.credentials[boothId] });
  sockets.push(socket);
  await connected(socket);
  return socket;
}

/** GET /metrics, with the given Authorization header (none when undefined). */
function scrape(authorization: string | undefined, url = server.url): Promise<Response> {
  return fetch(`${url}/metrics`, { headers: authorization === undefined ? {} : { authorization } });
}

/** The value of bilik_limit_refusals_total for one cap, as the scraper sees it. */
async function refusals(limit: string): Promise<number> {
  const response = await scrape(`Bearer ${METRICS_TOKEN}`);
  expect(response.status).toBe(200);
  const line = new RegExp(`^bilik_limit_refusals_total\\{limit="${limit}"\\} (\\d+)$`, 'm').exec(await response.text());
  if (!line) throw new Error(`no bilik_limit_refusals_total for ${limit}`);
  return Number(line[1]);
}

/** How many answers were refused with LIMIT_EXCEEDED; every answer must be that or a success. */
function limitExceeded(answers: Array<Ack<unknown>>): number {
  const tally = tallyAnswers({}, answers);
  expect(Object.keys(tally).filter((key) => key !== 'ok' && key !== 'LIMIT_EXCEEDED')).toEqual([]);
  return tally.LIMIT_EXCEEDED ?? 0;
}

test('a booth asking for 800 transports at once holds one per direction; those asked while one is being created are refused with LIMIT_EXCEEDED', async () => {
  const before = await refusals('transports');
  const flood = await boothSocket(NAMESPACES.booth, 'bilik-1');
  const answers = await burst(flood, 800, 'transport:create', (index) => ({ direction: index % 2 === 0 ? 'send' : 'recv' }));

  const refused = limitExceeded(answers);
  expect(refused).toBeGreaterThan(0);
  expect(answers.length - refused).toBeGreaterThanOrEqual(2);
  for (const direction of ['send', 'recv'] as const) {
    expect(census.most(transportKey('bilik-1', direction))).toBe(1);
    expect(census.now(transportKey('bilik-1', direction))).toBe(1);
  }
  expect((await refusals('transports')) - before).toBe(refused);
});

test("a transport asked for again replaces the old one, so a rebuild is never refused; the old one is no longer the client's", async () => {
  const client = await joinDesk(server.url, NAMESPACES.booth, { credential: desk.credentials['bilik-5'] });
  sockets.push(client.socket);
  await waitFor('booth 5 to receive the officer', () => client.consumers.length === 2);

  const closed = client.consumers.map((consumer) =>
    nextEvent<{ consumerId: string }>(client.socket, 'consumer:closed', (payload) => payload.consumerId === consumer.consumerId),
  );
  const rebuilt = await askOk<{ id: string }>(client.socket, 'transport:create', { direction: 'recv' });
  await Promise.all(closed);
  // Nothing is announced on the new transport before the client joins with it, as a rebuilt session does.
  expect(client.consumers).toHaveLength(2);
  const { routerRtpCapabilities } = await askOk<{ routerRtpCapabilities: unknown }>(client.socket, 'capabilities:get', {});
  await askOk(client.socket, 'session:join', { rtpCapabilities: routerRtpCapabilities });
  // The policy gives the booth the officer's audio and video again, on the new transport.
  await waitFor('booth 5 to receive the officer again', () => client.consumers.length === 4);
  expect(client.consumers.slice(2).map((consumer) => consumer.source)).toEqual([
    { role: 'officer', id: desk.officer.accountId },
    { role: 'officer', id: desk.officer.accountId },
  ]);
  expect(census.now(transportKey('bilik-5', 'recv'))).toBe(1);
  expect(census.most(transportKey('bilik-5', 'recv'))).toBe(1);
  const dtlsParameters = { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] };
  expect(await ask(client.socket, 'transport:connect', { transportId: client.recvTransportId, dtlsParameters })).toMatchObject({
    ok: false,
    error: 'FORBIDDEN',
  });
  expect(rebuilt.id).not.toBe(client.recvTransportId);

  // A new send transport closes the old one's producers; the booth may then send again.
  const send = await askOk<{ id: string }>(client.socket, 'transport:create', { direction: 'send' });
  expect(census.now(producerKey('bilik-5', 'audio'))).toBe(0);
  await askOk(client.socket, 'producer:create', { transportId: send.id, kind: 'audio', rtpParameters: SYNTHETIC_RTP_PARAMETERS.audio });
  expect(census.now(producerKey('bilik-5', 'audio'))).toBe(1);
});

test('a booth asking for 800 producers at once sends one of each kind; the rest are refused with LIMIT_EXCEEDED', async () => {
  const before = await refusals('producers');
  const flood = await boothSocket(NAMESPACES.booth, 'bilik-1');
  const { id: transportId } = await askOk<{ id: string }>(flood, 'transport:create', { direction: 'send' });
  const kinds = ['audio', 'video'] as const;
  const answers = await burst(flood, 800, 'producer:create', (index) => ({
    transportId,
    kind: kinds[index % 2],
    rtpParameters: SYNTHETIC_RTP_PARAMETERS[kinds[index % 2]!],
  }));

  expect(limitExceeded(answers)).toBe(798);
  for (const kind of kinds) {
    expect(census.most(producerKey('bilik-1', kind))).toBe(1);
    expect(census.now(producerKey('bilik-1', kind))).toBe(1);
  }
  expect((await refusals('producers')) - before).toBe(798);
});

test('a booth opening 100 /journey sockets holds three; the oldest are told LIMIT_EXCEEDED and disconnected, and a reloaded page still connects', async () => {
  const before = await refusals('sockets');
  const flood = Array.from({ length: 100 }, () => openSocket(server.url, NAMESPACES.journey, { credential: desk.credentials['bilik-4'] }));
  sockets.push(...flood);
  const told = new Map<Socket, string[]>(flood.map((socket) => [socket, []]));
  for (const socket of flood) socket.on('protocol:error', ({ error }: { error: string }) => told.get(socket)!.push(error));
  await Promise.all(flood.map((socket) => connected(socket)));
  await waitFor('all but three to be disconnected', () => flood.filter((socket) => socket.connected).length === 3);
  for (const socket of flood) expect(told.get(socket)).toEqual(socket.connected ? [] : ['LIMIT_EXCEEDED']);
  expect((await refusals('sockets')) - before).toBe(97);

  // A reloaded kiosk page: it connects, is served, and only the oldest of the three goes.
  const [oldest] = flood.filter((socket) => socket.connected);
  const gone = disconnected(oldest!);
  const reloaded = await boothSocket(NAMESPACES.journey, 'bilik-4');
  expect(await gone).toBe('io server disconnect');
  expect(await ask(reloaded, 'selftest:probe:close', {})).toEqual({ ok: true, data: null });
  expect(flood.filter((socket) => socket.connected)).toHaveLength(2);
});

test('a booth opening probes from three sockets at once holds one at a time; one asked while another is being opened is refused with LIMIT_EXCEEDED', async () => {
  const before = await refusals('probes');
  const probing = await openJourneySockets(server.url, desk.credentials['bilik-2']!, 3);
  sockets.push(...probing);
  let refused = 0;
  for (let round = 0; round < 10; round += 1) {
    refused += limitExceeded(await Promise.all(probing.map((socket) => ask(socket, 'selftest:probe:open', {}))));
    await Promise.all(probing.map((socket) => askOk(socket, 'selftest:probe:close', {})));
  }
  expect(refused).toBeGreaterThan(0);
  expect(census.most(probeKey('bilik-2'))).toBe(1);
  expect((await refusals('probes')) - before).toBe(refused);

  // A reloaded kiosk's self-test does not wait for its old page's probe: the new one replaces it.
  const [oldPage, newPage] = probing;
  await askOk(oldPage!, 'selftest:probe:open', {});
  await askOk(newPage!, 'selftest:probe:open', {});
  expect(census.now(probeKey('bilik-2'))).toBe(1);
  expect(
    await ask(oldPage!, 'selftest:probe:connect', {
      dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] },
    }),
  ).toMatchObject({
    ok: false,
    error: 'INVALID_STATE',
  });
});

test("while a booth floods the server, an honest booth on the same desk gets its transports, producers and the officer's media, and keeps the officer's voice", async () => {
  const flood = startFlood(server.url, desk.credentials['bilik-6']!);
  try {
    const honest = await joinDesk(server.url, NAMESPACES.booth, { credential: desk.credentials['bilik-3'] });
    sockets.push(honest.socket);
    await waitFor("the honest booth to receive the officer's audio and video", () => honest.consumers.length === 2);
    await waitFor("the officer to receive the honest booth's video", () =>
      officer.consumers.some((consumer) => consumer.source.id === 'bilik-3' && consumer.kind === 'video'),
    );
    expect(honest.consumers.map(({ kind, source }) => ({ kind, source })).sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { kind: 'audio', source: { role: 'officer', id: desk.officer.accountId } },
      { kind: 'video', source: { role: 'officer', id: desk.officer.accountId } },
    ]);

    // The officer talks to the honest booth; the flood's churn of transports and producers must
    // not knock the desk into its silenced fallback (talking to nobody).
    await askOk(officer.socket, 'talk:select', { boothId: 'bilik-3' });
    const officerAudio = honest.consumers.find((consumer) => consumer.kind === 'audio')!.consumerId;
    await waitFor("the officer's voice to reach the honest booth", () =>
      honest.events.some(
        ({ event, payload }) => event === 'consumer:changed' && (payload as { consumerId: string }).consumerId === officerAudio,
      ),
    );
    const deskStatesFrom = officer.events.length;
    const roundsFrom = flood.rounds;
    await waitFor('three more rounds of the flood', () => flood.rounds >= roundsFrom + 3, 60_000);
    const deskStates = officer.events.slice(deskStatesFrom).filter(({ event }) => event === 'desk:changed');
    expect(
      deskStates
        .map(({ payload }) => (payload as { talkingToBoothId: string | null }).talkingToBoothId)
        .filter((boothId) => boothId !== 'bilik-3'),
    ).toEqual([]);
    const audioChanges = honest.events.filter(
      ({ event, payload }) => event === 'consumer:changed' && (payload as { consumerId: string }).consumerId === officerAudio,
    );
    expect(audioChanges.at(-1)?.payload).toEqual({ consumerId: officerAudio, paused: false });
  } finally {
    const tally = await flood.stop();
    expect(tally.LIMIT_EXCEEDED).toBeGreaterThan(0);
    expect(tally.INTERNAL).toBeUndefined();
  }
});

test('GET /metrics answers only with its bearer token, in the Prometheus text format, with the process metrics', async () => {
  const scraped = await scrape(`Bearer ${METRICS_TOKEN}`);
  expect(scraped.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await scraped.text();
  expect(text).toContain('# TYPE bilik_limit_refusals_total counter');
  expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  for (const authorization of [
    undefined,
    `Bearer ${'x'.repeat(48)}`,
    `Bearer ${METRICS_TOKEN}x`,
    METRICS_TOKEN,
    `Basic ${METRICS_TOKEN}`,
  ]) {
    const refused = await scrape(authorization);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await refused.text()).not.toContain('bilik_limit_refusals_total');
  }
});

test('without METRICS_TOKEN there is no metrics endpoint', async () => {
  const untokened = await startTestServer();
  try {
    expect((await scrape(`Bearer ${METRICS_TOKEN}`, untokened.url)).status).toBe(404);
    expect((await scrape(undefined, untokened.url)).status).toBe(404);
  } finally {
    await untokened.close();
  }
});
