/**
 * Live transfer through the real server: an officer hands the claimant at their booth to another
 * officer of the branch with a note. The booth's desk link leaves the old desk and is seated at
 * the new one with the same visit; the receiving console gets the note and the visit's document
 * photo, which it may then view; the transfer is audited without the note's text; a claimant
 * may be escalated to a supervisor serving a desk; and bad transfers are refused clearly,
 * changing nothing.
 */
import { NAMESPACES, type DeskState, type DocumentCapturedPayload, type JourneyState, type WorkView } from '@bilik/shared';
import { request, SignalingError } from '@bilik/shared/client';
import type { Socket } from 'socket.io-client';
import { greyJpeg } from '../support/images.js';
import { connected, disconnected, nextEvent, openSocket } from '../support/sockets.js';
import { seedBranch, signedInCookie, startTestServer, TEST_BRANCH, type SeededDesk, type TestServer } from '../support/testServer.js';

const NOTE = 'Klaim JHT, KTP sudah dicek; mohon verifikasi rekening bank.';

let server: TestServer;
let desk: SeededDesk;
const sockets: Socket[] = [];
let officerA: ReturnType<typeof openSocket<'/officer'>>;
let officerB: ReturnType<typeof openSocket<'/officer'>>;
let receiver: { id: string; cookie: string };

function open<N extends Parameters<typeof openSocket>[1]>(
  namespace: N,
  options: Parameters<typeof openSocket>[2],
): ReturnType<typeof openSocket<N>> {
  const socket = openSocket(server.url, namespace, options);
  sockets.push(socket);
  return socket;
}

beforeAll(async () => {
  server = await startTestServer();
  desk = await seedBranch(server, { booths: 3 });
  officerA = open(NAMESPACES.officer, { cookie: desk.officer.cookie });
  await connected(officerA);
  const { account, cookie } = await signedInCookie(server, {
    username: 'petugas-2',
    displayName: 'Petugas Penerima',
    role: 'officer',
    branchIds: [TEST_BRANCH],
  });
  receiver = { id: account.id, cookie };
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.close();
});

/** Starts `boothId`'s visit as its kiosk would, and opens its desk link once the visit is assigned. */
async function claimantAt(boothId: string): Promise<{ journey: Socket; booth: Socket }> {
  const journey = open(NAMESPACES.journey, { credential: desk.credentials[boothId] });
  await connected(journey);
  const assigned = nextEvent<JourneyState>(journey, 'journey:changed', (state) => state.state === 'assigned');
  await request(journey, 'journey:start', { service: 'jht', ticket: null, priority: false });
  await assigned;
  const booth = open(NAMESPACES.booth, { credential: desk.credentials[boothId] });
  await connected(booth);
  return { journey, booth };
}

async function errorCodeOf(answer: Promise<unknown>): Promise<string> {
  try {
    await answer;
    return 'answered';
  } catch (error) {
    return error instanceof SignalingError ? error.code : String(error);
  }
}

test('the claimant moves to the receiving desk with the same visit; the note and the document photo follow it', async () => {
  const { journey, booth } = await claimantAt('bilik-1');
  const visit = (await server.scheduler.visitOf('bilik-1'))!;
  expect(visit.officerId).toBe(desk.officer.accountId);

  // A photo captured at the first desk.
  const asked = nextEvent<{ requestId: string }>(booth, 'document:requested');
  const captured = nextEvent<DocumentCapturedPayload>(officerA, 'document:captured');
  await request(officerA, 'document:request', { boothId: 'bilik-1' });
  const upload = await fetch(`${server.url}/api/documents/${(await asked).requestId}`, {
    method: 'POST',
    headers: { 'content-type': 'image/jpeg', origin: server.url, authorization: `Bearer ${desk.credentials['bilik-1']}` },
    body: new Uint8Array(greyJpeg(64, 48)),
  });
  expect(upload.status).toBe(201);
  const photo = await captured;
  if (!photo.ok) throw new Error(photo.message);

  // The receiving officer comes on duty, with free seats.
  officerB = open(NAMESPACES.officer, { cookie: receiver.cookie });
  // On duty once its work view is announced, which follows the connection.
  const onDuty = nextEvent<WorkView>(officerB, 'work:changed');
  await connected(officerB);
  await onDuty;
  const offered = await request(officerA, 'transfer:targets', { boothId: 'bilik-1' });
  expect(offered).toEqual({
    officers: [{ accountId: receiver.id, displayName: 'Petugas Penerima', role: 'officer', state: 'available', freeSeats: 6 }],
    queue: true,
  });
  // Before B's photo view: not theirs yet.
  const viewPhoto = (cookie: string) => fetch(`${server.url}/api/documents/${photo.documentId}`, { headers: { cookie } });
  expect((await viewPhoto(receiver.cookie)).status).toBe(403);

  const moved = nextEvent(booth, 'seat:moved');
  const linkClosed = disconnected(booth);
  const handedTo = nextEvent<WorkView>(officerB, 'work:changed', (view) => view.sessions.some((session) => session.boothId === 'bilik-1'));
  const answer = await request(officerA, 'visit:transfer', {
    boothId: 'bilik-1',
    target: { kind: 'officer', officerId: receiver.id },
    note: `  ${NOTE}  `,
  });
  expect(answer).toEqual({ visitId: visit.visitId, seated: true });
  await moved;
  expect(await linkClosed).toBe('io server disconnect');

  const session = (await handedTo).sessions.find((candidate) => candidate.boothId === 'bilik-1')!;
  expect(session).toMatchObject({
    visitId: visit.visitId,
    transfer: {
      fromOfficerId: desk.officer.accountId,
      fromName: 'Petugas Uji',
      note: NOTE,
      documents: [{ documentId: photo.documentId, width: photo.width, height: photo.height, bytes: photo.bytes }],
    },
  });
  expect((await server.scheduler.workOf(desk.officer.accountId))!.sessions).toEqual([]);
  expect(await server.scheduler.journeyOf('bilik-1')).toEqual({ state: 'assigned', service: 'jht', officerAway: false });
  expect(journey.connected).toBe(true);
  expect((await viewPhoto(receiver.cookie)).status).toBe(200);

  // The kiosk connects again, as its desk link does, and is seated at the receiving desk.
  const seatedAtB = nextEvent<DeskState>(officerB, 'desk:changed', (state) => state.booths.some((seat) => seat.boothId === 'bilik-1'));
  booth.connect();
  await connected(booth);
  await seatedAtB;

  const audit = await server.db.query<{ actor_id: string; subject: string; detail: Record<string, unknown> }>(
    "select actor_id, subject, detail from audit_events where action = 'visit.transferred'",
  );
  expect(audit).toEqual([
    {
      actor_id: desk.officer.accountId,
      subject: visit.visitId,
      detail: {
        boothId: 'bilik-1',
        branchId: TEST_BRANCH,
        fromOfficerId: desk.officer.accountId,
        toOfficerId: receiver.id,
        to: 'officer',
        noteLength: NOTE.length,
        documents: 1,
      },
    },
  ]);
  expect(JSON.stringify(audit)).not.toContain('rekening');
});

