/**
 * "Saya tidak bisa mendengar" and "Anda dilayani oleh": a booth's report reaches its own officer's
 * tile only, stays until the officer talks to that booth or dismisses it (also through the desk
 * being closed and opened again, like the booth's seat and call), cannot be used to flood the
 * officer, and every booth learns its own officer's display name and nothing more of them.
 */
import { NAMESPACES, type BoothState, type DeskState } from '@bilik/shared';
import { request, type MediaSocket } from '@bilik/shared/client';
import type { Socket } from 'socket.io-client';
import { connected, nextEvent, openSocket, sendRaw, type NamespaceSockets } from '../support/sockets.js';
import {
  seedDesk,
  signedInCookie,
  startTestServer,
  TEST_BRANCH,
  waitFor,
  type SeededDesk,
  type TestServer,
} from '../support/testServer.js';

let server: TestServer;
let desk: SeededDesk;
/** A second officer of the branch, with a desk of its own: bilik-5. */
let other: { accountId: string; cookie: string };
const sockets: MediaSocket[] = [];
/** The server's mediasoup routers before any desk opened: none of them is a desk's. */
let idleRouters: Set<string>;

beforeAll(async () => {
  server = await startTestServer();
  // Four booths at the first officer's desk; the rest wait in the queue for the second officer.
  desk = await seedDesk(server, { capacity: 4 });
  const { account, cookie } = await signedInCookie(server, {
    username: 'petugas-rina',
    displayName: 'Petugas Rina',
    role: 'officer',
    branchIds: [TEST_BRANCH],
  });
  other = { accountId: account.id, cookie };
  await server.scheduler.officerOnline(account.id, 4, [TEST_BRANCH], 'seed');
  await waitFor('bilik-5 is assigned to the second officer', async () => (await server.scheduler.officerOfBooth('bilik-5')) === account.id);
  idleRouters = await routerIds();
});

afterEach(async () => {
  // The next test starts with no desk open: one still closing would take its officer's join.
  await closeDesks();
});

afterAll(async () => {
  await server.close();
});

/**
 * Connects a desk client and joins its desk's media session (no media sent: none is needed here);
 * `watch` is given the socket before it connects, to wait for what it is told first.
 */
async function join<N extends typeof NAMESPACES.booth | typeof NAMESPACES.officer>(
  namespace: N,
  identity: { credential?: string; cookie?: string },
  watch: (socket: MediaSocket) => void = () => undefined,
): Promise<NamespaceSockets[N]> {
  const socket = openSocket(server.url, namespace, identity);
  const media: MediaSocket = socket;
  sockets.push(media);
  watch(media);
  await connected(media);
  const { routerRtpCapabilities } = await request(media, 'capabilities:get', {});
  await request(media, 'session:join', { rtpCapabilities: routerRtpCapabilities });
  return socket;
}

/** Records every `event` the socket receives from now on. */
function record<T>(socket: Socket, event: string): T[] {
  const received: T[] = [];
  socket.on(event, (payload: T) => received.push(payload));
  return received;
}

test("each booth learns its own officer's display name while the officer is there, and nothing else of them", async () => {
  const booth1 = await join(NAMESPACES.booth, { credential: desk.credentials['bilik-1'] });
  const booth5 = await join(NAMESPACES.booth, { credential: desk.credentials['bilik-5'] });
  const named1 = nextEvent<BoothState>(booth1, 'booth:changed', (state) => state.officerPresent);
  const named5 = nextEvent<BoothState>(booth5, 'booth:changed', (state) => state.officerPresent);
  const officer = await join(NAMESPACES.officer, { cookie: desk.officer.cookie });
  await join(NAMESPACES.officer, { cookie: other.cookie });
  expect((await named1).officerName).toBe('Petugas Uji');
  expect((await named5).officerName).toBe('Petugas Rina');
  // The display name is all: no account id, username or other field about the officer.
  expect(Object.keys(await named1).sort()).toEqual(
    ['attentionPlace', 'cannotHear', 'heldForMs', 'officerName', 'officerPresent', 'officerReconnecting', 'talking'].sort(),
  );

  const gone = nextEvent<BoothState>(booth1, 'booth:changed', (state) => !state.officerPresent);
  officer.disconnect();
  expect((await gone).officerName).toBeNull();
});

