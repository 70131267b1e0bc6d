/**
 * Booth health and branch IT's actions on live kiosks, through the real server with socket.io
 * clients holding booth credentials: heartbeats and the offline limit (1 s here), statuses from
 * the scheduler and the self-test, reload, out of service, credential rotation, the fleet
 * routes' branch limits, and socket.io connection-state recovery that never skips the booth's
 * authentication.
 */
import {
  NAMESPACES,
  PROTOCOL_VERSION,
  type Ack,
  type BoothFleetView,
  type DeviceFault,
  type JourneyState,
  type LinkQuality,
  type SelfTestReport,
} from '@bilik/shared';
import { request, type JourneySocket } from '@bilik/shared/client';
import { io, type Socket } from 'socket.io-client';
import { connected, disconnected, nextEvent, openSocket, refused, sendRaw } from '../support/sockets.js';
import {
  seedBranch,
  signedInCookie,
  startTestServer,
  TEST_BRANCH,
  waitFor,
  type SeededDesk,
  type TestServer,
} from '../support/testServer.js';
import { deleteKeys } from '../support/redis.js';

const OTHER_BRANCH = 'other-branch';
/** Much faster than a real kiosk's, so that the 1 s offline limit never catches a live test kiosk. */
const TEST_HEARTBEAT_MS = 200;

let server: TestServer;
let desk: SeededDesk;
let itAdmin: string;
let otherItAdmin: string;
const sockets: Socket[] = [];
const pumps: Array<ReturnType<typeof setInterval>> = [];

beforeAll(async () => {
  server = await startTestServer({ BOOTH_OFFLINE_SECONDS: '1', GRACE_SECONDS: '1' });
  desk = await seedBranch(server, { capacity: 4, booths: 6 });
  await server.accounts.createBranch({ id: OTHER_BRANCH, name: 'Cabang Lain' });
  itAdmin = (await signedInCookie(server, { username: 'admin-ti', role: 'it_admin', branchIds: [TEST_BRANCH] })).cookie;
  otherItAdmin = (await signedInCookie(server, { username: 'admin-lain', role: 'it_admin', branchIds: [OTHER_BRANCH] })).cookie;
});

afterEach(async () => {
  for (const pump of pumps.splice(0)) clearInterval(pump);
  for (const socket of sockets.splice(0)) socket.disconnect();
  // Every visit, presence and health record ends, so each test starts from a quiet branch.
  await deleteKeys(server.redis, 'bilik:sch:*');
  await deleteKeys(server.redis, 'bilik:fleet:*');
});

afterAll(() => server.close());

/** A kiosk's /journey socket, connected with `credential` (the booth's seeded one by default). */
async function kiosk(boothId: string, credential = desk.credentials[boothId]!): Promise<JourneySocket> {
  const socket = openSocket(server.url, NAMESPACES.journey, { credential });
  sockets.push(socket);
  await connected(socket);
  return socket;
}

/** Sends heartbeats as a running kiosk does, until the test ends; `linkQuality` and `deviceFault` are read at each one. */
async function keepAlive(
  socket: JourneySocket,
  heartbeat: { appVersion: string; linkQuality: () => LinkQuality | null; deviceFault?: () => DeviceFault | null },
): Promise<void> {
  const beat = () =>
    request(socket, 'booth:heartbeat', {
      appVersion: heartbeat.appVersion,
      linkQuality: heartbeat.linkQuality(),
      deviceFault: heartbeat.deviceFault?.() ?? null,
    });
  await beat();
  pumps.push(setInterval(() => void beat().catch(() => undefined), TEST_HEARTBEAT_MS));
}

/** A request to the API as `cookie`, from the server's own origin. */
async function api(
  cookie: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: { ok: boolean; data?: unknown; error?: string } }> {
  const headers: Record<string, string> = { origin: server.url, cookie };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as { ok: boolean; data?: unknown; error?: string } };
}

async function fleet(): Promise<BoothFleetView[]> {
  const answer = await api(itAdmin, 'GET', `/api/branches/${TEST_BRANCH}/booths`);
  expect(answer.status).toBe(200);
  return answer.body.data as BoothFleetView[];
}

async function boothView(boothId: string): Promise<BoothFleetView> {
  return (await fleet()).find((booth) => booth.boothId === boothId)!;
}

/** The error code the server refused a message with, or 'accepted'. */
const refusalOf = (ack: Ack<unknown>): string => (ack.ok ? 'accepted' : ack.error);

const statusIs = (boothId: string, status: BoothFleetView['status']) => async () => (await boothView(boothId)).status === status;

