/**
 * Claim tracking through the real server: the booth's ended state carries the visit's tracking
 * code, and the public endpoint and page resolve a code to its status and date only once an
 * outcome is recorded, say nothing else, and refuse to be enumerated. Outcomes are inserted
 * with SQL here; recording them is the outcome worker's (test/integration/outcomes*.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { formatTrackingCode, NAMESPACES, type Decision, type JourneyState } from '@bilik/shared';
import { request } from '@bilik/shared/client';
import type { Socket } from 'socket.io-client';
import { TRACKING_RATE_RULE } from '../../server/src/http/trackingRoutes.js';
import { VisitDecisions } from '../../server/src/outcomes/visitDecisions.js';
import { TrackingCodes } from '../../server/src/tracking/trackingCodes.js';
import { connected, nextEvent, openSocket, type Namespace, type NamespaceSockets } from '../support/sockets.js';
import { seedBranch, startTestServer, TEST_BRANCH, type SeededDesk, type TestServer } from '../support/testServer.js';
import { deleteKeys } from '../support/redis.js';

const NOT_FOUND_MESSAGE = 'Kode tidak ditemukan. Jika Anda baru saja dilayani, keputusan petugas mungkin belum tercatat; coba lagi nanti.';

let server: TestServer;
let desk: SeededDesk;
let codes: TrackingCodes;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await startTestServer();
  desk = await seedBranch(server, { capacity: 4, booths: 2 });
  // Loaded from the same database, so it derives the codes the server derives.
  codes = await TrackingCodes.load(server.db);
});

beforeEach(async () => {
  // Every test starts with a fresh look-up allowance for this client address.
  await deleteKeys(server.redis, 'bilik:ratelimit:tracking-ip:*');
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await deleteKeys(server.redis, 'bilik:sch:*');
});

afterAll(() => server.close());

function open<N extends Namespace>(namespace: N, options: { credential?: string; cookie?: string }): NamespaceSockets[N] {
  const socket = openSocket(server.url, namespace, options);
  sockets.push(socket);
  return socket;
}

/**
 * Serves booth `boothId` at the officer's console and ends the session after `decide` (given the
 * officer's console and the visit's id): the booth's ended state and the visit's id. By default
 * the visit's outcome is only claimed, as `outcome:submit` would, and the test records it itself.
 */
async function serveAndEnd(
  boothId: string,
  decide: (officer: NamespaceSockets['/officer'], visitId: string) => Promise<unknown> = claimOutcome,
): Promise<{ ended: JourneyState; visitId: string }> {
  const journey = open(NAMESPACES.journey, { credential: desk.credentials[boothId] });
  const idle = nextEvent<JourneyState>(journey, 'journey:changed');
  await connected(journey);
  await idle;
  const officer = open(NAMESPACES.officer, { cookie: desk.officer.cookie });
  const onDuty = nextEvent(officer, 'work:changed');
  await connected(officer);
  await onDuty;
  const assigned = nextEvent<JourneyState>(journey, 'journey:changed', (state) => state.state === 'assigned');
  await request(journey, 'journey:start', { service: 'jht', ticket: null, priority: false });
  await assigned;
  const visit = await server.scheduler.visitOf(boothId);
  if (!visit) throw new Error(`${boothId} has no visit`);
  await decide(officer, visit.visitId);
  const ended = nextEvent<JourneyState>(journey, 'journey:changed', (state) => state.state === 'ended');
  await request(officer, 'session:end', { boothId, noOutcomeReason: null });
  return { ended: await ended, visitId: visit.visitId };
}

/** Claims an outcome for the visit, as `outcome:submit` does before queueing its job. */
function claimOutcome(_officer: unknown, visitId: string): Promise<unknown> {
  return new VisitDecisions(server.redis).claim(visitId, { kind: 'outcome', submissionId: randomUUID() });
}

/** Records an outcome for the visit as the worker would, at `recordedAt`; returns the visit's code. */
async function recordOutcome(visitId: string, decision: Decision, recordedAt: string): Promise<string> {
  const code = codes.codeFor(visitId);
  await server.db.query(
    `insert into outcomes (visit_id, submission_id, tracking_code, decision, service, checklist, reason, notes,
       officer_id, booth_id, branch_id, session_started_at, submitted_at, recorded_at)
     values ($1, $2, $3, $4, 'jht', $5::jsonb, $6, 'Catatan pribadi petugas', $7, 'bilik-1', $8, $9, $9, $9)`,
    [
      visitId,
      randomUUID(),
      code,
      decision,
      JSON.stringify({ faceMatchesId: true, idNumberConfirmed: true, documentsPresent: ['ktp'], bankAccountConfirmed: true }),
      decision === 'rejected' || decision === 'escalated' ? 'Alasan rahasia' : null,
      desk.officer.accountId,
      TEST_BRANCH,
      recordedAt,
    ],
  );
  return code;
}

function track(path: string): Promise<Response> {
  return fetch(`${server.url}${path}`, { redirect: 'manual' });
}

test('an ended session shows the booth its tracking code and the link to this server’s tracking page', async () => {
  const { ended, visitId } = await serveAndEnd('bilik-1');
  const code = codes.codeFor(visitId);
  expect(code).toMatch(/^[34679ACDEFGHJKMNPQRTUVWXY]{10}$/);
  expect(ended).toEqual({ state: 'ended', trackingCode: code, trackingUrl: `/lacak?kode=${code}`, decision: null });
  // The visit is over: a reconnecting booth starts afresh, and nothing of the code stays with it.
  expect(await server.scheduler.journeyOf('bilik-1')).toEqual({ state: 'idle' });
});

