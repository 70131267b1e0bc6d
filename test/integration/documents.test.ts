/**
 * Document capture through the real server: the officer's request reaches the booth's desk link,
 * the booth uploads a real photo with its device credential, the officer is told at once and can
 * fetch the very same bytes; and every upload or view that is not theirs is refused clearly.
 */
import { NAMESPACES, type Ack, type DocumentCapturedPayload } from '@bilik/shared';
import type { Socket } from 'socket.io-client';
import { documentRequestKey } from '../../server/src/documents/documentRequests.js';
import { gifHeader, greyJpeg, rgbPng } from '../support/images.js';
import { connected, nextEvent, openSocket } from '../support/sockets.js';
import {
  seedDesk,
  signedInCookie,
  startTestServer,
  TEST_BRANCH,
  waitFor,
  type SeededDesk,
  type TestServer,
} from '../support/testServer.js';

const OTHER_BRANCH = 'other-branch';

let server: TestServer;
let desk: SeededDesk;
let officer: Socket;
const boothSockets = new Map<string, Socket>();
const sockets: Socket[] = [];

beforeAll(async () => {
  // A 1 MB limit keeps the oversize upload small.
  server = await startTestServer({ DOCUMENT_MAX_MEGABYTES: '1' });
  desk = await seedDesk(server);
  await server.accounts.createBranch({ id: OTHER_BRANCH, name: 'Cabang Lain' });
  officer = openSocket(server.url, NAMESPACES.officer, { cookie: desk.officer.cookie });
  sockets.push(officer);
  for (const boothId of ['bilik-1', 'bilik-2', 'bilik-3', 'bilik-4', 'bilik-5', 'bilik-6']) {
    const booth = openSocket(server.url, NAMESPACES.booth, { credential: desk.credentials[boothId] });
    boothSockets.set(boothId, booth);
    sockets.push(booth);
  }
  await Promise.all(sockets.map((socket) => connected(socket)));
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.close();
});

function boothSocket(boothId: string): Socket {
  return boothSockets.get(boothId)!;
}

/** The officer asks `boothId` for a photo; resolves once the booth has been asked, with the request id. */
async function requestPhoto(boothId: string): Promise<string> {
  const asked = nextEvent<{ requestId: string }>(boothSocket(boothId), 'document:requested');
  const ack = (await officer.timeout(5000).emitWithAck('document:request', { boothId })) as Ack<{ requestId: string }>;
  if (!ack.ok) throw new Error(`document:request refused: ${ack.error} ${ack.message}`);
  expect((await asked).requestId).toBe(ack.data.requestId);
  return ack.data.requestId;
}

interface Answer {
  status: number;
  body: { ok: boolean; error?: string; message?: string; data?: { documentId: string; width: number; height: number; bytes: number } };
}

/** Uploads `body` for `requestId` as the holder of `credential` would (or with no credential, or a staff cookie). */
async function upload(requestId: string, body: Buffer, contentType: string, as: { credential?: string; cookie?: string }): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': contentType, origin: server.url };
  if (as.credential) headers.authorization = `Bearer ${as.credential}`;
  if (as.cookie) headers.cookie = as.cookie;
  const response = await fetch(`${server.url}/api/documents/${requestId}`, { method: 'POST', headers, body: new Uint8Array(body) });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

function view(documentId: string, cookie?: string, credential?: string): Promise<Response> {
  const headers: Record<string, string> = {};
  if (cookie) headers.cookie = cookie;
  if (credential) headers.authorization = `Bearer ${credential}`;
  return fetch(`${server.url}/api/documents/${documentId}`, { headers });
}

async function storedDocuments(): Promise<number> {
  return Number((await server.db.query<{ count: string }>('select count(*) from documents'))[0]!.count);
}

