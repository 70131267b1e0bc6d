/**
 * Forwarding recorded outcomes to the claims back office: a local HTTP receiver on 127.0.0.1 that
 * refuses until the test lets it accept, the real server recording and forwarding, and the
 * supervisors' list of failures while the back office refuses.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { NAMESPACES, type Ack, type LivenessChallenge, type OutcomeAccepted, type OutcomeFailureView } from '@bilik/shared';
import { Queue } from 'bullmq';
import type { Socket } from 'socket.io-client';
import { FORWARD_QUEUE, forwardJobId, QUEUE_PREFIX } from '../../server/src/outcomes/outcomeJobs.js';
import { BackOffice, type Delivery } from '../support/backOffice.js';
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
const METRICS_TOKEN = 'token-pengumpul-metrik-0123456789abcdef';

/** Whether `delivery` carries a valid signature under SECRET, computed here independently of the server's code. */
function signatureVerifies(delivery: Delivery): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(`${delivery.timestamp}.${delivery.body}`).digest('hex')}`);
  const given = Buffer.from(delivery.signature ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('with the back office refusing, then accepting', () => {
  let backOffice: BackOffice;
  let server: TestServer;
  let desk: SeededDesk;
  let supervisorCookie: string;
  let officer: Socket;

  beforeAll(async () => {
    backOffice = await BackOffice.start();
    server = await startTestServer({
      ...FAST_OUTCOME_ENV,
      OUTCOME_FORWARD_URL: backOffice.url,
      OUTCOME_FORWARD_SECRET: SECRET,
      METRICS_TOKEN,
    });
    desk = await seedDesk(server);
    supervisorCookie = (await signedInCookie(server, { username: 'penyelia-kirim', role: 'supervisor', branchIds: [TEST_BRANCH] })).cookie;
    officer = openSocket(server.url, NAMESPACES.officer, { cookie: desk.officer.cookie });
    await connected(officer);
  });

  afterAll(async () => {
    officer?.disconnect();
    await server?.close();
    await backOffice?.close();
  });

  async function failuresOf(visitId: string): Promise<OutcomeFailureView[]> {
    const response = await fetch(`${server.url}/api/branches/${TEST_BRANCH}/outcome-failures`, { headers: { cookie: supervisorCookie } });
    const answer = (await response.json()) as { ok: true; data: OutcomeFailureView[] };
    return answer.data.filter((failure) => failure.visitId === visitId);
  }

  /** The forwarding figures of a scrape of /metrics: failed attempts, and forwarding jobs in any state. */
  async function forwardingMetrics(): Promise<{ failures: number; jobs: number }> {
    const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const text = await response.text();
    const values = (pattern: RegExp) => [...text.matchAll(pattern)].reduce((sum, [, value]) => sum + Number(value), 0);
    return {
      failures: values(/^bilik_outcome_forward_failures_total (\S+)$/gm),
      jobs: values(/^bilik_outcome_jobs\{queue="forward",state="\w+"\} (\S+)$/gm),
    };
  }

  test('a recorded outcome is posted signed, with the liveness challenges of its visit and their verdicts, retried while the back office refuses (listed for supervisors meanwhile) and stops once it accepts', async () => {
    const visit = (await server.scheduler.visitOf('bilik-1'))!;
    // Two challenges set during the visit, as the server issued them.
    const challenges: LivenessChallenge[] = [];
    for (let count = 0; count < 2; count += 1) {
      const challenged = (await officer.timeout(5000).emitWithAck('liveness:challenge', { boothId: 'bilik-1' })) as Ack<LivenessChallenge>;
      if (!challenged.ok) throw new Error(`challenge refused: ${challenged.message}`);
      challenges.push(challenged.data);
    }
    // The first was set over without a verdict; the officer judges the second.
    const judged = (await officer
      .timeout(5000)
      .emitWithAck('liveness:judge', { boothId: 'bilik-1', challengeId: challenges[1]!.challengeId, verdict: 'failed' })) as Ack<null>;
    if (!judged.ok) throw new Error(`verdict refused: ${judged.message}`);
    const submission = approval(visit, {
      decision: 'rejected',
      reason: 'Surat keterangan kerja tidak sah.',
      notes: 'Peserta akan kembali minggu depan.',
    });
    const ack = (await officer.timeout(5000).emitWithAck('outcome:submit', submission)) as Ack<OutcomeAccepted>;
    if (!ack.ok) throw new Error(`refused: ${ack.message}`);

    let listed: OutcomeFailureView | undefined;
    await waitFor('the refused forwarding is listed for supervisors', async () => {
      [listed] = await failuresOf(visit.visitId);
      return listed !== undefined;
    });
    expect(listed).toMatchObject({
      kind: 'forward',
      state: 'retrying',
      jobId: forwardJobId(visit.visitId),
      boothId: 'bilik-1',
      officerId: desk.officer.accountId,
      decision: 'rejected',
      lastError: 'the back office answered HTTP 503',
    });
    expect(listed!.attempts).toBeGreaterThanOrEqual(1);
    const refused = backOffice.deliveries.length;
    expect(refused).toBeGreaterThanOrEqual(1);
    const whileRefused = await forwardingMetrics();
    expect(whileRefused.failures).toBeGreaterThanOrEqual(1);
    expect(whileRefused.jobs).toBe(1);

    backOffice.accepting = true;
    await waitFor('the back office accepts a delivery', () => backOffice.deliveries.some((delivery) => delivery.status === 204));
    const forwardQueue = new Queue(FORWARD_QUEUE, { connection: server.redis, prefix: QUEUE_PREFIX });
    try {
      await waitFor(
        'the forwarding job is completed',
        async () => (await forwardQueue.getJob(forwardJobId(visit.visitId)))?.finishedOn !== undefined,
      );
    } finally {
      await forwardQueue.close();
    }
    expect(await failuresOf(visit.visitId)).toEqual([]);

    // Every attempt was signed; after the accepted one, nothing more was sent.
    const deliveries = backOffice.deliveries;
    expect(deliveries.every(signatureVerifies)).toBe(true);
    expect(deliveries.map((delivery) => delivery.status)).toEqual([...Array<number>(deliveries.length - 1).fill(503), 204]);
    // Each refused attempt was counted, and the completed job left the counted states.
    expect(await forwardingMetrics()).toEqual({ failures: deliveries.length - 1, jobs: 0 });
    const accepted = deliveries.at(-1)!;
    expect(accepted.contentType).toBe('application/json');
    expect(Math.abs(Number(accepted.timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const body = JSON.parse(accepted.body) as Record<string, unknown>;
    expect(body).toEqual({
      visitId: visit.visitId,
      trackingCode: ack.data.trackingCode,
      decision: 'rejected',
      claimStatus: 'rejected',
      service: visit.service,
      checklist: submission.checklist,
      missingDocuments: [],
      reason: submission.reason,
      officerId: desk.officer.accountId,
      boothId: 'bilik-1',
      branchId: TEST_BRANCH,
      documentIds: [],
      livenessChallenges: challenges.map((challenge, index) => ({
        challengeId: challenge.challengeId,
        issuedAt: new Date(challenge.issuedAt).toISOString(),
        task: challenge.task,
        verdict: index === 0 ? null : 'failed',
      })),
      sessionStartedAt: new Date(visit.assignedAt!).toISOString(),
      submittedAt: expect.any(String),
      recordedAt: expect.any(String),
    });
    // The officer's working notes stay in Bilik's record.
    expect(accepted.body).not.toContain(submission.notes!);
  });
});

test('a forged signature does not verify: the check above can fail', () => {
  const genuine: Delivery = {
    timestamp: '1700000000',
    signature: undefined,
    contentType: 'application/json',
    body: '{"visitId":"a"}',
    status: 204,
  };
  genuine.signature = `sha256=${createHmac('sha256', SECRET).update(`${genuine.timestamp}.${genuine.body}`).digest('hex')}`;
  expect(signatureVerifies(genuine)).toBe(true);
  expect(signatureVerifies({ ...genuine, body: '{"visitId":"b"}' })).toBe(false);
  expect(signatureVerifies({ ...genuine, timestamp: '1700000001' })).toBe(false);
});