test('an ended session tells the booth the decision submitted, with the documents to bring when incomplete, and no reason or notes', async () => {
  const { ended } = await serveAndEnd('bilik-1', (officer, visitId) =>
    request(officer, 'outcome:submit', {
      boothId: 'bilik-1',
      visitId,
      submissionId: randomUUID(),
      decision: 'incomplete',
      checklist: { faceMatchesId: true, idNumberConfirmed: true, documentsPresent: ['ktp', 'kartu_peserta'], bankAccountConfirmed: true },
      missingDocuments: ['paklaring', 'buku_tabungan'],
      reason: null,
      notes: 'Catatan pribadi petugas',
      documentIds: [],
    }),
  );
  expect(ended).toMatchObject({ state: 'ended', decision: { decision: 'incomplete', missingDocuments: ['paklaring', 'buku_tabungan'] } });
  expect(JSON.stringify(ended)).not.toContain('Catatan');
});

test('a recorded outcome gives its code a status and the day it was recorded, and nothing else', async () => {
  const { ended, visitId } = await serveAndEnd('bilik-2');
  if (ended.state !== 'ended' || ended.trackingCode === null) throw new Error('no tracking code');
  // Not recorded yet: the same answer as for a code nobody was given.
  const early = await track(`/api/tracking/${ended.trackingCode}`);
  expect(early.status).toBe(404);
  expect(await early.json()).toEqual({ ok: false, error: 'NOT_FOUND', message: NOT_FOUND_MESSAGE });

  // 20:30 UTC is already the next day in Jakarta, the branches' time zone.
  const code = await recordOutcome(visitId, 'approved', '2025-03-11T20:30:00Z');
  expect(code).toBe(ended.trackingCode);
  // As people type it: lower case, with the dash.
  const response = await track(`/api/tracking/${formatTrackingCode(code).toLowerCase()}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(await response.json()).toEqual({ ok: true, data: { status: 'processing', since: '2025-03-12' } });
});

test('each decision shows as its claim status', async () => {
  const expected = { incomplete: 'documents_incomplete', rejected: 'rejected', escalated: 'escalated' } as const;
  for (const [decision, status] of Object.entries(expected)) {
    const code = await recordOutcome(`visit-${decision}-${randomUUID()}`, decision as Decision, '2025-06-01T03:00:00Z');
    const response = await track(`/api/tracking/${code}`);
    expect(await response.json()).toEqual({ ok: true, data: { status, since: '2025-06-01' } });
  }
});

test('an unknown code is not found with the one message, and a malformed one is refused', async () => {
  const unknown = await track(`/api/tracking/${codes.codeFor(`never-served-${randomUUID()}`)}`);
  expect(unknown.status).toBe(404);
  expect(await unknown.json()).toEqual({ ok: false, error: 'NOT_FOUND', message: NOT_FOUND_MESSAGE });

  // Too short, letters outside the alphabet (I, O, 0, 1 look alike), far too long.
  for (const typed of ['ABC', 'IIIII-OOOOO', 'A'.repeat(40)]) {
    const malformed = await track(`/api/tracking/${typed}`);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
  }
});

test('the public page shows the status and its date for ?kode=, the one message for an unknown code, and no personal data', async () => {
  const code = await recordOutcome(`visit-page-${randomUUID()}`, 'incomplete', '2025-03-12T02:00:00Z');
  const page = await track(`/lacak?kode=${formatTrackingCode(code)}`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  const html = await page.text();
  expect(html).toContain('data-status="documents_incomplete"');
  expect(html).toContain('Dokumen belum lengkap');
  expect(html).toContain('datetime="2025-03-12"');
  expect(html).toContain('12 Maret 2025');
  expect(html).toContain(`value="${formatTrackingCode(code)}"`);
  for (const secret of ['Catatan pribadi petugas', 'bilik-1', TEST_BRANCH, desk.officer.accountId, '<script'])
    expect(html).not.toContain(secret);

  const form = await track('/lacak');
  expect(form.status).toBe(200);
  expect(await form.text()).toContain('name="kode"');

  const unknown = await track(`/lacak?kode=${codes.codeFor(`never-served-${randomUUID()}`)}`);
  expect(unknown.status).toBe(404);
  expect(await unknown.text()).toContain(NOT_FOUND_MESSAGE);

  const malformed = await track(`/lacak?kode=${encodeURIComponent('<b>nope</b>')}`);
  expect(malformed.status).toBe(400);
  const malformedHtml = await malformed.text();
  expect(malformedHtml).toContain('data-kind="malformed"');
  expect(malformedHtml).not.toContain('<b>nope');

  const stylesheet = await track('/lacak/lacak.css');
  expect(stylesheet.status).toBe(200);
  expect(stylesheet.headers.get('content-type')).toMatch(/^text\/css/);
});

test('look-ups are limited per client address, page and endpoint together, with Retry-After', async () => {
  const unknown = codes.codeFor(`never-served-${randomUUID()}`);
  for (let hit = 1; hit < TRACKING_RATE_RULE.limit; hit += 1) expect((await track(`/api/tracking/${unknown}`)).status).toBe(404);
  expect((await track(`/lacak?kode=${unknown}`)).status).toBe(404);

  const limited = await track(`/api/tracking/${unknown}`);
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await limited.json()).toMatchObject({ ok: false, error: 'RATE_LIMITED' });

  const limitedPage = await track(`/lacak?kode=${unknown}`);
  expect(limitedPage.status).toBe(429);
  expect(Number(limitedPage.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await limitedPage.text()).toContain('data-kind="rate-limited"');
});
