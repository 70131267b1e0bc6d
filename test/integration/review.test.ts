/**
 * Second-person review (maker-checker): with REVIEW_SHARE=1 every approval, and at any share every
 * escalation, waits for a supervisor of the branch before it goes to the back office; confirming
 * forwards it once, reopening never does, and the officer who decided may not review it. The real
 * server records and forwards to a back office on loopback that accepts every delivery.
 */
import { NAMESPACES, type Ack, type OutcomeAccepted, type OutcomeSubmission, type ReviewResult, type ReviewView } from '@bilik/shared';
import { Queue } from 'bullmq';
import type { Socket } from 'socket.io-client';
import { FORWARD_QUEUE, forwardJobId, QUEUE_PREFIX, RECORD_QUEUE, recordJobId } from '../../server/src/outcomes/outcomeJobs.js';
import { BackOffice } from '../support/backOffice.js';
import { connected, openSocket } from '../support/sockets.js';
import {
  seedDesk,
  signedInCookie,
  startTestServer,
  TEST_BRANCH,
  waitFor,
  type SeededDesk,
  type TestServer,
} from '../support/testServer.js';
import { approval, FAST_OUTCOME_ENV } from '../support/outcomeFixtures.js';

const SECRET = 'rahasia-bersama-kantor-klaim-0123456789';
const OTHER_BRANCH = 'cabang-lain';

/** A server with `reviewShare`, forwarding to its own back office, with an officer on duty and a supervisor of the branch. */
class ReviewWorld {
  private constructor(
    readonly server: TestServer,
    readonly backOffice: BackOffice,
    readonly desk: SeededDesk,
    readonly officer: Socket,
    readonly supervisorCookie: string,
    private readonly record: Queue,
    private readonly forward: Queue,
  ) {}

  static async start(reviewShare: string): Promise<ReviewWorld> {
    const backOffice = await BackOffice.start({ accepting: true });
    const server = await startTestServer({
      ...FAST_OUTCOME_ENV,
      OUTCOME_FORWARD_URL: backOffice.url,
      OUTCOME_FORWARD_SECRET: SECRET,
      REVIEW_SHARE: reviewShare,
    });
    const desk = await seedDesk(server);
    const { cookie } = await signedInCookie(server, { username: 'penyelia-tinjau', role: 'supervisor', branchIds: [TEST_BRANCH] });
    const officer = openSocket(server.url, NAMESPACES.officer, { cookie: desk.officer.cookie });
    await connected(officer);
    const record = new Queue(RECORD_QUEUE, { connection: server.redis, prefix: QUEUE_PREFIX });
    const forward = new Queue(FORWARD_QUEUE, { connection: server.redis, prefix: QUEUE_PREFIX });
    return new ReviewWorld(server, backOffice, desk, officer, cookie, record, forward);
  }

  /** Submits `decision` for the visit at `boothId` and waits until its recording job is done. */
  async decide(boothId: string, overrides: Partial<OutcomeSubmission> = {}): Promise<{ visitId: string; trackingCode: string }> {
    const visit = (await this.server.scheduler.visitOf(boothId))!;
    const submission = approval(visit, overrides);
    const ack = (await this.officer.timeout(5000).emitWithAck('outcome:submit', submission)) as Ack<OutcomeAccepted>;
    if (!ack.ok) throw new Error(`refused: ${ack.message}`);
    const jobId = recordJobId(visit.visitId, submission.submissionId);
    await waitFor('the outcome is recorded', async () => (await this.record.getJob(jobId))?.finishedOn !== undefined);
    return { visitId: visit.visitId, trackingCode: ack.data.trackingCode };
  }

  /** The recording job's answer: the review state the outcome was recorded in. */
  async recordedReview(visitId: string): Promise<string> {
    const [row] = await this.server.db.query<{ review_state: string }>('select review_state from outcomes where visit_id = $1', [visitId]);
    return row!.review_state;
  }

  /** Whether a forwarding job exists for the visit (in any state). */
  async forwardingQueued(visitId: string): Promise<boolean> {
    return (await this.forward.getJob(forwardJobId(visitId))) !== undefined;
  }