const passing: SelfTestReport = {
  camera: { ok: true, detail: '1280x720' },
  microphone: { ok: true, detail: null },
  speaker: { ok: true, detail: null },
  network: { ok: true, detail: null, rttMs: 12, path: 'tcp' },
};

test('a heartbeat shows the booth online with its app version; without one for BOOTH_OFFLINE_SECONDS it shows offline', async () => {
  expect(await boothView('bilik-1')).toMatchObject({ status: 'offline', lastHeartbeatAt: null, appVersion: null });
  const socket = await kiosk('bilik-1');
  const before = Date.now();
  await request(socket, 'booth:heartbeat', { appVersion: '1.4.2', linkQuality: null, deviceFault: null });
  const online = await boothView('bilik-1');
  expect(online).toMatchObject({ status: 'online', appVersion: '1.4.2', linkQuality: null, enrolled: true, outOfService: false });
  expect(Math.abs(Date.parse(online.lastHeartbeatAt!) - before)).toBeLessThan(5000);

  // The kiosk stays connected but stops beating, as a hung page would.
  await waitFor('the silent booth to show offline', statusIs('bilik-1', 'offline'), 5000);
  expect((await boothView('bilik-1')).appVersion).toBe('1.4.2');
});

test('a heartbeat is validated: the version is bounded and link quality numbers are in range', async () => {
  const socket = await kiosk('bilik-1');
  const refusal = async (payload: unknown) => refusalOf(await sendRaw(socket, 'booth:heartbeat', payload));
  expect(await refusal({ appVersion: 'x'.repeat(33), linkQuality: null })).toBe('BAD_REQUEST');
  expect(await refusal({ appVersion: '1.0.0', linkQuality: { rttMs: -1, packetLossPercent: 0, outgoingKbps: 1, incomingKbps: 1 } })).toBe(
    'BAD_REQUEST',
  );
  expect(await refusal({ appVersion: '1.0.0', linkQuality: { rttMs: 10, packetLossPercent: 101, outgoingKbps: 1, incomingKbps: 1 } })).toBe(
    'BAD_REQUEST',
  );
  expect(await refusal({ appVersion: '1.0.0' })).toBe('BAD_REQUEST');
  // The device fault is part of every heartbeat (null when none), with a known device and a bounded detail.
  expect(await refusal({ appVersion: '1.0.0', linkQuality: null })).toBe('BAD_REQUEST');
  expect(await refusal({ appVersion: '1.0.0', linkQuality: null, deviceFault: { kind: 'speaker', detail: 'gone' } })).toBe('BAD_REQUEST');
  expect(await refusal({ appVersion: '1.0.0', linkQuality: null, deviceFault: { kind: 'camera', detail: 'x'.repeat(201) } })).toBe(
    'BAD_REQUEST',
  );
  expect((await boothView('bilik-1')).status).toBe('offline');
});

test('a booth shows waiting while its claimant queues and in session once served, with link quality only in session', async () => {
  const socket = await kiosk('bilik-2');
  let linkQuality: LinkQuality | null = { rttMs: 40, packetLossPercent: 0.5, outgoingKbps: 900, incomingKbps: 1200 };
  await keepAlive(socket, { appVersion: '1.4.2', linkQuality: () => linkQuality });
  expect(await boothView('bilik-2')).toMatchObject({ status: 'online', linkQuality: null });

  await request(socket, 'journey:start', { service: 'jht', ticket: null, priority: false });
  expect(await boothView('bilik-2')).toMatchObject({ status: 'waiting', linkQuality: null });

  await server.scheduler.officerOnline(desk.officer.accountId, 4, [TEST_BRANCH], 'officer-test');
  expect(await boothView('bilik-2')).toMatchObject({ status: 'in_session', linkQuality });

  await server.scheduler.endSession(desk.officer.accountId, 'bilik-2');
  linkQuality = null;
  expect(await boothView('bilik-2')).toMatchObject({ status: 'online', linkQuality: null });
});

test('a self-test report with a failed check shows the booth at fault until a passing one arrives', async () => {
  const socket = await kiosk('bilik-3');
  await keepAlive(socket, { appVersion: '1.4.2', linkQuality: () => null });
  const failing: SelfTestReport = { ...passing, microphone: { ok: false, detail: 'level below threshold' } };
  await request(socket, 'selftest:report', failing);
  const faulty = await boothView('bilik-3');
  expect(faulty.status).toBe('fault');
  expect(faulty.selfTest).toEqual({ ...failing, at: expect.any(String) });
  expect(Number.isNaN(Date.parse(faulty.selfTest!.at))).toBe(false);

  await request(socket, 'selftest:report', passing);
  expect(await boothView('bilik-3')).toMatchObject({ status: 'online', selfTest: { ...passing } });

  const invalid = await sendRaw(socket, 'selftest:report', { ...passing, camera: { ok: 'yes', detail: null } });
  expect(refusalOf(invalid)).toBe('BAD_REQUEST');
});

