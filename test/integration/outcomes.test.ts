/**
 * Recording verification outcomes through the real server: an officer's `outcome:submit` on the
 * /officer socket, the BullMQ job it enqueues, the worker inside the server writing one row and
 * its audit event, what is refused, and what supervisors see when a job cannot succeed.
 */
import { randomUUID } from 'node:crypto';
import { NAMESPACES, type Ack, type OutcomeAccepted, type OutcomeFailureView } from '@bilik/shared';
import type { Queue } from 'bullmq';
import type { Socket } from 'socket.io-client';
import { ENROLMENT_ALPHABET } from '../../server/src/fleet/enrolment.js';
import { millisecondsOf } from '../../server/src/redis/redisClock.js';
import type { Visit } from '../../server/src/scheduler/scheduler.js';
import { withProcessClockOff } from '../support/processClock.js';
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
import { describeEachDatabase, type FreshDatabase } from './databaseTargets.js';
import { approval, FAST_OUTCOME_ENV, outcomeRows, recordedAuditEvents, recordQueue } from '../support/outcomeFixtures.js';

const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;

describeEachDatabase('outcome:submit', (target) => {
  let fresh: FreshDatabase;
  let server: TestServer;
  let desk: SeededDesk;
  let queue: Queue;
  let supervisorCookie: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    fresh = await target.fresh();
    server = await startTestServer({ ...fresh.env, ...FAST_OUTCOME_ENV });
    desk = await seedDesk(server);
    supervisorCookie = (await signedInCookie(server, { username: 'penyelia-hasil', role: 'supervisor', branchIds: [TEST_BRANCH] })).cookie;
    queue = recordQueue(server.redis);
  });

  afterAll(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    await queue?.close();
    await server?.close();
    await fresh?.dispose();
  });

  async function officerConsole(cookie = desk.officer.cookie): Promise<Socket> {
    const socket = openSocket(server.url, NAMESPACES.officer, { cookie });
    sockets.push(socket);
    await connected(socket);
    return socket;
  }

  async function submit(socket: Socket, payload: unknown): Promise<Ack<OutcomeAccepted>> {
    return (await socket.timeout(5000).emitWithAck('outcome:submit', payload)) as Ack<OutcomeAccepted>;
  }

  async function visitOf(boothId: string): Promise<Visit> {
    const visit = await server.scheduler.visitOf(boothId);
    if (visit?.state !== 'assigned') throw new Error(`${boothId} is not assigned`);
    return visit;
  }

  const rowsOf = async (visitId: string) => (await outcomeRows(server.db)).filter((row) => row.visit_id === visitId);
  const jobCount = () => queue.getJobCountByTypes(...JOB_STATES);

  async function failures(): Promise<OutcomeFailureView[]> {
    const response = await fetch(`${server.url}/api/branches/${TEST_BRANCH}/outcome-failures`, { headers: { cookie: supervisorCookie } });
    const answer = (await response.json()) as { ok: true; data: OutcomeFailureView[] };
    expect(response.status).toBe(200);
    return answer.data;
  }

  test("an outcome for a booth at the officer's desk is acknowledged once queued, then recorded once with its audit event", async () => {
    const officer = await officerConsole();
    const visit = await visitOf('bilik-1');
    const submission = approval(visit);

    const ack = await submit(officer, submission);
    if (!ack.ok) throw new Error(`refused: ${ack.error} ${ack.message}`);
    expect(ack.data.jobId).toMatch(/^outcome-[0-9a-f]{40}$/);
    expect(ack.data.trackingCode).toMatch(new RegExp(`^[${ENROLMENT_ALPHABET}]{10}$`));
    // Acknowledged means Redis holds the job; it carries ids, the decision and timings, nothing more.
    const job = await queue.getJob(ack.data.jobId);
    expect(job).toBeDefined();
    expect(Object.keys(job!.data).sort()).toEqual(
      [
        'boothId',
        'branchId',
        'checklist',
        'decision',
        'documentIds',
        'livenessChallenges',
        'missingDocuments',
        'notes',
        'officerId',
        'reason',
        'service',
        'sessionStartedAt',
        'submissionId',
        'submittedAt',
        'trackingCode',
        'visitId',
      ].sort(),
    );

    await waitFor('the outcome is recorded', async () => (await rowsOf(visit.visitId)).length > 0);
    const recorded = await server.db.query<Record<string, unknown>>('select * from outcomes where visit_id = $1', [visit.visitId]);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      submission_id: submission.submissionId,
      tracking_code: ack.data.trackingCode,
      decision: 'approved',
      // From the scheduler's visit, not from the console.
      service: visit.service,
      officer_id: desk.officer.accountId,
      booth_id: 'bilik-1',
      branch_id: TEST_BRANCH,
      checklist: submission.checklist,
      missing_documents: [],
      notes: submission.notes,
      document_ids: [],
      session_started_at: new Date(visit.assignedAt!),
    });
    const audit = (await recordedAuditEvents(server.db)).filter((event) => event.subject === visit.visitId);
    expect(audit).toEqual([
      {
        actor_id: desk.officer.accountId,
        subject: visit.visitId,
        detail: { decision: 'approved', boothId: 'bilik-1', review: 'not_required' },
      },
    ]);
    await waitFor('the job is completed', async () => (await queue.getJob(ack.data.jobId))?.finishedOn !== undefined);
    expect((await queue.getJob(ack.data.jobId))!.returnvalue).toEqual({ status: 'recorded', review: 'not_required' });
  });

  test("another officer's booth, a visit that is not the booth's current one, and invalid payloads are refused and enqueue nothing", async () => {
    const other = await signedInCookie(server, { username: 'petugas-lain', role: 'officer', branchIds: [TEST_BRANCH] });
    const otherOfficer = await officerConsole(other.cookie);
    const officer = await officerConsole();
    const visit = await visitOf('bilik-2');
    const jobsBefore = await jobCount();

    expect(await submit(otherOfficer, approval(visit))).toMatchObject({ ok: false, error: 'FORBIDDEN' });
    expect(await submit(officer, approval({ boothId: 'bilik-2', visitId: randomUUID() }))).toMatchObject({
      ok: false,
      error: 'INVALID_STATE',
    });
    expect(await submit(officer, approval({ boothId: 'no-such-booth', visitId: visit.visitId }))).toMatchObject({
      ok: false,
      error: 'FORBIDDEN',
    });

    const invalid: unknown[] = [
      approval(visit, { decision: 'maybe' as never }),
      approval(visit, { decision: 'incomplete', missingDocuments: [] }),
      approval(visit, { decision: 'rejected', reason: null }),
      approval(visit, { submissionId: 'klik-1' }),
      approval(visit, { notes: 'x'.repeat(2001) }),
      { ...approval(visit), nationalId: '3171234567890001' },
      { ...approval(visit), checklist: { faceMatchesId: 'ya' } },
      null,
    ];
    for (const payload of invalid) expect(await submit(officer, payload)).toMatchObject({ ok: false, error: 'BAD_REQUEST' });

    expect(await jobCount()).toBe(jobsBefore);
    expect(await rowsOf(visit.visitId)).toEqual([]);
  });

  test('the same submission sent twice (a double click) and again later enqueues one job and records one outcome', async () => {
    const officer = await officerConsole();
    const visit = await visitOf('bilik-3');
    const submission = approval(visit);
    const jobsBefore = await jobCount();

    const [first, second] = await Promise.all([submit(officer, submission), submit(officer, submission)]);
    expect(first.ok && second.ok).toBe(true);
    expect(second).toEqual(first);
    expect(await jobCount()).toBe(jobsBefore + 1);
    await waitFor('the outcome is recorded', async () => (await rowsOf(visit.visitId)).length > 0);

    expect(await submit(officer, submission)).toEqual(first);
    expect(await jobCount()).toBe(jobsBefore + 1);
    expect(await rowsOf(visit.visitId)).toHaveLength(1);
    expect((await recordedAuditEvents(server.db)).filter((event) => event.subject === visit.visitId)).toHaveLength(1);
  });

  test('a second, different submission for a visit already decided is refused at once with the reason, enqueues nothing and leaves one record', async () => {
    const officer = await officerConsole();
    const visit = await visitOf('bilik-4');
    const first = approval(visit);
    const firstAck = await submit(officer, first);
    expect(firstAck.ok).toBe(true);
    const jobsAfterFirst = await jobCount();

    // Refused before it is queued, also while the first is still on its way to the database.
    const second = await submit(officer, approval(visit, { decision: 'rejected', reason: 'Nama di buku tabungan berbeda.' }));
    expect(second).toEqual({ ok: false, error: 'ALREADY_DECIDED', message: expect.stringContaining('an outcome was already submitted') });
    expect(await jobCount()).toBe(jobsAfterFirst);
    // The first submission itself may still be sent again (a retry after a lost answer).
    expect(await submit(officer, first)).toEqual(firstAck);

    await waitFor('the first outcome is recorded', async () => (await rowsOf(visit.visitId)).length > 0);
    expect(await rowsOf(visit.visitId)).toEqual([expect.objectContaining({ submission_id: first.submissionId, decision: 'approved' })]);
    expect((await failures()).filter((failure) => failure.visitId === visit.visitId)).toEqual([]);
  });

  test("an outcome refers to its own visit's document photos; naming another visit's photo fails visibly and records nothing", async () => {
    const officer = await officerConsole();
    const [own, other] = [await visitOf('bilik-5'), await visitOf('bilik-6')];
    const photoOf = async (visit: Visit): Promise<string> => {
      const [row] = await server.db.query<{ id: string }>(
        `insert into documents (visit_id, booth_id, officer_id, branch_id, mime, width, height, bytes, data)
         values ($1, $2, $3, $4, 'image/jpeg', 1920, 1080, 3, $5) returning id`,
        [visit.visitId, visit.boothId, desk.officer.accountId, TEST_BRANCH, Buffer.from([0xff, 0xd8, 0xff])],
      );
      return row!.id;
    };
    const ownPhoto = await photoOf(own);
    const otherPhoto = await photoOf(other);

    const foreign = await submit(officer, approval(own, { documentIds: [ownPhoto, otherPhoto] }));
    if (!foreign.ok) throw new Error(`refused: ${foreign.message}`);
    await waitFor('the failure is listed', async () =>
      (await failures()).some((failure) => failure.jobId === foreign.data.jobId && failure.state === 'failed'),
    );
    expect((await failures()).find((failure) => failure.jobId === foreign.data.jobId)!.lastError).toContain(
      'names documents that are not photos of this visit',
    );
    expect(await rowsOf(own.visitId)).toEqual([]);

    const proper = await submit(officer, approval(own, { documentIds: [ownPhoto] }));
    expect(proper.ok).toBe(true);
    await waitFor('the outcome is recorded', async () => (await rowsOf(own.visitId)).length > 0);
    const [recorded] = await server.db.query<{ document_ids: string[] }>('select document_ids from outcomes where visit_id = $1', [
      own.visitId,
    ]);
    expect(recorded!.document_ids).toEqual([ownPhoto]);
  });

  test("an outcome's submission time and its session's start come from one clock (Redis's), even when this server process's clock is off", async () => {
    const officer = await officerConsole();
    const visit = await visitOf('bilik-2');
    const ack = await withProcessClockOff(-36 * 3600_000, () => submit(officer, approval(visit)));
    if (!ack.ok) throw new Error(`refused: ${ack.error} ${ack.message}`);
    await waitFor('the outcome is recorded', async () => (await rowsOf(visit.visitId)).length > 0);
    const [row] = await server.db.query<{ session_started_at: Date; submitted_at: Date }>(
      'select session_started_at, submitted_at from outcomes where visit_id = $1',
      [visit.visitId],
    );
    const redisNow = millisecondsOf(await server.redis.time());
    expect(row!.session_started_at.getTime()).toBe(visit.assignedAt);
    expect(row!.submitted_at.getTime()).toBeGreaterThanOrEqual(visit.assignedAt!);
    expect(row!.submitted_at.getTime()).toBeLessThanOrEqual(redisNow);
  });
});