test('a transfer is refused for a booth of another desk, an empty or overlong note, and an officer of another branch', async () => {
  await claimantAt('bilik-2');
  const owner = (await server.scheduler.visitOf('bilik-2'))!.officerId!;
  const [mine, theirs] = owner === desk.officer.accountId ? [officerA, officerB] : [officerB, officerA];
  await server.accounts.createBranch({ id: 'cabang-lain', name: 'Cabang Lain' });
  const { account: stranger } = await signedInCookie(server, { username: 'petugas-lain', role: 'officer', branchIds: ['cabang-lain'] });
  const to = (officerId: string) => ({ kind: 'officer' as const, officerId });
  const other = owner === desk.officer.accountId ? receiver.id : desk.officer.accountId;

  expect(await errorCodeOf(request(theirs, 'visit:transfer', { boothId: 'bilik-2', target: to(owner), note: NOTE }))).toBe('FORBIDDEN');
  expect(await errorCodeOf(request(mine, 'visit:transfer', { boothId: 'bilik-2', target: to(other), note: '   ' }))).toBe('BAD_REQUEST');
  expect(await errorCodeOf(request(mine, 'visit:transfer', { boothId: 'bilik-2', target: to(other), note: 'x'.repeat(501) }))).toBe(
    'BAD_REQUEST',
  );
  expect(await errorCodeOf(request(mine, 'visit:transfer', { boothId: 'bilik-2', target: to(stranger.id), note: NOTE }))).toBe('FORBIDDEN');
  expect(await errorCodeOf(request(mine, 'visit:transfer', { boothId: 'bilik-2', target: to(owner), note: NOTE }))).toBe('INVALID_STATE');
  expect((await server.scheduler.visitOf('bilik-2'))!).toMatchObject({ officerId: owner, moving: false, handover: null });
});

test("an escalation: a supervisor serving a desk is offered as a supervisor, the claimant moves to the supervisor's desk with the note, and the supervisor page lists the visit", async () => {
  await claimantAt('bilik-3');
  const owner = (await server.scheduler.visitOf('bilik-3'))!.officerId!;
  const mine = owner === desk.officer.accountId ? officerA : officerB;
  // The supervisor comes on duty after the claimant was seated, so the queue did not give them this one.
  const { account, cookie } = await signedInCookie(server, {
    username: 'supervisor-1',
    displayName: 'Supervisor Uji',
    role: 'supervisor',
    branchIds: [TEST_BRANCH],
  });
  const supervisor = open(NAMESPACES.officer, { cookie });
  const onDuty = nextEvent<WorkView>(supervisor, 'work:changed');
  await connected(supervisor);
  await onDuty;

  const offered = await request(mine, 'transfer:targets', { boothId: 'bilik-3' });
  expect(offered.officers.find((target) => target.accountId === account.id)).toMatchObject({
    displayName: 'Supervisor Uji',
    role: 'supervisor',
    state: 'available',
  });
  const handedTo = nextEvent<WorkView>(supervisor, 'work:changed', (view) =>
    view.sessions.some((session) => session.boothId === 'bilik-3'),
  );
  await request(mine, 'visit:transfer', { boothId: 'bilik-3', target: { kind: 'officer', officerId: account.id }, note: NOTE });
  const session = (await handedTo).sessions.find((candidate) => candidate.boothId === 'bilik-3')!;
  expect(session.transfer).toMatchObject({ fromOfficerId: owner, note: NOTE });
  expect((await server.scheduler.visitOf('bilik-3'))!.officerId).toBe(account.id);

  // The supervisor page lists the serving supervisor with the visit, so it can be monitored like any other.
  const queue = await fetch(`${server.url}/api/branches/${TEST_BRANCH}/queue`, { headers: { cookie } });
  const { data } = (await queue.json()) as { data: { officers: Array<{ accountId: string; role: string; boothIds: string[] }> } };
  expect(data.officers.find((listed) => listed.accountId === account.id)).toMatchObject({ role: 'supervisor', boothIds: ['bilik-3'] });
  expect(data.officers.filter((listed) => listed.role === 'officer')).toHaveLength(2);
});