test('a heartbeat with a device fault shows the booth at fault with its reason, even in session, until one without it', async () => {
  const socket = await kiosk('bilik-6');
  let deviceFault: DeviceFault | null = null;
  await keepAlive(socket, { appVersion: '1.4.2', linkQuality: () => null, deviceFault: () => deviceFault });
  await server.scheduler.officerOnline(desk.officer.accountId, 4, [TEST_BRANCH], 'officer-test');
  expect(await request(socket, 'journey:start', { service: 'jht', ticket: null, priority: false })).toMatchObject({ state: 'assigned' });
  expect(await boothView('bilik-6')).toMatchObject({ status: 'in_session', deviceFault: null });

  // The kiosk's camera ended in the call and could not be opened again: it says so at once.
  deviceFault = { kind: 'camera', detail: 'NotReadableError: Could not start video source' };
  await request(socket, 'booth:heartbeat', { appVersion: '1.4.2', linkQuality: null, deviceFault });
  expect(await boothView('bilik-6')).toMatchObject({ status: 'fault', deviceFault });

  // Its camera works again.
  deviceFault = null;
  await request(socket, 'booth:heartbeat', { appVersion: '1.4.2', linkQuality: null, deviceFault });
  expect(await boothView('bilik-6')).toMatchObject({ status: 'in_session', deviceFault: null });
  await server.scheduler.endSession(desk.officer.accountId, 'bilik-6');
});

test('the IT page asks a kiosk to run its self-test, reload, or go out of service, and the kiosk hears it', async () => {
  const socket = await kiosk('bilik-4');

  const selfTest = nextEvent(socket, 'selftest:run');
  expect((await api(itAdmin, 'POST', '/api/booths/bilik-4/self-test')).status).toBe(200);
  expect(await selfTest).toEqual({});

  const reload = nextEvent(socket, 'booth:reload');
  expect((await api(itAdmin, 'POST', '/api/booths/bilik-4/reload')).status).toBe(200);
  expect(await reload).toEqual({});

  const service = nextEvent(socket, 'booth:service');
  expect((await api(itAdmin, 'PUT', '/api/booths/bilik-4/service', { outOfService: true })).status).toBe(200);
  expect(await service).toEqual({ outOfService: true });

  // A kiosk that (re)connects learns its service state at once.
  const another = openSocket(server.url, NAMESPACES.journey, { credential: desk.credentials['bilik-4'] });
  sockets.push(another);
  const told = nextEvent(another, 'booth:service');
  await connected(another);
  expect(await told).toEqual({ outOfService: true });

  const back = nextEvent(socket, 'booth:service');
  expect((await api(itAdmin, 'PUT', '/api/booths/bilik-4/service', { outOfService: false })).status).toBe(200);
  expect(await back).toEqual({ outOfService: false });

  const audit = await server.db.query<{ action: string }>("select action from audit_events where subject = 'bilik-4' order by id");
  expect(audit.map((event) => event.action)).toEqual(
    expect.arrayContaining(['booth.reload_requested', 'booth.out_of_service', 'booth.in_service']),
  );
});

test('out of service takes a waiting claimant out of the queue and refuses new visits; a session in progress goes on', async () => {
  await server.scheduler.officerOnline(desk.officer.accountId, 4, [TEST_BRANCH], 'officer-test');
  const serving = await kiosk('bilik-5');
  expect(await request(serving, 'journey:start', { service: 'jkm', ticket: null, priority: false })).toMatchObject({ state: 'assigned' });
  // The officer pauses, so the next claimant waits.
  await server.scheduler.setWork(desk.officer.accountId, 'paused');
  const queued = await kiosk('bilik-1');
  expect(await request(queued, 'journey:start', { service: 'jkm', ticket: null, priority: false })).toMatchObject({ state: 'waiting' });

  const idle = nextEvent<JourneyState>(queued, 'journey:changed', (state) => state.state === 'idle');
  expect((await api(itAdmin, 'PUT', '/api/booths/bilik-1/service', { outOfService: true })).status).toBe(200);
  await idle;
  expect(await server.scheduler.visitOf('bilik-1')).toBeNull();
  await expect(request(queued, 'journey:start', { service: 'jkm', ticket: null, priority: false })).rejects.toMatchObject({
    code: 'INVALID_STATE',
  });
  expect(await server.scheduler.visitOf('bilik-1')).toBeNull();
  expect((await boothView('bilik-1')).status).toBe('out_of_service');

  // The booth in session is served to the end.
  expect((await api(itAdmin, 'PUT', '/api/booths/bilik-5/service', { outOfService: true })).status).toBe(200);
  expect((await server.scheduler.visitOf('bilik-5'))?.state).toBe('assigned');

  for (const boothId of ['bilik-1', 'bilik-5']) await api(itAdmin, 'PUT', `/api/booths/${boothId}/service`, { outOfService: false });
  expect(await request(queued, 'journey:start', { service: 'jkm', ticket: null, priority: false })).toMatchObject({ state: 'waiting' });
});