/** A full round: request, upload of a small JPEG, the officer told. Returns the document id. */
async function capture(boothId: string): Promise<string> {
  const requestId = await requestPhoto(boothId);
  const captured = nextEvent<DocumentCapturedPayload>(officer, 'document:captured', (payload) => payload.requestId === requestId);
  const answer = await upload(requestId, greyJpeg(64, 48), 'image/jpeg', { credential: desk.credentials[boothId] });
  expect(answer.status).toBe(201);
  const told = await captured;
  if (!told.ok) throw new Error(told.message);
  return told.documentId;
}

describe('a document photo from request to viewer', () => {
  test('the booth uploads the JPEG it was asked for; the officer is told its size and fetches the same bytes', async () => {
    const others: string[] = [];
    boothSocket('bilik-2').on('document:requested', ({ requestId }: { requestId: string }) => others.push(requestId));
    const requestId = await requestPhoto('bilik-1');
    const photo = greyJpeg(3264, 2448);
    const captured = nextEvent<DocumentCapturedPayload>(officer, 'document:captured');

    const answer = await upload(requestId, photo, 'image/jpeg', { credential: desk.credentials['bilik-1'] });

    expect(answer).toEqual({
      status: 201,
      body: { ok: true, data: { documentId: expect.any(String), width: 3264, height: 2448, bytes: photo.length } },
    });
    const told = await captured;
    expect(told).toEqual({
      boothId: 'bilik-1',
      requestId,
      ok: true,
      documentId: answer.body.data!.documentId,
      width: 3264,
      height: 2448,
      bytes: photo.length,
    });

    const response = await view(answer.body.data!.documentId, desk.officer.cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await response.arrayBuffer()).equals(photo)).toBe(true);

    // Stored with the visit it was taken in; the audit trail names ids only.
    const visit = await server.scheduler.visitOf('bilik-1');
    const [row] = await server.db.query<{ visit_id: string; officer_id: string; branch_id: string; mime: string }>(
      'select visit_id, officer_id, branch_id, mime from documents where id = $1',
      [told.ok ? told.documentId : ''],
    );
    expect(row).toEqual({ visit_id: visit!.visitId, officer_id: desk.officer.accountId, branch_id: TEST_BRANCH, mime: 'image/jpeg' });
    const audit = await server.db.query<{ action: string; actor_id: string; detail: Record<string, unknown> }>(
      'select action, actor_id, detail from audit_events where subject = $1 order by id',
      [answer.body.data!.documentId],
    );
    expect(audit).toEqual([
      {
        action: 'document.captured',
        actor_id: 'bilik-1',
        detail: { visitId: visit!.visitId, officerId: desk.officer.accountId, branchId: TEST_BRANCH, bytes: photo.length },
      },
      { action: 'document.viewed', actor_id: desk.officer.accountId, detail: {} },
    ]);
    // Only the booth asked heard of the request.
    expect(others).toEqual([]);
    boothSocket('bilik-2').off('document:requested');
  });

  test('a PNG is accepted too, and a request takes one photo only', async () => {
    const requestId = await requestPhoto('bilik-2');
    const png = rgbPng(40, 30, (x, y) => [x * 6, y * 8, 128]);
    const first = await upload(requestId, png, 'image/png', { credential: desk.credentials['bilik-2'] });
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({ width: 40, height: 30, bytes: png.length });
    const again = await upload(requestId, png, 'image/png', { credential: desk.credentials['bilik-2'] });
    expect(again).toMatchObject({ status: 404, body: { ok: false, error: 'NOT_FOUND' } });
  });

  test('a booth that cannot take the photo says so, and the officer is told why', async () => {
    const requestId = await requestPhoto('bilik-1');
    const told = nextEvent<DocumentCapturedPayload>(officer, 'document:captured', (payload) => payload.requestId === requestId);
    const ack = (await boothSocket('bilik-1').timeout(5000).emitWithAck('document:failed', { requestId, reason: 'camera' })) as Ack<null>;
    expect(ack).toEqual({ ok: true, data: null });
    expect(await told).toEqual({ boothId: 'bilik-1', requestId, ok: false, message: expect.stringContaining('camera') });
    // The request is over: neither a late upload nor another booth's report can use it.
    expect((await upload(requestId, greyJpeg(8, 8), 'image/jpeg', { credential: desk.credentials['bilik-1'] })).status).toBe(404);
  });

  test("a booth cannot report failure on another booth's request", async () => {
    const requestId = await requestPhoto('bilik-1');
    const ack = (await boothSocket('bilik-2').timeout(5000).emitWithAck('document:failed', { requestId, reason: 'camera' })) as Ack<null>;
    expect(ack).toMatchObject({ ok: false, error: 'FORBIDDEN' });
    expect((await upload(requestId, greyJpeg(8, 8), 'image/jpeg', { credential: desk.credentials['bilik-1'] })).status).toBe(201);
  });
});

