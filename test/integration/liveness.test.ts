/**
 * Liveness challenges through the real server: the officer's `liveness:challenge` reaches the
 * booth it names and no other, is refused for a booth not in session at the officer's desk, is
 * shown again to a kiosk that joins its desk again until `liveness:judge` or `liveness:clear`
 * takes it off; the officer's verdict applies only to the challenge showing; an approval is
 * refused after a failed check; and the challenges the server issued, with their verdicts, are
 * what the visit's outcome records, whatever the console sends.
 */
import { LIVENESS_GESTURES, NAMESPACES, type LivenessChallenge, type RecordedLivenessChallenge } from '@bilik/shared';
import { request, SignalingError } from '@bilik/shared/client';
import { livenessKey, verdictsKey } from '../../server/src/liveness/livenessChallenges.js';
import type { Visit } from '../../server/src/scheduler/scheduler.js';
import { approval, FAST_OUTCOME_ENV } from '../support/outcomeFixtures.js';
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

type BoothSocket = NamespaceSockets['/booth'];
type OfficerSocket = NamespaceSockets['/officer'];

let server: TestServer;
let desk: SeededDesk;
let officer: OfficerSocket;
let otherOfficer: OfficerSocket;
let otherOfficerId: string;
const booths = new Map<string, BoothSocket>();
/** Every `liveness:challenged` and `liveness:cleared` each booth received, in order. */
const received = new Map<string, Array<LivenessChallenge | 'cleared'>>();
const sockets: Array<{ disconnect(): unknown }> = [];

beforeAll(async () => {
  server = await startTestServer(FAST_OUTCOME_ENV);
  // Capacity 4: bilik-1 to bilik-4 at petugas-1's desk, bilik-5 and bilik-6 waiting until petugas-2 comes.
  desk = await seedDesk(server, { capacity: 4 });
  officer = openSocket(server.url, NAMESPACES.officer, { cookie: desk.officer.cookie });
  sockets.push(officer);
  await connected(officer);
  // A second officer coming on duty takes the waiting booths: another desk of the same branch.
  const other = await signedInCookie(server, { username: 'petugas-2', role: 'officer', branchIds: [TEST_BRANCH] });
  otherOfficerId = other.account.id;
  otherOfficer = openSocket(server.url, NAMESPACES.officer, { cookie: other.cookie });
  sockets.push(otherOfficer);
  await connected(otherOfficer);
  await waitFor('bilik-5 is at the second desk', async () => (await server.scheduler.officerOfBooth('bilik-5')) === otherOfficerId);
  for (const boothId of ['bilik-1', 'bilik-2', 'bilik-5']) await linkBooth(boothId);
});

/** Opens the booth's desk link (replacing an earlier one), recording what it is shown from now on. */
async function linkBooth(boothId: string): Promise<void> {
  const booth = openSocket(server.url, NAMESPACES.booth, { credential: desk.credentials[boothId] });
  sockets.push(booth);
  const events: Array<LivenessChallenge | 'cleared'> = [];
  received.set(boothId, events);
  booth.on('liveness:challenged', (challenge) => events.push(challenge));
  booth.on('liveness:cleared', () => events.push('cleared'));
  booths.set(boothId, booth);
  await connected(booth);
}

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.close();
});

function boothSocket(boothId: string): BoothSocket {
  return booths.get(boothId)!;
}

async function assignedVisit(boothId: string): Promise<Visit> {
  const visit = await server.scheduler.visitOf(boothId);
  if (visit?.state !== 'assigned') throw new Error(`${boothId} is not assigned`);
  return visit;
}

/** `console` challenges `boothId`; resolves once the booth has shown it, with the officer's answer. */
async function challenge(console: OfficerSocket, boothId: string): Promise<LivenessChallenge> {
  const shown = nextEvent<LivenessChallenge>(boothSocket(boothId), 'liveness:challenged');
  const answered = await request(console, 'liveness:challenge', { boothId });
  expect(await shown).toEqual(answered);
  return answered;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof SignalingError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error.code;
}

/** The challenges the visit's outcome recorded, once the worker has recorded it. */
async function recordedChallenges(visitId: string): Promise<RecordedLivenessChallenge[]> {
  const recorded = () =>
    server.db.query<{ liveness_challenges: RecordedLivenessChallenge[] }>('select liveness_challenges from outcomes where visit_id = $1', [
      visitId,
    ]);
  await waitFor('the outcome is recorded', async () => (await recorded()).length === 1);
  return (await recorded())[0]!.liveness_challenges;
}

const issuedToBilik1: LivenessChallenge[] = [];