test('rotating hands the live kiosk a new credential; once it acknowledges storing it the old one is refused and the new one accepted', async () => {
  await server.booths.createBooth({ id: 'rotating', branchId: TEST_BRANCH, name: 'Bilik Putar' }, { kind: 'system' });
  const old = await server.booths.issueCredential('rotating', { kind: 'system' });
  const socket = await kiosk('rotating', old);
  let handed: string | null = null;
  socket.on('credential:rotate', ({ credential }: { credential: string }, ack: (answer: { stored: boolean }) => void) => {
    handed = credential;
    ack({ stored: true });
  });

  const answer = await api(itAdmin, 'POST', '/api/booths/rotating/rotate-credential');
  expect(answer).toEqual({ status: 200, body: { ok: true, data: { boothId: 'rotating', rotated: true } } });
  expect(handed).toMatch(/^bk1_/);
  expect(handed).not.toBe(old);
  // The kiosk's open connection carries on; new connections need the new credential.
  expect(socket.connected).toBe(true);
  expect((await refused(openSocket(server.url, NAMESPACES.journey, { credential: old }))).data?.error).toBe('UNAUTHORIZED');
  await kiosk('rotating', handed!);
  const audit = await server.db.query("select 1 from audit_events where subject = 'rotating' and action = 'booth.credential_rotated'");
  expect(audit).toHaveLength(1);
});

test('rotating while the kiosk is offline, or when it cannot store the credential, answers 409 and the old credential keeps working', async () => {
  await server.booths.createBooth({ id: 'offline-rot', branchId: TEST_BRANCH, name: 'Bilik Mati' }, { kind: 'system' });
  const old = await server.booths.issueCredential('offline-rot', { kind: 'system' });

  const offline = await api(itAdmin, 'POST', '/api/booths/offline-rot/rotate-credential');
  expect(offline).toMatchObject({ status: 409, body: { ok: false, error: 'INVALID_STATE' } });
  const socket = await kiosk('offline-rot', old);

  socket.on('credential:rotate', (_payload: unknown, ack: (answer: { stored: boolean }) => void) => ack({ stored: false }));
  const unstored = await api(itAdmin, 'POST', '/api/booths/offline-rot/rotate-credential');
  expect(unstored).toMatchObject({ status: 409, body: { error: 'INVALID_STATE' } });
  await kiosk('offline-rot', old);

  // A rotation of a booth that is not enrolled has nothing to rotate.
  await server.booths.createBooth({ id: 'never-enrolled', branchId: TEST_BRANCH, name: 'Bilik Baru' }, { kind: 'system' });
  expect((await api(itAdmin, 'POST', '/api/booths/never-enrolled/rotate-credential')).status).toBe(409);
});

test('a kiosk that stored a new credential but whose acknowledgement was lost connects with it, which completes the rotation', async () => {
  await server.booths.createBooth({ id: 'lost-ack', branchId: TEST_BRANCH, name: 'Bilik Hilang' }, { kind: 'system' });
  const old = await server.booths.issueCredential('lost-ack', { kind: 'system' });
  const socket = await kiosk('lost-ack', old);
  let handed: string | null = null;
  // The kiosk stores it, then its connection drops before the acknowledgement leaves.
  socket.on('credential:rotate', ({ credential }: { credential: string }) => {
    handed = credential;
    socket.disconnect();
  });
  expect((await api(itAdmin, 'POST', '/api/booths/lost-ack/rotate-credential')).status).toBe(409);
  expect(handed).toMatch(/^bk1_/);
  await kiosk('lost-ack', handed!);
  expect((await refused(openSocket(server.url, NAMESPACES.journey, { credential: old }))).data?.error).toBe('UNAUTHORIZED');
});

