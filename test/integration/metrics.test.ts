/**
 * GET /metrics on the real server, scraped as Prometheus does: the bearer token, and figures
 * that follow what really happens: desks, participants and consumers per mediasoup worker as an
 * officer and booths join and leave, a booth's heartbeat RTT and loss while it is online, the
 * branch queue as a claimant waits and is served, recoveries and worker deaths counted.
 */
import { NAMESPACES, PROTOCOL_VERSION, type LinkQuality } from '@bilik/shared';
import { request, type JourneySocket } from '@bilik/shared/client';
import { io, type Socket } from 'socket.io-client';
import { askOk, joinDesk, type DeskClient } from '../support/deskClient.js';
import { scrapedSample } from '../support/prometheus.js';
import { deleteKeys } from '../support/redis.js';
import { connected, disconnected, openSocket } from '../support/sockets.js';
import { seedBranch, startTestServer, TEST_BRANCH, waitFor, type SeededDesk, type TestServer } from '../support/testServer.js';

const TOKEN = 'metrics-token-for-the-test-0123456789abcdef';
/** Faster than a real kiosk's, so that the 1 s offline limit never catches a live test kiosk. */
const TEST_HEARTBEAT_MS = 200;

let server: TestServer;
let branch: SeededDesk;
const sockets: Socket[] = [];
const pumps: Array<ReturnType<typeof setInterval>> = [];

beforeAll(async () => {
  server = await startTestServer({ METRICS_TOKEN: TOKEN, BOOTH_OFFLINE_SECONDS: '1', GRACE_SECONDS: '1' });
  branch = await seedBranch(server, { booths: 3 });
});

afterEach(async () => {
  for (const pump of pumps.splice(0)) clearInterval(pump);
  await Promise.all(sockets.splice(0).map((socket) => closeSocket(socket)));
  // Every visit, presence and health record ends, so each test starts from a quiet branch.
  await deleteKeys(server.redis, 'bilik:sch:*');
  await deleteKeys(server.redis, 'bilik:fleet:*');
});

afterAll(() => server.close());

async function closeSocket(socket: Socket): Promise<void> {
  if (!socket.connected) return;
  const gone = disconnected(socket);
  socket.disconnect();
  await gone;
}

/** The scrape's text, as the scraper holding `token` gets it. */
async function scrape(token = TOKEN): Promise<string> {
  const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return response.text();
}

/** Resolves once a scrape shows `name{labels}` at `expected` (undefined: no such sample). */
async function scrapedAt(name: string, labels: Record<string, string>, expected: number | undefined): Promise<void> {
  let last: number | undefined;
  await waitFor(`${name} ${JSON.stringify(labels)} at ${expected}`, async () => {
    last = scrapedSample(await scrape(), name, labels);
    return last === expected;
  }).catch((error: Error) => {
    throw new Error(`${error.message} (last scraped: ${last})`);
  });
}

async function joined(namespace: typeof NAMESPACES.booth | typeof NAMESPACES.officer, identity: { credential?: string; cookie?: string }) {
  const client = await joinDesk(server.url, namespace, identity);
  sockets.push(client.socket);
  return client;
}

/** The consumers the server has created for a client and not closed, as the client was told. */
function openConsumers(client: DeskClient): number {
  const closed = client.events.filter(({ event }) => event === 'consumer:closed').length;
  return client.consumers.length - closed;
}

/** Puts the officer on duty and starts the visits of `boothIds`, which are assigned to the officer's desk. */
async function assign(boothIds: string[]): Promise<void> {
  await server.scheduler.officerOnline(branch.officer.accountId, 6, [TEST_BRANCH], 'metrics-test');
  for (const boothId of boothIds) {
    await server.scheduler.boothStart(boothId, { queueId: TEST_BRANCH, service: 'jht', ticket: null, priority: false }, 'metrics-test');
  }
}

/** A kiosk's /journey socket, sending heartbeats with `linkQuality` every TEST_HEARTBEAT_MS until stopped. */
async function heartbeating(boothId: string, linkQuality: LinkQuality | null): Promise<{ socket: JourneySocket; stop(): void }> {
  const socket = openSocket(server.url, NAMESPACES.journey, { credential: branch.credentials[boothId] });
  sockets.push(socket);
  await connected(socket);
  const beat = () => request(socket, 'booth:heartbeat', { appVersion: '1.0.0', linkQuality, deviceFault: null });
  await beat();
  const pump = setInterval(() => void beat().catch(() => undefined), TEST_HEARTBEAT_MS);
  pumps.push(pump);
  return { socket, stop: () => clearInterval(pump) };
}