  /** Resolves once the visit's forwarding job has been completed. */
  async forwarded(visitId: string): Promise<void> {
    await waitFor(
      'the forwarding job is completed',
      async () => (await this.forward.getJob(forwardJobId(visitId)))?.finishedOn !== undefined,
    );
  }

  async pending(cookie = this.supervisorCookie): Promise<{ status: number; reviews: ReviewView[] }> {
    const response = await fetch(`${this.server.url}/api/branches/${TEST_BRANCH}/reviews`, { headers: { cookie } });
    const answer = (await response.json()) as { ok: boolean; data: ReviewView[] };
    return { status: response.status, reviews: answer.data };
  }

  async answer(
    visitId: string,
    action: 'confirm' | 'reopen',
    body: unknown = undefined,
    cookie = this.supervisorCookie,
  ): Promise<{ status: number; body: { ok: boolean; data?: ReviewResult; error?: string } }> {
    const response = await fetch(`${this.server.url}/api/reviews/${visitId}/${action}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', origin: this.server.url },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { ok: boolean; data?: ReviewResult; error?: string } };
  }

  async claimStatus(trackingCode: string): Promise<string> {
    const response = await fetch(`${this.server.url}/api/tracking/${trackingCode}`);
    return ((await response.json()) as { data: { status: string } }).data.status;
  }

  async auditActions(visitId: string): Promise<Array<{ action: string; actor_id: string }>> {
    return this.server.db.query(
      `select action, actor_id::text as actor_id from audit_events where subject = $1 and action like 'outcome.review_%' order by id`,
      [visitId],
    );
  }

  async close(): Promise<void> {
    this.officer.disconnect();
    await this.record.close();
    await this.forward.close();
    await this.server.close();
    await this.backOffice.close();
  }
}

describe('REVIEW_SHARE=1: every approval waits for review', () => {
  let world: ReviewWorld;

  beforeAll(async () => {
    world = await ReviewWorld.start('1');
  });

  afterAll(async () => {
    await world?.close();
  });

  test('an approval is listed for review and not forwarded; confirmed by a supervisor, it is forwarded exactly once', async () => {
    const { visitId, trackingCode } = await world.decide('bilik-1');
    expect(await world.recordedReview(visitId)).toBe('pending');
    expect(await world.forwardingQueued(visitId)).toBe(false);
    expect(await world.claimStatus(trackingCode)).toBe('in_review');

    const { status, reviews } = await world.pending();
    expect(status).toBe(200);
    expect(reviews.find((review) => review.visitId === visitId)).toEqual({
      visitId,
      decision: 'approved',
      officerId: world.desk.officer.accountId,
      officerName: 'Petugas Uji',
      boothId: 'bilik-1',
      service: 'jht',
      checklist: approval({ boothId: 'bilik-1', visitId }).checklist,
      missingDocuments: [],
      reason: null,
      notes: 'Dokumen lengkap dan terbaca.',
      documentIds: [],
      submittedAt: expect.any(String),
    });

    const confirmed = await world.answer(visitId, 'confirm');
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.data).toMatchObject({ visitId, state: 'confirmed' });
    await world.forwarded(visitId);
    expect(world.backOffice.deliveriesOf(visitId)).toBe(1);
    expect(await world.claimStatus(trackingCode)).toBe('processing');
    expect((await world.pending()).reviews.map((review) => review.visitId)).not.toContain(visitId);

    // A second confirmation answers the first and forwards nothing more.
    const again = await world.answer(visitId, 'confirm');
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(confirmed.body.data);
    await world.forwarded(visitId);
    expect(world.backOffice.deliveriesOf(visitId)).toBe(1);
    // ... and cannot be turned into a reopening.
    expect((await world.answer(visitId, 'reopen', { reason: 'Terlambat.' })).status).toBe(409);
    expect((await world.auditActions(visitId)).map((event) => event.action)).toEqual(['outcome.review_confirmed']);
  });

  test('a reopened outcome is never forwarded, and the claimant is told the branch will contact them', async () => {
    const { visitId, trackingCode } = await world.decide('bilik-2');
    expect((await world.answer(visitId, 'reopen', { reason: '  ' })).status).toBe(400);
    expect((await world.answer(visitId, 'reopen', {})).status).toBe(400);
    const reopened = await world.answer(visitId, 'reopen', { reason: 'Foto KTP tidak jelas, perlu diperiksa ulang.' });
    expect(reopened.status).toBe(200);
    expect(reopened.body.data).toMatchObject({ visitId, state: 'reopened' });
    const [row] = await world.server.db.query<{ review_reason: string }>('select review_reason from outcomes where visit_id = $1', [
      visitId,
    ]);
    expect(row!.review_reason).toBe('Foto KTP tidak jelas, perlu diperiksa ulang.');
    expect((await world.answer(visitId, 'confirm')).status).toBe(409);
    expect(await world.forwardingQueued(visitId)).toBe(false);
    expect(world.backOffice.deliveriesOf(visitId)).toBe(0);
    expect(await world.claimStatus(trackingCode)).toBe('reopened');
    const page = await (await fetch(`${world.server.url}/lacak?kode=${trackingCode}`)).text();
    expect(page).toContain('Petugas kantor cabang akan menghubungi Anda');
    expect((await world.auditActions(visitId)).map((event) => event.action)).toEqual(['outcome.review_reopened']);
  });

  test('the officer who decided may not review it, even as a supervisor; nor may a supervisor of another branch', async () => {
    const { visitId } = await world.decide('bilik-3');
    // The same account, made a supervisor of the branch after deciding.
    const account = (await world.server.accounts.findById(world.desk.officer.accountId))!;
    await world.server.db.query(`update accounts set role = 'supervisor' where id = $1`, [account.id]);
    const { token } = await world.server.sessions.create({ ...account, role: 'supervisor' });
    const makerAsChecker = `bilik_session=${token}`;
    expect((await world.pending(makerAsChecker)).status).toBe(200);
    expect((await world.answer(visitId, 'confirm', undefined, makerAsChecker)).status).toBe(403);
    expect((await world.answer(visitId, 'reopen', { reason: 'Sendiri.' }, makerAsChecker)).status).toBe(403);

    await world.server.accounts.createBranch({ id: OTHER_BRANCH, name: 'Cabang Lain' });
    const other = await signedInCookie(world.server, { username: 'penyelia-lain', role: 'supervisor', branchIds: [OTHER_BRANCH] });
    expect((await world.pending(other.cookie)).status).toBe(403);
    expect((await world.answer(visitId, 'confirm', undefined, other.cookie)).status).toBe(403);

    expect(await world.recordedReview(visitId)).toBe('pending');
    expect(await world.forwardingQueued(visitId)).toBe(false);
    expect(await world.auditActions(visitId)).toEqual([]);
    expect((await world.answer('kunjungan-tak-ada', 'confirm')).status).toBe(404);
  });
});

describe('REVIEW_SHARE=0: approvals go at once, escalations still wait', () => {
  let world: ReviewWorld;

  beforeAll(async () => {
    world = await ReviewWorld.start('0');
  });

  afterAll(async () => {
    await world?.close();
  });

  test('an approval is forwarded without review', async () => {
    const { visitId, trackingCode } = await world.decide('bilik-1');
    expect(await world.recordedReview(visitId)).toBe('not_required');
    await world.forwarded(visitId);
    expect(world.backOffice.deliveriesOf(visitId)).toBe(1);
    expect(await world.claimStatus(trackingCode)).toBe('processing');
    // Nothing to review: neither answer applies.
    expect((await world.answer(visitId, 'confirm')).status).toBe(409);
  });

  test('an escalation waits for review and is forwarded once confirmed', async () => {
    const { visitId, trackingCode } = await world.decide('bilik-2', { decision: 'escalated', reason: 'Nama di buku tabungan berbeda.' });
    expect(await world.recordedReview(visitId)).toBe('pending');
    expect(await world.forwardingQueued(visitId)).toBe(false);
    expect(await world.claimStatus(trackingCode)).toBe('in_review');
    expect((await world.pending()).reviews.map((review) => [review.visitId, review.decision])).toEqual([[visitId, 'escalated']]);
    expect((await world.answer(visitId, 'confirm')).status).toBe(200);
    await world.forwarded(visitId);
    expect(world.backOffice.deliveriesOf(visitId)).toBe(1);
    expect(await world.claimStatus(trackingCode)).toBe('escalated');
  });
});
