/**
 * A booth's visit through the real server: queueing on /journey, assignment when the officer
 * comes on duty, the desk link that only an assigned booth may open, the end of a session, and
 * the grace periods of dropped booths and officers (1 s here).
 */
import { NAMESPACES, type BranchQueueView, type JourneyState, type WorkView } from '@bilik/shared';
import { request, type JourneySocket, type OfficerSocket } from '@bilik/shared/client';
import type { Socket } from 'socket.io-client';
import { connected, disconnected, nextEvent, openSocket, refused, type Namespace, type NamespaceSockets } from '../support/sockets.js';
import { seedBranch, startTestServer, TEST_BRANCH, waitFor, type SeededDesk, type TestServer } from '../support/testServer.js';
import { deleteKeys } from '../support/redis.js';

let server: TestServer;
let desk: SeededDesk;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await startTestServer({ GRACE_SECONDS: '1' });
  desk = await seedBranch(server, { capacity: 4, booths: 6 });
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  // Every visit and the officer's presence end, so each test starts from an empty queue.
  await deleteKeys(server.redis, 'bilik:sch:*');
});

afterAll(() => server.close());

function open<N extends Namespace>(namespace: N, options: { credential?: string; cookie?: string }): NamespaceSockets[N] {
  const socket = openSocket(server.url, namespace, options);
  sockets.push(socket);
  return socket;
}

/** A booth's /journey socket, connected, with the first state the server sent it. */
async function journey(boothId: string): Promise<{ socket: JourneySocket; first: JourneyState }> {
  const socket = open(NAMESPACES.journey, { credential: desk.credentials[boothId] });
  const first = nextEvent<JourneyState>(socket, 'journey:changed');
  await connected(socket);
  return { socket, first: await first };
}

async function officerConsole(): Promise<{ socket: OfficerSocket; work: WorkView }> {
  const socket = open(NAMESPACES.officer, { cookie: desk.officer.cookie });
  const work = nextEvent<WorkView>(socket, 'work:changed');
  await connected(socket);
  return { socket, work: await work };
}

const start = (socket: JourneySocket, priority = false): Promise<JourneyState> =>
  request(socket, 'journey:start', { service: 'jkk', ticket: 'A-017', priority });

test('a booth waits, told nobody is on duty, until the officer comes on duty; then it may open its desk link', async () => {
  const booth = await journey('bilik-1');
  expect(booth.first).toEqual({ state: 'idle' });
  const refusedBeforeAssignment = refused(open(NAMESPACES.booth, { credential: desk.credentials['bilik-1'] }));
  expect((await refusedBeforeAssignment).data?.error).toBe('INVALID_STATE');

  expect(await start(booth.socket)).toEqual({
    state: 'waiting',
    service: 'jkk',
    priority: false,
    place: 1,
    officersOnDuty: 0,
    estimatedWaitMinutes: null,
  });

  const assigned = nextEvent<JourneyState>(booth.socket, 'journey:changed', (state) => state.state === 'assigned');
  const officer = await officerConsole();
  expect(await assigned).toEqual({ state: 'assigned', service: 'jkk', officerAway: false });
  const work =
    officer.work.sessions.length > 0
      ? officer.work
      : await nextEvent<WorkView>(officer.socket, 'work:changed', (view) => view.sessions.length === 1);
  expect(work).toMatchObject({
    state: 'available',
    capacity: 4,
    sessions: [{ boothId: 'bilik-1', service: 'jkk', ticket: 'A-017', priority: false, boothAway: false }],
  });
  await connected(open(NAMESPACES.booth, { credential: desk.credentials['bilik-1'] }));
});

