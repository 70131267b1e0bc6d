/**
 * No visit ends without a decision, and a visit has one decision only, through the real server
 * (Redis, PGlite, the outcome worker): `session:end` needs an outcome or a "no outcome" reason; a
 * visit ended with a reason, or whose booth never came back, is recorded as ended without decision
 * and its tracking code resolves to that on /lacak; a second decision is refused at once.
 */
import { randomUUID } from 'node:crypto';
import { type Ack, type JourneyState, type OutcomeAccepted } from '@bilik/shared';
import { request } from '@bilik/shared/client';
import { Redis } from 'ioredis';
import type { Socket } from 'socket.io-client';
import { VisitDecisions } from '../../server/src/outcomes/visitDecisions.js';
import { TrackingCodes } from '../../server/src/tracking/trackingCodes.js';
import { approval, FAST_OUTCOME_ENV, outcomeRows } from '../support/outcomeFixtures.js';
import { deleteKeys } from '../support/redis.js';
import { nextEvent, sendRaw } from '../support/sockets.js';
import { serveBooth, type ServedBooth } from '../support/servedBooth.js';
import { seedBranch, startTestServer, TEST_BRANCH, waitFor, type SeededDesk, type TestServer } from '../support/testServer.js';

let server: TestServer;
let desk: SeededDesk;
let codes: TrackingCodes;
const sockets: Socket[] = [];

beforeAll(async () => {
  // A short grace period, so a booth lost for good is let go within the test.
  server = await startTestServer({ ...FAST_OUTCOME_ENV, GRACE_SECONDS: '1' });
  desk = await seedBranch(server, { capacity: 4, booths: 4 });
  codes = await TrackingCodes.load(server.db);
});

beforeEach(() => deleteKeys(server.redis, 'bilik:ratelimit:tracking-ip:*'));

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await deleteKeys(server.redis, 'bilik:sch:*');
});

afterAll(() => server.close());

const serve = (boothId: string): Promise<ServedBooth> => serveBooth(server, desk, boothId, sockets, 'jkk');

async function undecidedRows(visitId: string): Promise<Array<Record<string, unknown>>> {
  return server.db.query('select * from undecided_visits where visit_id = $1', [visitId]);
}

async function trackingStatus(code: string): Promise<unknown> {
  const response = await fetch(`${server.url}/api/tracking/${code}`);
  return response.json();
}

test('session:end without an outcome or a reason is refused with OUTCOME_REQUIRED, and the session goes on', async () => {
  const { officer, visit } = await serve('bilik-1');
  const answer = await sendRaw(officer, 'session:end', { boothId: 'bilik-1', noOutcomeReason: null });
  expect(answer).toEqual({ ok: false, error: 'OUTCOME_REQUIRED', message: expect.stringContaining('Submit the outcome first') });
  // The old payload, without a reason, and a reason that is not one of ours are bad requests.
  expect(await sendRaw(officer, 'session:end', { boothId: 'bilik-1' })).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
  expect(await sendRaw(officer, 'session:end', { boothId: 'bilik-1', noOutcomeReason: 'bored' })).toMatchObject({
    ok: false,
    error: 'BAD_REQUEST',
  });
  expect(await server.scheduler.visitAtDesk('bilik-1', desk.officer.accountId)).toMatchObject({ visitId: visit.visitId });
  expect(await undecidedRows(visit.visitId)).toEqual([]);
});

test('a visit ended with a "no outcome" reason is recorded as ended without decision, and its tracking code resolves to that', async () => {
  const { officer, journey, visit } = await serve('bilik-2');
  const ended = nextEvent<JourneyState>(journey, 'journey:changed', (state) => state.state === 'ended');
  await request(officer, 'session:end', { boothId: 'bilik-2', noOutcomeReason: 'claimant_left' });
  const code = codes.codeFor(visit.visitId);
  expect(await ended).toMatchObject({ state: 'ended', trackingCode: code });

  expect(await undecidedRows(visit.visitId)).toEqual([
    expect.objectContaining({
      tracking_code: code,
      reason: 'claimant_left',
      officer_id: desk.officer.accountId,
      booth_id: 'bilik-2',
      branch_id: TEST_BRANCH,
      service: 'jkk',
      session_started_at: new Date(visit.assignedAt),
    }),
  ]);
  const audit = await server.db.query<{ actor_id: string; detail: unknown }>(
    "select actor_id, detail from audit_events where action = 'visit.ended_without_decision' and subject = $1",
    [visit.visitId],
  );
  expect(audit).toEqual([{ actor_id: desk.officer.accountId, detail: { reason: 'claimant_left', boothId: 'bilik-2' } }]);
  expect(await trackingStatus(code)).toEqual({ ok: true, data: { status: 'ended_without_decision', since: expect.any(String) } });

  // The public page says so, and what to do next, in plain words.
  const page = await (await fetch(`${server.url}/lacak?kode=${code}`)).text();
  expect(page).toContain('data-status="ended_without_decision"');
  expect(page).toContain('Selesai tanpa keputusan');
  expect(page).toContain('Silakan datang lagi ke bilik atau kantor cabang');
});