test('the endpoint answers only the bearer of METRICS_TOKEN', async () => {
  const missing = await fetch(`${server.url}/metrics`);
  expect(missing.status).toBe(401);
  expect(missing.headers.get('www-authenticate')).toContain('Bearer');
  const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN.replace(/.$/, 'x')}` } });
  expect(wrong.status).toBe(401);
  expect(await wrong.text()).not.toContain('bilik_');
  const right = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(right.status).toBe(200);
  expect(right.headers.get('content-type')).toContain('text/plain');
  const text = await right.text();
  // The one worker's slot is listed while nothing runs on it, and the process's own metrics are there.
  expect(scrapedSample(text, 'bilik_desks', { worker: '0' })).toBe(0);
  expect(scrapedSample(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
});

test('desks, participants and consumers per worker rise as an officer and booths join, and fall as they leave', async () => {
  await assign(['bilik-1', 'bilik-2']);
  const worker = { worker: '0' };
  const officer = await joined(NAMESPACES.officer, { cookie: branch.officer.cookie });
  await scrapedAt('bilik_desks', worker, 1);
  await scrapedAt('bilik_participants', { ...worker, role: 'officer' }, 1);
  await scrapedAt('bilik_participants', { ...worker, role: 'booth' }, 0);

  const booths = [
    await joined(NAMESPACES.booth, { credential: branch.credentials['bilik-1'] }),
    await joined(NAMESPACES.booth, { credential: branch.credentials['bilik-2'] }),
  ];
  await scrapedAt('bilik_participants', { ...worker, role: 'booth' }, 2);
  // The officer receives both booths' audio and video, and each booth the officer's: as the clients were told.
  await waitFor('every consumer created', () => openConsumers(officer) === 4 && booths.every((booth) => openConsumers(booth) === 2));
  await scrapedAt('bilik_consumers', worker, 8);
  await scrapedAt('bilik_consumers', { ...worker, kind: 'video' }, 4);

  await closeSocket(booths[1]!.socket);
  await scrapedAt('bilik_participants', { ...worker, role: 'booth' }, 1);
  await scrapedAt('bilik_consumers', worker, 4);

  await closeSocket(booths[0]!.socket);
  await closeSocket(officer.socket);
  await scrapedAt('bilik_desks', worker, 0);
  await scrapedAt('bilik_participants', worker, 0);
  await scrapedAt('bilik_consumers', worker, 0);
  expect(scrapedSample(await scrape(), 'bilik_mediasoup_worker_cpu_seconds_total', worker)).toBeGreaterThan(0);
});

test("a booth's heartbeat RTT and loss show while it is online in a call, and go when it goes offline", async () => {
  const link = { rttMs: 87, packetLossPercent: 2.5, outgoingKbps: 600, incomingKbps: 400 };
  const inCall = await heartbeating('bilik-1', link);
  await heartbeating('bilik-2', null);
  const text = await scrape();
  expect(scrapedSample(text, 'bilik_booth_rtt_seconds', { booth: 'bilik-1', branch: TEST_BRANCH })).toBeCloseTo(0.087, 6);
  expect(scrapedSample(text, 'bilik_booth_packet_loss_ratio', { booth: 'bilik-1', branch: TEST_BRANCH })).toBeCloseTo(0.025, 6);
  // Online but not in a call: no link to report.
  expect(scrapedSample(text, 'bilik_booth_rtt_seconds', { booth: 'bilik-2' })).toBeUndefined();

  inCall.stop();
  await scrapedAt('bilik_booth_rtt_seconds', { booth: 'bilik-1' }, undefined);
  expect(scrapedSample(await scrape(), 'bilik_booth_packet_loss_ratio', { booth: 'bilik-1' })).toBeUndefined();
});

test("the branch's queue length and wait move as a claimant waits and is served", async () => {
  const kiosk = await heartbeating('bilik-3', null);
  const branchLabel = { branch: TEST_BRANCH };
  const journey = await request(kiosk.socket, 'journey:start', { service: 'jht', ticket: null, priority: false });
  expect(journey.state).toBe('waiting');
  let text = await scrape();
  expect(scrapedSample(text, 'bilik_queue_waiting', branchLabel)).toBe(1);
  expect(scrapedSample(text, 'bilik_sessions_in_progress', branchLabel)).toBe(0);
  expect(scrapedSample(text, 'bilik_queue_served_today', branchLabel)).toBe(0);
  await waitFor(
    'the wait to grow',
    async () => (scrapedSample(await scrape(), 'bilik_queue_longest_wait_seconds', branchLabel) ?? 0) > 0.2,
  );

  await server.scheduler.officerOnline(branch.officer.accountId, 6, [TEST_BRANCH], 'metrics-test');
  text = await scrape();
  expect(scrapedSample(text, 'bilik_queue_waiting', branchLabel)).toBe(0);
  expect(scrapedSample(text, 'bilik_queue_longest_wait_seconds', branchLabel)).toBe(0);
  expect(scrapedSample(text, 'bilik_sessions_in_progress', branchLabel)).toBe(1);
  expect(scrapedSample(text, 'bilik_queue_served_today', branchLabel)).toBe(1);
  expect(scrapedSample(text, 'bilik_queue_average_wait_today_seconds', branchLabel)).toBeGreaterThan(0.2);
});

test('ICE restarts, rebuilt media sessions and reconnections are counted by role', async () => {
  await assign(['bilik-1']);
  const before = await scrape();
  const counted = (text: string, name: string, role: string) => scrapedSample(text, name, { role }) ?? 0;
  const officer = await joined(NAMESPACES.officer, { cookie: branch.officer.cookie });
  await askOk(officer.socket, 'transport:restartIce', { transportId: officer.sendTransportId });
  // A rebuild as a client does it on the same connection: new transports, then joining again.
  await askOk(officer.socket, 'transport:create', { direction: 'send' });
  await askOk(officer.socket, 'transport:create', { direction: 'recv' });
  const { routerRtpCapabilities } = await askOk<{ routerRtpCapabilities: unknown }>(officer.socket, 'capabilities:get', {});
  await askOk(officer.socket, 'session:join', { rtpCapabilities: routerRtpCapabilities });

  // A booth whose connection drops and comes back, as socket.io's client reconnects.
  const booth = io(`${server.url}${NAMESPACES.booth}`, {
    auth: { protocolVersion: PROTOCOL_VERSION, credential: branch.credentials['bilik-1'] },
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelay: 50,
  });
  sockets.push(booth);
  await connected(booth);
  const back = new Promise<void>((resolve) => booth.io.once('reconnect', () => booth.once('connect', () => resolve())));
  booth.io.engine.close();
  await back;

  const after = await scrape();
  expect(counted(after, 'bilik_ice_restarts_total', 'officer')).toBe(counted(before, 'bilik_ice_restarts_total', 'officer') + 1);
  expect(counted(after, 'bilik_session_rebuilds_total', 'officer')).toBe(counted(before, 'bilik_session_rebuilds_total', 'officer') + 1);
  expect(counted(after, 'bilik_session_rebuilds_total', 'booth')).toBe(counted(before, 'bilik_session_rebuilds_total', 'booth'));
  expect(counted(after, 'bilik_desk_rejoins_total', 'booth')).toBe(counted(before, 'bilik_desk_rejoins_total', 'booth') + 1);
  expect(counted(after, 'bilik_desk_rejoins_total', 'officer')).toBe(counted(before, 'bilik_desk_rejoins_total', 'officer'));
});

// Last: it kills the server's only mediasoup worker.
test('a mediasoup worker that dies is counted, and its replacement reports its own CPU time', async () => {
  const before = scrapedSample(await scrape(), 'bilik_mediasoup_worker_deaths_total') ?? 0;
  const [pid] = server.workers.pids;
  process.kill(pid!, 'SIGKILL');
  await waitFor('the worker to be replaced', () => server.workers.healthy && server.workers.pids[0] !== pid);
  const text = await scrape();
  expect(scrapedSample(text, 'bilik_mediasoup_worker_deaths_total')).toBe(before + 1);
  expect(scrapedSample(text, 'bilik_mediasoup_worker_cpu_seconds_total', { worker: '0' })).toBeGreaterThanOrEqual(0);
});