test('a full desk leaves the next booth at place 1 until the officer ends a session; the ended booth loses its desk link', async () => {
  const officer = await officerConsole();
  const booths = [];
  for (const boothId of ['bilik-1', 'bilik-2', 'bilik-3', 'bilik-4', 'bilik-5']) {
    const booth = await journey(boothId);
    booths.push({ boothId, ...booth, state: await start(booth.socket) });
  }
  expect(booths.map((booth) => booth.state.state)).toEqual(['assigned', 'assigned', 'assigned', 'assigned', 'waiting']);
  expect(booths[4]!.state).toMatchObject({ place: 1, officersOnDuty: 1 });

  const link = open(NAMESPACES.booth, { credential: desk.credentials['bilik-2'] });
  await connected(link);
  const cut = disconnected(link);
  const ended = nextEvent<JourneyState>(booths[1]!.socket, 'journey:changed', (state) => state.state === 'ended');
  const fifthAssigned = nextEvent<JourneyState>(booths[4]!.socket, 'journey:changed', (state) => state.state === 'assigned');
  const workAfter = nextEvent<WorkView>(officer.socket, 'work:changed', (view) =>
    view.sessions.some((session) => session.boothId === 'bilik-5'),
  );
  await request(officer.socket, 'session:end', { boothId: 'bilik-2', noOutcomeReason: 'wrong_service' });
  await Promise.all([ended, fifthAssigned, cut]);
  expect((await workAfter).sessions.map((session) => session.boothId).sort()).toEqual(['bilik-1', 'bilik-3', 'bilik-4', 'bilik-5']);
  // The ended booth's visit is over: it starts afresh, and cannot open the desk link.
  expect((await refused(open(NAMESPACES.booth, { credential: desk.credentials['bilik-2'] }))).data?.error).toBe('INVALID_STATE');
});

test('a priority claimant is served before those who waited longer; a paused officer takes nobody', async () => {
  const officer = await officerConsole();
  // Three of the officer's four places are taken, so one booth can be served next.
  for (const boothId of ['bilik-3', 'bilik-4', 'bilik-5']) await start((await journey(boothId)).socket);
  await request(officer.socket, 'work:set', { state: 'paused' });
  const first = await journey('bilik-1');
  await start(first.socket);
  const second = await journey('bilik-2');
  expect(await start(second.socket, true)).toMatchObject({ state: 'waiting', place: 1, priority: true });
  const secondAssigned = nextEvent<JourneyState>(second.socket, 'journey:changed', (state) => state.state === 'assigned');
  const view = await request(officer.socket, 'work:set', { state: 'available' });
  await secondAssigned;
  expect(view.sessions.map((session) => session.boothId).sort()).toEqual(['bilik-2', 'bilik-3', 'bilik-4', 'bilik-5']);
  expect(await server.scheduler.journeyOf('bilik-1')).toMatchObject({ state: 'waiting', place: 1 });
});

test('a booth back within the grace period resumes its session; one that stays away is released and the officer told', async () => {
  const officer = await officerConsole();
  const returning = await journey('bilik-1');
  await start(returning.socket);
  const leaving = await journey('bilik-2');
  await start(leaving.socket);
  const visitId = (await server.scheduler.visitOf('bilik-1'))?.visitId;

  returning.socket.disconnect();
  const again = await journey('bilik-1');
  expect(again.first).toEqual({ state: 'assigned', service: 'jkk', officerAway: false });
  expect((await server.scheduler.visitOf('bilik-1'))?.visitId).toBe(visitId);

  const released = nextEvent<WorkView>(
    officer.socket,
    'work:changed',
    (view) => !view.sessions.some((session) => session.boothId === 'bilik-2'),
  );
  leaving.socket.disconnect();
  expect((await released).sessions.map((session) => session.boothId)).toEqual(['bilik-1']);
  expect(await server.scheduler.journeyOf('bilik-2')).toEqual({ state: 'idle' });
  expect(await server.scheduler.journeyOf('bilik-1')).toMatchObject({ state: 'assigned' });
});

test('an officer who drops shows as reconnecting to their booths; after the grace period the booths wait again, first in line', async () => {
  const officer = await officerConsole();
  const booth = await journey('bilik-1');
  await start(booth.socket);
  const link = open(NAMESPACES.booth, { credential: desk.credentials['bilik-1'] });
  await connected(link);
  const later = await journey('bilik-2');
  await request(officer.socket, 'work:set', { state: 'paused' });
  await start(later.socket);

  const reconnecting = nextEvent<JourneyState>(booth.socket, 'journey:changed', (state) => state.state === 'assigned' && state.officerAway);
  const requeued = nextEvent<JourneyState>(booth.socket, 'journey:changed', (state) => state.state === 'waiting');
  const cut = disconnected(link);
  officer.socket.disconnect();
  await reconnecting;
  expect(await requeued).toMatchObject({ place: 1, officersOnDuty: 0 });
  await cut;
  expect((await server.scheduler.waiting(TEST_BRANCH)).map((visit) => visit.boothId)).toEqual(['bilik-1', 'bilik-2']);
});