/**
 * Runs `interleave` on Redis after server command `command` (already sent) reaches Redis and before
 * Redis runs it: writes are paused until the command waits in Redis, `interleave`'s writes queue
 * behind it, and both run in that order once the pause ends. A real interleaving of two clients
 * of one Redis, as a second server process or a timer firing at that moment would make.
 */
async function afterServerWrite(command: string, interleave: (connection: Redis) => Promise<unknown>): Promise<void> {
  const [control, other] = [server.redis.duplicate(), server.redis.duplicate()];
  const waiting = async (name: string): Promise<boolean> =>
    ((await control.call('CLIENT', 'LIST')) as string)
      .split('\n')
      .some((line) => line.includes(' flags=b ') && line.includes(` cmd=${name} `));
  try {
    await Promise.all([control.connect(), other.connect()]);
    await waitFor(`${command} is sent`, () => waiting(command));
    const interleaved = interleave(other);
    await waitFor('the interleaved write waits behind it', () => waiting('hset'));
    await control.call('CLIENT', 'UNPAUSE');
    await interleaved;
  } finally {
    await control.call('CLIENT', 'UNPAUSE');
    control.disconnect();
    other.disconnect();
  }
}

test('an end refused because the visit moved on meanwhile records nothing and leaves the visit to be decided; its retry records it once', async () => {
  const { officer, visit } = await serve('bilik-1');
  const visitKey = 'bilik:sch:b:bilik-1';
  // Paused for 10 s at most, should the test fail before it ends the pause.
  await server.redis.call('CLIENT', 'PAUSE', '10000', 'WRITE');
  const ending = sendRaw(officer, 'session:end', { boothId: 'bilik-1', noOutcomeReason: 'claimant_left' });
  // The claim of "ended without decision" (SET) reaches Redis; before the session is ended, the
  // visit moves to another officer's desk (as a transfer would), so it can no longer be ended here.
  await afterServerWrite('set', (connection) => connection.hset(visitKey, 'officer', 'another-officer'));
  expect(await ending).toMatchObject({ ok: false, error: 'INVALID_STATE' });

  // Still in session, on no record as ended, and its decision free for whoever serves it now.
  expect(await server.scheduler.visitOf('bilik-1')).toMatchObject({ visitId: visit.visitId, state: 'assigned' });
  expect(await undecidedRows(visit.visitId)).toEqual([]);
  expect(await new VisitDecisions(server.redis).of(visit.visitId)).toBeNull();

  // Back at this officer's desk: the retry ends and records it, and a second retry changes nothing.
  await server.redis.hset(visitKey, 'officer', desk.officer.accountId);
  await request(officer, 'session:end', { boothId: 'bilik-1', noOutcomeReason: 'claimant_left' });
  expect(await sendRaw(officer, 'session:end', { boothId: 'bilik-1', noOutcomeReason: 'claimant_left' })).toMatchObject({
    ok: false,
    error: 'INVALID_STATE',
  });
  expect(await undecidedRows(visit.visitId)).toEqual([expect.objectContaining({ reason: 'claimant_left' })]);
  const audit = await server.db.query("select 1 from audit_events where action = 'visit.ended_without_decision' and subject = $1", [
    visit.visitId,
  ]);
  expect(audit).toHaveLength(1);
  // A later outcome for it is refused, the decision having been taken.
  expect(await sendRaw(officer, 'outcome:submit', approval(visit))).toMatchObject({ ok: false });
  expect(await new VisitDecisions(server.redis).of(visit.visitId)).toEqual({ kind: 'undecided', reason: 'claimant_left' });
});