describe('uploads that are refused', () => {
  test('anything but a JPEG or PNG, whatever it claims to be, is BAD_REQUEST and stores nothing', async () => {
    const requestId = await requestPhoto('bilik-1');
    const credential = desk.credentials['bilik-1'];
    const before = await storedDocuments();
    const jpeg = greyJpeg(64, 48);
    const refusals = [
      await upload(requestId, gifHeader(64, 48), 'image/gif', { credential }),
      await upload(requestId, gifHeader(64, 48), 'image/jpeg', { credential }),
      await upload(requestId, Buffer.from('not a photo at all'), 'image/jpeg', { credential }),
      // JPEG bytes declared as PNG, and a JPEG declared as nothing in particular.
      await upload(requestId, jpeg, 'image/png', { credential }),
      await upload(requestId, jpeg, 'application/octet-stream', { credential }),
    ];
    for (const refusal of refusals) {
      expect(refusal).toEqual({ status: 400, body: { ok: false, error: 'BAD_REQUEST', message: 'Only JPEG or PNG photos are accepted' } });
    }
    // A JPEG whose frame header is cut off.
    const cut = await upload(requestId, jpeg.subarray(0, 30), 'image/jpeg', { credential });
    expect(cut).toEqual({ status: 400, body: { ok: false, error: 'BAD_REQUEST', message: "The photo's JPEG header cannot be read" } });
    expect(await storedDocuments()).toBe(before);
    // Refusals do not use the request up: the real photo is still welcome.
    expect((await upload(requestId, jpeg, 'image/jpeg', { credential })).status).toBe(201);
  });

  test('a photo over the configured size is TOO_LARGE', async () => {
    const requestId = await requestPhoto('bilik-1');
    const oversize = Buffer.concat([greyJpeg(64, 48), Buffer.alloc(1024 * 1024)]);
    const answer = await upload(requestId, oversize, 'image/jpeg', { credential: desk.credentials['bilik-1'] });
    expect(answer).toEqual({ status: 413, body: { ok: false, error: 'TOO_LARGE', message: 'The photo is larger than 1 MB' } });
  });

  test("another booth's request is FORBIDDEN, and stays its own booth's to answer", async () => {
    const requestId = await requestPhoto('bilik-1');
    const answer = await upload(requestId, greyJpeg(64, 48), 'image/jpeg', { credential: desk.credentials['bilik-2'] });
    expect(answer).toEqual({ status: 403, body: { ok: false, error: 'FORBIDDEN', message: 'This photo request is for another booth' } });
    expect((await upload(requestId, greyJpeg(64, 48), 'image/jpeg', { credential: desk.credentials['bilik-1'] })).status).toBe(201);
  });

  test('an unknown or expired request is NOT_FOUND', async () => {
    const credential = desk.credentials['bilik-1'];
    const unknown = await upload('5b0c8a4e-3f0e-4a55-9a57-0c7e2f1d9b11', greyJpeg(8, 8), 'image/jpeg', { credential });
    expect(unknown).toEqual({
      status: 404,
      body: { ok: false, error: 'NOT_FOUND', message: 'This photo request is unknown or has expired' },
    });

    const requestId = await requestPhoto('bilik-1');
    // Run its time out now rather than wait two minutes.
    await server.redis.pexpire(documentRequestKey(requestId), 1);
    await waitFor('the request to expire', async () => (await server.redis.exists(documentRequestKey(requestId))) === 0);
    expect((await upload(requestId, greyJpeg(8, 8), 'image/jpeg', { credential })).status).toBe(404);
  });

  test('without a credential, with a revoked one, or as staff, nothing is uploaded', async () => {
    const requestId = await requestPhoto('bilik-6');
    const photo = greyJpeg(8, 8);
    expect(await upload(requestId, photo, 'image/jpeg', {})).toMatchObject({ status: 401, body: { error: 'UNAUTHORIZED' } });
    expect(await upload(requestId, photo, 'image/jpeg', { cookie: desk.officer.cookie })).toMatchObject({
      status: 403,
      body: { error: 'FORBIDDEN' },
    });
    await server.booths.revoke('bilik-6', { kind: 'system' });
    expect(await upload(requestId, photo, 'image/jpeg', { credential: desk.credentials['bilik-6'] })).toMatchObject({
      status: 401,
      body: { error: 'UNAUTHORIZED' },
    });
  });

  test('once the session ends, its request can no longer be answered, and the booth can no longer be asked', async () => {
    const requestId = await requestPhoto('bilik-3');
    await server.scheduler.endSession(desk.officer.accountId, 'bilik-3');
    const answer = await upload(requestId, greyJpeg(8, 8), 'image/jpeg', { credential: desk.credentials['bilik-3'] });
    expect(answer).toMatchObject({ status: 409, body: { error: 'INVALID_STATE' } });
    const ack = (await officer.timeout(5000).emitWithAck('document:request', { boothId: 'bilik-3' })) as Ack<unknown>;
    expect(ack).toEqual({ ok: false, error: 'FORBIDDEN', message: 'Booth bilik-3 is not one of your booths' });
  });
});