test('an IT admin of another branch gets 403 on every fleet action, and nothing happens', async () => {
  const socket = openSocket(server.url, NAMESPACES.journey, { credential: desk.credentials['bilik-2'] });
  sockets.push(socket);
  // What every kiosk hears on connecting comes first.
  const told = nextEvent(socket, 'booth:service');
  await connected(socket);
  await told;
  let heard = 0;
  for (const event of ['selftest:run', 'booth:reload', 'booth:service', 'credential:rotate'] as const) socket.on(event, () => (heard += 1));
  const attempts = [
    await api(otherItAdmin, 'GET', `/api/branches/${TEST_BRANCH}/booths`),
    await api(otherItAdmin, 'POST', '/api/booths/bilik-2/reload'),
    await api(otherItAdmin, 'PUT', '/api/booths/bilik-2/service', { outOfService: true }),
    await api(otherItAdmin, 'POST', '/api/booths/bilik-2/rotate-credential'),
    await api(otherItAdmin, 'POST', '/api/booths/bilik-2/self-test'),
  ];
  expect(attempts.map((attempt) => [attempt.status, attempt.body.error])).toEqual(Array(5).fill([403, 'FORBIDDEN']));
  expect((await server.booths.findBooth('bilik-2'))?.outOfService).toBe(false);
  // A round trip on the same connection: anything sent to the kiosk before it would have arrived.
  await request(socket, 'booth:heartbeat', { appVersion: '1.0.0', linkQuality: null, deviceFault: null });
  expect(heard).toBe(0);
  await kiosk('bilik-2');
});

describe('connection-state recovery', () => {
  /**
   * A kiosk socket that has had a broadcast to recover from. It reconnects when the test says so
   * rather than by itself, so that what happens meanwhile happens before, not during, its recovery.
   */
  async function recoverableKiosk(credential: string): Promise<JourneySocket> {
    const socket: JourneySocket = io(`${server.url}${NAMESPACES.journey}`, {
      auth: { protocolVersion: PROTOCOL_VERSION, credential },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    sockets.push(socket);
    // The server announces the visit to the booth's room on connecting: a broadcast the client can recover from.
    const announced = nextEvent(socket, 'journey:changed');
    await connected(socket);
    await announced;
    return socket;
  }

  /** Drops the connection under the socket without closing the socket, as a network blip does. */
  async function dropTransport(socket: Socket): Promise<void> {
    const dropped = disconnected(socket);
    socket.io.engine.close();
    await dropped;
  }

  test('a booth whose transport dropped recovers its connection state', async () => {
    await server.booths.createBooth({ id: 'blip', branchId: TEST_BRANCH, name: 'Bilik Kedip' }, { kind: 'system' });
    const socket = await recoverableKiosk(await server.booths.issueCredential('blip', { kind: 'system' }));
    const id = socket.id;
    await dropTransport(socket);
    const back = connected(socket);
    socket.connect();
    await back;
    expect(socket.recovered).toBe(true);
    expect(socket.id).toBe(id);
    // The recovered socket is served like a new one.
    await request(socket, 'booth:heartbeat', { appVersion: '1.0.0', linkQuality: null, deviceFault: null });
  });

  test('a booth revoked while its transport was down is refused on recovery', async () => {
    await server.booths.createBooth({ id: 'revoked-blip', branchId: TEST_BRANCH, name: 'Bilik Dicabut' }, { kind: 'system' });
    const socket = await recoverableKiosk(await server.booths.issueCredential('revoked-blip', { kind: 'system' }));
    await dropTransport(socket);
    // Nothing is connected to evict: only the handshake's authentication can refuse it now.
    await server.booths.revoke('revoked-blip', { kind: 'system' });
    const refusal = refused(socket);
    socket.connect();
    expect((await refusal).data?.error).toBe('UNAUTHORIZED');
    expect(socket.connected).toBe(false);
  });

  test('an officer console whose transport dropped is away until it recovers, then on duty again', async () => {
    const officerId = desk.officer.accountId;
    const socket = io(`${server.url}${NAMESPACES.officer}`, {
      auth: { protocolVersion: PROTOCOL_VERSION },
      extraHeaders: { cookie: desk.officer.cookie },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    sockets.push(socket);
    // The work view is announced to the officer's room: a broadcast the console can recover from.
    const announced = nextEvent(socket, 'work:changed');
    await connected(socket);
    await announced;
    await dropTransport(socket);
    // The dropped socket's disconnect logic still runs (its state is kept for recovery, not its desk).
    await waitFor('the officer to be away', async () => (await server.scheduler.officer(officerId))?.away === true);
    const back = connected(socket);
    socket.connect();
    await back;
    expect(socket.recovered).toBe(true);
    await waitFor('the officer to be on duty again', async () => (await server.scheduler.officer(officerId))?.away === false);
  });
});