test('a decided visit ends without a reason; a "no outcome" reason for it is refused with ALREADY_DECIDED, and so is a second outcome', async () => {
  const { officer, journey, visit } = await serve('bilik-3');
  const first = await sendRaw(officer, 'outcome:submit', approval(visit));
  expect(first.ok).toBe(true);

  const second = (await sendRaw(
    officer,
    'outcome:submit',
    approval(visit, { decision: 'escalated', reason: 'Perlu supervisor.' }),
  )) as Ack<OutcomeAccepted>;
  expect(second).toMatchObject({ ok: false, error: 'ALREADY_DECIDED' });
  expect(await sendRaw(officer, 'session:end', { boothId: 'bilik-3', noOutcomeReason: 'wrong_service' })).toMatchObject({
    ok: false,
    error: 'ALREADY_DECIDED',
  });

  const ended = nextEvent<JourneyState>(journey, 'journey:changed', (state) => state.state === 'ended');
  await request(officer, 'session:end', { boothId: 'bilik-3', noOutcomeReason: null });
  await ended;
  await waitFor('the outcome is recorded', async () => (await outcomeRows(server.db)).some((row) => row.visit_id === visit.visitId));
  expect(await undecidedRows(visit.visitId)).toEqual([]);
  expect(await trackingStatus(codes.codeFor(visit.visitId))).toMatchObject({ ok: true, data: { status: 'processing' } });
});

test('a served booth that never comes back is recorded as ended without decision (booth lost); a decided one is not', async () => {
  const lost = await serve('bilik-4');
  lost.journey.disconnect();
  await waitFor('the lost booth is recorded', async () => (await undecidedRows(lost.visit.visitId)).length > 0);
  expect(await undecidedRows(lost.visit.visitId)).toEqual([
    expect.objectContaining({ reason: 'booth_lost', officer_id: desk.officer.accountId, booth_id: 'bilik-4' }),
  ]);
  const audit = await server.db.query<{ actor_kind: string }>(
    "select actor_kind from audit_events where action = 'visit.ended_without_decision' and subject = $1",
    [lost.visit.visitId],
  );
  expect(audit).toEqual([{ actor_kind: 'system' }]);
  expect(await trackingStatus(codes.codeFor(lost.visit.visitId))).toMatchObject({ ok: true, data: { status: 'ended_without_decision' } });

  const decided = await serve('bilik-1');
  expect((await sendRaw(decided.officer, 'outcome:submit', approval(decided.visit))).ok).toBe(true);
  decided.journey.disconnect();
  await waitFor('the decided booth is let go', async () => (await server.scheduler.visitOf('bilik-1')) === null);
  await waitFor('its outcome is recorded', async () =>
    (await outcomeRows(server.db)).some((row) => row.visit_id === decided.visit.visitId),
  );
  expect(await undecidedRows(decided.visit.visitId)).toEqual([]);
});

test('decisions claimed at once over separate Redis connections (as separate server processes would): exactly one wins', async () => {
  const connections = [server.redis.duplicate(), server.redis.duplicate(), server.redis.duplicate()];
  try {
    await Promise.all(connections.map((connection) => connection.connect()));
    const claimants = connections.map((connection: Redis) => new VisitDecisions(connection));
    const visitId = randomUUID();
    const submissions = Array.from({ length: 30 }, () => randomUUID());
    const results = await Promise.all(
      submissions.map((submissionId, index) => claimants[index % claimants.length]!.claim(visitId, { kind: 'outcome', submissionId })),
    );
    const winners = submissions.filter((_, index) => results[index]!.claimed);
    expect(winners).toHaveLength(1);
    expect(await claimants[0]!.of(visitId)).toEqual({ kind: 'outcome', submissionId: winners[0] });
    // "Ended without decision" loses to the outcome too, and the winner's retry still passes.
    expect(await claimants[1]!.claim(visitId, { kind: 'undecided', reason: 'booth_lost' })).toEqual({
      claimed: false,
      existing: { kind: 'outcome', submissionId: winners[0] },
    });
    expect(await claimants[2]!.claim(visitId, { kind: 'outcome', submissionId: winners[0]! })).toEqual({ claimed: true });
  } finally {
    for (const connection of connections) connection.disconnect();
  }
});