test("a booth's 'cannot hear' shows on its own officer's tile only, once however often pressed, until the officer talks to it", async () => {
  const officer = await join(NAMESPACES.officer, { cookie: desk.officer.cookie });
  const otherOfficer = await join(NAMESPACES.officer, { cookie: other.cookie });
  const linked = nextEvent<DeskState>(officer, 'desk:changed', (state) => state.booths.filter((booth) => !booth.reconnecting).length === 2);
  const booth1 = await join(NAMESPACES.booth, { credential: desk.credentials['bilik-1'] });
  const booth2 = await join(NAMESPACES.booth, { credential: desk.credentials['bilik-2'] });
  await linked;
  // The first booth of the desk is talked to at once: talk to the second, so the first is not.
  const talking2 = nextEvent<DeskState>(officer, 'desk:changed', (state) => state.talkingToBoothId === 'bilik-2');
  await request(officer, 'talk:select', { boothId: 'bilik-2' });
  await talking2;

  const deskStates = record<DeskState>(officer, 'desk:changed');
  const otherDeskStates = record<DeskState>(otherOfficer, 'desk:changed');
  const booth2States = record<BoothState>(booth2, 'booth:changed');
  const told = nextEvent<BoothState>(booth1, 'booth:changed', (state) => state.cannotHear);
  const presses = await Promise.all(Array.from({ length: 20 }, () => request(booth1, 'hearing:report', {})));
  expect(presses.every((reply) => reply === null)).toBe(true);
  expect((await told).cannotHear).toBe(true);
  // A round trip after the presses, which announces the desk once more: whatever they caused has reached the officer by now.
  await request(officer, 'tile:focus', { boothId: null });

  // Twenty presses told the officer once; the second state is the answer to the focus.
  expect(deskStates).toHaveLength(2);
  const [flagged] = deskStates;
  expect(flagged!.booths.filter((booth) => booth.cannotHear).map((booth) => booth.boothId)).toEqual(['bilik-1']);
  expect(otherDeskStates).toEqual([]);
  expect(booth2States.every((state) => !state.cannotHear)).toBe(true);

  const cleared = nextEvent<BoothState>(booth1, 'booth:changed', (state) => !state.cannotHear);
  await request(officer, 'talk:select', { boothId: 'bilik-1' });
  expect(await cleared).toMatchObject({ talking: true, cannotHear: false });
});