describe('liveness challenges', () => {
  test('the booth in session is shown the challenge the officer is answered with; another booth of the desk is shown nothing', async () => {
    const first = await challenge(officer, 'bilik-1');
    issuedToBilik1.push(first);
    expect(first.challengeId).toMatch(/^[0-9a-f-]{36}$/);
    if (first.task.kind === 'digits') expect(first.task.digits).toMatch(/^[0-9]{4}$/);
    else expect(LIVENESS_GESTURES).toContain(first.task.gesture);

    // bilik-2's own challenge comes after bilik-1's on the same server: had bilik-1's reached bilik-2, it would be there first.
    const second = await challenge(officer, 'bilik-2');
    expect(received.get('bilik-2')).toEqual([second]);
    const atOtherDesk = await challenge(otherOfficer, 'bilik-5');
    expect(received.get('bilik-5')).toEqual([atOtherDesk]);
    expect(received.get('bilik-1')).toEqual([first]);
    // Kept with each visit, by the server.
    const stored = await server.redis.lrange(livenessKey((await assignedVisit('bilik-1')).visitId), 0, -1);
    expect(stored.map((entry) => JSON.parse(entry) as unknown)).toEqual([first]);
  });

  test("a booth not in session at the officer's desk is refused: one at another officer's desk, one in no session", async () => {
    const before = { 'bilik-5': received.get('bilik-5')!.length };
    const bilik5Visit = await assignedVisit('bilik-5');
    const storedFor5 = await server.redis.llen(livenessKey(bilik5Visit.visitId));

    expect(await refusal(request(officer, 'liveness:challenge', { boothId: 'bilik-5' }))).toBe('FORBIDDEN');
    expect(await refusal(request(officer, 'liveness:clear', { boothId: 'bilik-5' }))).toBe('FORBIDDEN');
    expect(await refusal(request(officer, 'liveness:challenge', { boothId: 'bilik-99' }))).toBe('FORBIDDEN');
    expect((await sendRaw(officer, 'liveness:challenge', { boothId: 'bilik-1', task: { kind: 'digits', digits: '0000' } })).ok).toBe(false);

    // The refused challenge reached nobody and was not stored: the next one bilik-5 sees is its own officer's.
    const next = await challenge(otherOfficer, 'bilik-5');
    expect(received.get('bilik-5')!.slice(before['bilik-5'])).toEqual([next]);
    expect(await server.redis.llen(livenessKey(bilik5Visit.visitId))).toBe(storedFor5 + 1);
  });

  test('liveness:clear takes the challenge off that booth only; a new challenge shows again', async () => {
    const cleared = nextEvent(boothSocket('bilik-1'), 'liveness:cleared');
    await expect(request(officer, 'liveness:clear', { boothId: 'bilik-1' })).resolves.toBeNull();
    await cleared;
    const again = await challenge(officer, 'bilik-1');
    issuedToBilik1.push(again);
    expect(received.get('bilik-1')).toEqual([issuedToBilik1[0], 'cleared', again]);
    expect(received.get('bilik-2')!.includes('cleared')).toBe(false);
  });

  test('a kiosk joining its desk again while a challenge shows is shown it at once; once cleared, the challenge is not shown again', async () => {
    const showing = received.get('bilik-2')!.at(-1)!;
    // A reload: the kiosk opens its desk link afresh while the first is still open (or not yet timed out).
    const reloaded = openSocket(server.url, NAMESPACES.booth, { credential: desk.credentials['bilik-2'] });
    sockets.push(reloaded);
    const shownAgain = nextEvent<LivenessChallenge>(reloaded, 'liveness:challenged');
    await connected(reloaded);
    expect(await shownAgain).toEqual(showing);

    await request(officer, 'liveness:clear', { boothId: 'bilik-2' });
    const afterClear = openSocket(server.url, NAMESPACES.booth, { credential: desk.credentials['bilik-2'] });
    sockets.push(afterClear);
    const firstShown = nextEvent<LivenessChallenge>(afterClear, 'liveness:challenged');
    await connected(afterClear);
    // The next challenge is the first this link is shown: the cleared one never came back.
    const next = await request(officer, 'liveness:challenge', { boothId: 'bilik-2' });
    expect(await firstShown).toEqual(next);
    reloaded.disconnect();
    afterClear.disconnect();
  });

  test('liveness:judge records the verdict on the challenge showing and takes it off that booth only; a challenge no longer showing is refused', async () => {
    // bilik-2 shows the challenge set at the end of the test before, which closed its links: a new link is shown it.
    await linkBooth('bilik-2');
    await waitFor('bilik-2 is shown its challenge again', () => received.get('bilik-2')!.length === 1);
    const showing = received.get('bilik-2')![0] as LivenessChallenge;
    const shownToBilik1 = received.get('bilik-1')!.length;
    const cleared = nextEvent(boothSocket('bilik-2'), 'liveness:cleared');
    await expect(
      request(officer, 'liveness:judge', { boothId: 'bilik-2', challengeId: showing.challengeId, verdict: 'failed' }),
    ).resolves.toBeNull();
    await cleared;
    const visit = await assignedVisit('bilik-2');
    expect(await server.redis.hgetall(verdictsKey(visit.visitId))).toEqual({ [showing.challengeId]: 'failed' });

    // Judged already, then superseded by a new challenge: a verdict for it is refused and the new one keeps showing.
    const current = await challenge(officer, 'bilik-2');
    const judgedAgain = request(officer, 'liveness:judge', { boothId: 'bilik-2', challengeId: showing.challengeId, verdict: 'passed' });
    expect(await refusal(judgedAgain)).toBe('INVALID_STATE');
    expect(received.get('bilik-2')!.at(-1)).toEqual(current);
    // Sent after the verdict to the same server: had the verdict's clearing reached bilik-1 too, it would be there by now.
    expect(received.get('bilik-1')).toHaveLength(shownToBilik1);
    expect(await server.redis.hgetall(verdictsKey(visit.visitId))).toEqual({ [showing.challengeId]: 'failed' });

    // Another officer's booth, and a verdict that is not one.
    const atOtherDesk = received.get('bilik-5')!.at(-1) as LivenessChallenge;
    const elsewhere = request(officer, 'liveness:judge', { boothId: 'bilik-5', challengeId: atOtherDesk.challengeId, verdict: 'passed' });
    expect(await refusal(elsewhere)).toBe('FORBIDDEN');
    const unknownVerdict = { boothId: 'bilik-2', challengeId: current.challengeId, verdict: 'maybe' };
    expect(await sendRaw(officer, 'liveness:judge', unknownVerdict)).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
    expect(received.get('bilik-5')!.at(-1)).toEqual(atOtherDesk);
  });

  test('an approval is refused while the last check judged failed; another decision is not; a passed check after the failed one lifts the refusal', async () => {
    // bilik-2's last verdict is "failed"; the challenge it shows now is not judged yet.
    const visit = await assignedVisit('bilik-2');
    expect(await refusal(request(officer, 'outcome:submit', approval(visit)))).toBe('INVALID_STATE');
    const current = received.get('bilik-2')!.at(-1) as LivenessChallenge;
    await request(officer, 'liveness:judge', { boothId: 'bilik-2', challengeId: current.challengeId, verdict: 'passed' });
    await request(officer, 'outcome:submit', approval(visit));
    const recorded = await recordedChallenges(visit.visitId);
    expect(recorded.slice(-2).map((challenge) => challenge.verdict)).toEqual(['failed', 'passed']);

    // A failed check does not stop an escalation: bilik-4 fails its only check and is escalated.
    const bilik4 = await assignedVisit('bilik-4');
    const failed = await request(officer, 'liveness:challenge', { boothId: 'bilik-4' });
    await request(officer, 'liveness:judge', { boothId: 'bilik-4', challengeId: failed.challengeId, verdict: 'failed' });
    await request(officer, 'outcome:submit', approval(bilik4, { decision: 'escalated', reason: 'Wajah tidak cocok dengan foto KTP.' }));
    expect(await recordedChallenges(bilik4.visitId)).toEqual<RecordedLivenessChallenge[]>([{ ...failed, verdict: 'failed' }]);
  });

  test('the outcome records the challenges the server issued in the visit, with their verdicts; the console cannot send its own', async () => {
    const visit = await assignedVisit('bilik-1');
    // The first was closed without a verdict; the one showing now is judged.
    const showing = issuedToBilik1.at(-1)!;
    await request(officer, 'liveness:judge', { boothId: 'bilik-1', challengeId: showing.challengeId, verdict: 'passed' });
    const forged = {
      ...approval(visit),
      livenessChallenges: [{ challengeId: crypto.randomUUID(), issuedAt: 1, task: { kind: 'digits', digits: '1234' } }],
    };
    const refused = await sendRaw(officer, 'outcome:submit', forged);
    expect(refused).toMatchObject({ ok: false, error: 'BAD_REQUEST' });

    await request(officer, 'outcome:submit', approval(visit));
    expect(await recordedChallenges(visit.visitId)).toEqual<RecordedLivenessChallenge[]>([
      { ...issuedToBilik1[0]!, verdict: null },
      { ...showing, verdict: 'passed' },
    ]);
  });

  test('a visit without a challenge records none', async () => {
    const visit = await assignedVisit('bilik-3');
    await request(officer, 'outcome:submit', approval(visit));
    expect(await recordedChallenges(visit.visitId)).toEqual([]);
  });
});