describe('who may view a photo', () => {
  let documentId: string;

  beforeAll(async () => {
    documentId = await capture('bilik-4');
  });

  test('a supervisor of its branch may; supervisors of other branches, IT administrators and booths may not', async () => {
    const viewers = {
      supervisor: await signedInCookie(server, { username: 'penyelia-uji', role: 'supervisor', branchIds: [TEST_BRANCH] }),
      otherSupervisor: await signedInCookie(server, { username: 'penyelia-lain', role: 'supervisor', branchIds: [OTHER_BRANCH] }),
      itAdmin: await signedInCookie(server, { username: 'ti-uji', role: 'it_admin', branchIds: [TEST_BRANCH] }),
    };
    expect((await view(documentId, viewers.supervisor.cookie)).status).toBe(200);
    expect((await view(documentId, viewers.otherSupervisor.cookie)).status).toBe(403);
    expect((await view(documentId, viewers.itAdmin.cookie)).status).toBe(403);
    expect((await view(documentId, undefined, desk.credentials['bilik-4'])).status).toBe(403);
    expect((await view(documentId)).status).toBe(401);
  });

  test('another officer, even of the same branch, may not', async () => {
    const colleague = await signedInCookie(server, { username: 'petugas-2', role: 'officer', branchIds: [TEST_BRANCH] });
    const response = await view(documentId, colleague.cookie);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      ok: false,
      error: 'FORBIDDEN',
      message: 'Only the officer who took this photo, or who serves its visit now, may view it',
    });
  });

  test('an unknown document is NOT_FOUND to its would-be viewer, and a malformed id BAD_REQUEST', async () => {
    expect((await view('0d6f4f0e-8c1b-4b2a-9d5e-3c1f8e7a6b54', desk.officer.cookie)).status).toBe(404);
    expect((await view('not-a-uuid', desk.officer.cookie)).status).toBe(400);
  });
});