test("a supervisor raising an officer's capacity assigns a waiting booth at once", async () => {
  const supervisor = await server.accounts.createAccount({
    username: 'penyelia-1',
    displayName: 'Penyelia',
    role: 'supervisor',
    branchIds: [TEST_BRANCH],
    password: 'kata sandi penyelia',
  });
  const { token } = await server.sessions.create(supervisor);
  await officerConsole();
  const booths = [];
  for (const boothId of ['bilik-1', 'bilik-2', 'bilik-3', 'bilik-4', 'bilik-5']) {
    const booth = await journey(boothId);
    await start(booth.socket);
    booths.push(booth);
  }
  const queue = async () => {
    const response = await fetch(`${server.url}/api/branches/${TEST_BRANCH}/queue`, { headers: { cookie: `bilik_session=${token}` } });
    return (
      (await response.json()) as {
        data: { waiting: Array<{ boothId: string }>; officers: Array<{ activeSessions: number; capacity: number }> };
      }
    ).data;
  };
  expect(await queue()).toMatchObject({ waiting: [{ boothId: 'bilik-5' }], officers: [{ activeSessions: 4, capacity: 4 }] });

  const assigned = nextEvent<JourneyState>(booths[4]!.socket, 'journey:changed', (state) => state.state === 'assigned');
  const response = await fetch(`${server.url}/api/officers/${desk.officer.accountId}/capacity`, {
    method: 'PUT',
    headers: { cookie: `bilik_session=${token}`, origin: server.url, 'content-type': 'application/json' },
    body: JSON.stringify({ capacity: 5 }),
  });
  expect(response.status).toBe(200);
  await assigned;
  expect(await queue()).toMatchObject({ waiting: [], officers: [{ activeSessions: 5, capacity: 5 }] });
  await server.accounts.setCapacity(desk.officer.accountId, 4, { kind: 'system' });
});

test("the supervisor's queue shows each booth in session with how long its claimant has waited for the officer's word, as the desk counts it", async () => {
  const supervisor = await server.accounts.createAccount({
    username: 'penyelia-tahan',
    displayName: 'Penyelia Tahan',
    role: 'supervisor',
    branchIds: [TEST_BRANCH],
    password: 'kata sandi penyelia',
  });
  const { token } = await server.sessions.create(supervisor);
  const holds = async (): Promise<Record<string, number | null>> => {
    const response = await fetch(`${server.url}/api/branches/${TEST_BRANCH}/queue`, { headers: { cookie: `bilik_session=${token}` } });
    const { data } = (await response.json()) as { data: BranchQueueView };
    return Object.fromEntries(data.officers.flatMap((officer) => officer.holds.map((hold) => [hold.boothId, hold.waitingMs])));
  };
  const officer = await officerConsole();
  for (const boothId of ['bilik-1', 'bilik-2']) {
    await start((await journey(boothId)).socket);
    // Seated in this order: the first booth of an idle officer is talked to, the second waits from its seat.
    await connected(open(NAMESPACES.booth, { credential: desk.credentials[boothId] }));
  }
  await waitFor('the desk to store both seats', async () => {
    const now = await holds();
    return now['bilik-1'] === null && typeof now['bilik-2'] === 'number';
  });

  await request(officer.socket, 'talk:select', { boothId: 'bilik-2' });
  await waitFor('the talk to move in the stored seats', async () => {
    const now = await holds();
    return typeof now['bilik-1'] === 'number' && now['bilik-2'] === null;
  });
  const waited = (await holds())['bilik-1']!;
  expect(waited).toBeGreaterThanOrEqual(0);
  expect(waited).toBeLessThan(10_000);
});
