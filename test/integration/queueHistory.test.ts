/**
 * The supervisors' trend over days: each queue's figures per day are copied from Redis (which keeps
 * a day's raw statistics for three days) into the database, where they outlive Redis's copy, and
 * GET /api/branches/:branchId/queue-days serves them to the branch's supervisors only. Real
 * scheduler, Redis and PGlite, through the real HTTP route.
 */
import type { BranchQueueDays } from '@bilik/shared';
import { createLogger } from '../../server/src/logger.js';
import { QueueHistory } from '../../server/src/scheduler/queueHistory.js';
import { schedulerKeys } from '../../server/src/scheduler/scripts.js';
import { useSuiteResources } from '../support/suiteResources.js';
import { seedBranch, signedInCookie, TEST_BRANCH, type SeededDesk, type TestServer } from '../support/testServer.js';

const resources = useSuiteResources();
let server: TestServer;
let desk: SeededDesk;
let history: QueueHistory;
let supervisorCookie: string;

beforeAll(async () => {
  server = await resources.server();
  desk = await seedBranch(server, { booths: 2 });
  history = new QueueHistory(server.db, server.scheduler, createLogger('silent'));
  ({ cookie: supervisorCookie } = await signedInCookie(server, {
    username: 'penyelia-tren',
    role: 'supervisor',
    branchIds: [TEST_BRANCH],
  }));
});

async function queueDays(cookie: string, query = ''): Promise<{ status: number; body: { ok: boolean; data?: BranchQueueDays } }> {
  const response = await fetch(`${server.url}/api/branches/${TEST_BRANCH}/queue-days${query}`, { headers: { cookie } });
  return { status: response.status, body: (await response.json()) as { ok: boolean; data?: BranchQueueDays } };
}

test("a day's waits and sessions are copied to the database, and outlive Redis's three days", async () => {
  // Today, for real: a claimant waits, is assigned to the officer on duty, and is served.
  await server.scheduler.officerOnline(desk.officer.accountId, 2, [TEST_BRANCH], 'trend-console');
  await server.scheduler.boothStart('bilik-1', { queueId: TEST_BRANCH, service: 'jht', ticket: null, priority: false }, 'trend-kiosk');
  await server.scheduler.endSession(desk.officer.accountId, 'bilik-1');
  // Two days ago, as the scheduler's scripts wrote it then: three waits and two sessions.
  const [twoDaysAgo, , today] = await server.scheduler.keptDays();
  await server.redis.rpush(schedulerKeys.statistics('sw', TEST_BRANCH, twoDaysAgo!), 60_000, 180_000, 600_000);
  await server.redis.rpush(schedulerKeys.statistics('ss', TEST_BRANCH, twoDaysAgo!), 420_000, 300_000);

  await history.copyKeptDays();
  const { status, body } = await queueDays(supervisorCookie);
  expect(status).toBe(200);
  expect(body.data!.days.map((day) => day.day)).toEqual([twoDaysAgo, today]);
  expect(body.data!.days[0]).toEqual({
    day: twoDaysAgo,
    waits: { count: 3, medianMs: 180_000, p90Ms: 600_000, maxMs: 600_000 },
    sessions: { count: 2, medianMs: 300_000, p90Ms: 420_000, maxMs: 420_000 },
  });
  expect(body.data!.days[1]).toMatchObject({ waits: { count: 1 }, sessions: { count: 1 } });

  // Redis lets the old day go (its statistics expire); the database keeps it, and a later copy does not erase it.
  await server.redis.del(
    schedulerKeys.statistics('sw', TEST_BRANCH, twoDaysAgo!),
    schedulerKeys.statistics('ss', TEST_BRANCH, twoDaysAgo!),
  );
  await history.copyKeptDays();
  expect((await queueDays(supervisorCookie)).body.data!.days.map((day) => day.day)).toEqual([twoDaysAgo, today]);
  // The newest days first when fewer are asked for.
  expect((await queueDays(supervisorCookie, '?days=1')).body.data!.days.map((day) => day.day)).toEqual([today]);
});

test('a bad number of days is refused with 400', async () => {
  for (const query of ['?days=0', '?days=91', '?days=dua', '?days=1&extra=1']) {
    const { status, body } = await queueDays(supervisorCookie, query);
    expect({ query, status, ok: body.ok }).toEqual({ query, status: 400, ok: false });
  }
});

test("the trend is for the branch's supervisors: another branch's supervisor and the officer are refused", async () => {
  await server.accounts.createBranch({ id: 'cabang-lain', name: 'Cabang Lain' });
  const { cookie: elsewhere } = await signedInCookie(server, { username: 'penyelia-lain', role: 'supervisor', branchIds: ['cabang-lain'] });
  expect((await queueDays(elsewhere)).status).toBe(403);
  const { cookie: officer } = await signedInCookie(server, { username: 'petugas-tren', role: 'officer', branchIds: [TEST_BRANCH] });
  expect((await queueDays(officer)).status).toBe(403);
});