test("the officer dismisses a booth's 'cannot hear' without talking to it; only their own booths, and with valid payloads", async () => {
  const officer = await join(NAMESPACES.officer, { cookie: desk.officer.cookie });
  const otherOfficer = await join(NAMESPACES.officer, { cookie: other.cookie });
  const booth2 = await join(NAMESPACES.booth, { credential: desk.credentials['bilik-2'] });
  const flagged = nextEvent<DeskState>(officer, 'desk:changed', (state) => state.booths.some((booth) => booth.cannotHear));
  await request(booth2, 'hearing:report', {});
  const talkingTo = (await flagged).talkingToBoothId;

  await expect(request(otherOfficer, 'hearing:dismiss', { boothId: 'bilik-2' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  expect(await sendRaw(officer, 'hearing:dismiss', { boothId: '' })).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
  expect(await sendRaw(officer, 'hearing:dismiss', { boothId: 'bilik-2', extra: true })).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
  expect(await sendRaw(booth2, 'hearing:report', { boothId: 'bilik-1' })).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
  // A booth cannot dismiss, and an officer cannot report, through the other's command.
  expect(await sendRaw(booth2, 'hearing:dismiss', { boothId: 'bilik-2' })).toMatchObject({ ok: false, error: 'UNKNOWN_EVENT' });
  expect(await sendRaw(officer, 'hearing:report', {})).toMatchObject({ ok: false, error: 'UNKNOWN_EVENT' });

  const dismissed = nextEvent<BoothState>(booth2, 'booth:changed', (state) => !state.cannotHear);
  expect(await request(officer, 'hearing:dismiss', { boothId: 'bilik-2' })).toBeNull();
  await dismissed;
  const after = nextEvent<DeskState>(officer, 'desk:changed');
  await request(officer, 'tile:focus', { boothId: null });
  expect(await after).toMatchObject({
    talkingToBoothId: talkingTo,
    booths: expect.arrayContaining([expect.objectContaining({ boothId: 'bilik-2', cannotHear: false })]),
  });
});

/** The ids of every mediasoup router of the server now: a desk is one. */
async function routerIds(): Promise<Set<string>> {
  // mediasoup types its worker dump loosely; a worker's dump lists the ids of its routers.
  const dumps = (await Promise.all(server.workers.slots.map((worker) => worker.dump()))) as { routerIds: string[] }[];
  return new Set(dumps.flatMap((dump) => dump.routerIds));
}

/** Connects the officer of `desk` when nobody is at it, and returns the socket, the desk as it opened, and its router. */
async function openDesk(): Promise<{
  officer: NamespaceSockets[typeof NAMESPACES.officer];
  opened: Promise<DeskState>;
  routers: Set<string>;
}> {
  const before = await routerIds();
  let opened: Promise<DeskState> | null = null;
  const officer = await join(NAMESPACES.officer, { cookie: desk.officer.cookie }, (socket) => {
    opened = nextEvent<DeskState>(socket, 'desk:changed');
  });
  const routers = new Set([...(await routerIds())].filter((id) => !before.has(id)));
  return { officer, opened: opened!, routers };
}

/**
 * Disconnects every socket of the test and waits until every desk's router is gone: the desks
 * closed. The server closes a desk once it has handled its last participant's disconnect, which
 * on a busy machine can come after the test's next join.
 */
async function closeDesks(): Promise<void> {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await waitFor('the desks to close', async () => [...(await routerIds())].every((id) => idleRouters.has(id)), 10_000, 50);
}

test("a booth's 'cannot hear' is kept with its seat when the desk closes and opens again, until the officer answers it", async () => {
  const first = await openDesk();
  expect(first.routers.size).toBe(1);
  const booth3 = await join(NAMESPACES.booth, { credential: desk.credentials['bilik-3'] });
  await join(NAMESPACES.booth, { credential: desk.credentials['bilik-4'] });
  const talking4 = nextEvent<DeskState>(first.officer, 'desk:changed', (state) => state.talkingToBoothId === 'bilik-4');
  await request(first.officer, 'talk:select', { boothId: 'bilik-4' });
  await talking4;
  const flagged = nextEvent<DeskState>(first.officer, 'desk:changed', (state) => state.booths.some((booth) => booth.cannotHear));
  await request(booth3, 'hearing:report', {});
  const before = await flagged;

  // Everyone leaves (the console and the kiosks reload, or their links drop at once): the desk closes.
  await closeDesks();

  // Opened again by its officer: bilik-3 has its seat and its flag, shown while it reconnects.
  const second = await openDesk();
  const reopened = await second.opened;
  const seatOf = (state: DeskState, boothId: string) => state.booths.find((booth) => booth.boothId === boothId);
  expect(seatOf(reopened, 'bilik-3')).toMatchObject({ seat: seatOf(before, 'bilik-3')!.seat, cannotHear: true, reconnecting: true });
  expect(seatOf(reopened, 'bilik-4')).toMatchObject({ cannotHear: false });
  expect(reopened.talkingToBoothId).toBe('bilik-4');

  // The kiosk back is told its report still stands, so it keeps saying the officer has been told.
  let told: Promise<BoothState> | null = null;
  const boothBack = await join(NAMESPACES.booth, { credential: desk.credentials['bilik-3'] }, (socket) => {
    told = nextEvent<BoothState>(socket, 'booth:changed');
  });
  expect((await told!).cannotHear).toBe(true);

  // Answered, it stays answered through the next reopening.
  const answered = nextEvent<BoothState>(boothBack, 'booth:changed', (state) => !state.cannotHear);
  await request(second.officer, 'talk:select', { boothId: 'bilik-3' });
  await answered;
  await closeDesks();
  const third = await openDesk();
  expect(seatOf(await third.opened, 'bilik-3')).toMatchObject({ cannotHear: false });
});
