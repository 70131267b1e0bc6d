/**
 * Presence leased per server process, against a real Redis: a process's lease and the
 * connections it holds (ProcessLease), the reap of a process whose lease ran out
 * (Scheduler.reapProcess) by two separate OS processes at once, and a clean stop of a real
 * server giving its lease up. The SIGKILL of a whole server is presenceLease.test.ts.
 */
import { NAMESPACES, type WorkView } from '@bilik/shared';
import { ProcessLease } from '../../server/src/scheduler/processLease.js';
import { Scheduler, type SchedulerEvent } from '../../server/src/scheduler/scheduler.js';
import { schedulerKeys as K } from '../../server/src/scheduler/scripts.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { SchedulerProcess } from '../support/schedulerProcesses.js';
import { nextEvent, openSocket } from '../support/sockets.js';
import { seedBranch, startTestServer, waitFor } from '../support/testServer.js';

/** Short, so that a lease runs out within the test; the tests wait for it, never sleep. */
const SHORT_LEASE_MS = 150;
const QUEUE = 'cabang-a';

let redis: TestRedis;
let reapers: SchedulerProcess[];
beforeAll(async () => {
  redis = await startTestRedis();
  reapers = await Promise.all([SchedulerProcess.start(redis.url), SchedulerProcess.start(redis.url)]);
}, 60_000);
afterAll(async () => {
  await Promise.all(reapers.map((reaper) => reaper.stop()));
  await redis.stop();
});
beforeEach(() => redis.client.flushall());

const scheduler = (): Scheduler => new Scheduler(redis.client, { graceMs: 60_000, wrapUpMs: 0, timeZone: 'Asia/Jakarta' });

/** A server process with officer `o-N` on duty and booth `b-N` in session with them, both on its sockets. */
async function processWithDesk(n: number, leaseMs: number): Promise<ProcessLease> {
  const lease = await ProcessLease.acquire(redis.client, leaseMs);
  const officer = { kind: 'officer', id: `o-${n}`, connectionId: `conn-o-${n}` } as const;
  const booth = { kind: 'booth', id: `b-${n}`, connectionId: `conn-b-${n}` } as const;
  await lease.hold(officer);
  await scheduler().officerOnline(officer.id, 6, [QUEUE], officer.connectionId);
  await lease.hold(booth);
  await scheduler().boothStart(booth.id, { queueId: QUEUE, service: 'jht', ticket: null, priority: false }, booth.connectionId);
  return lease;
}

async function leaseRanOut(lease: ProcessLease): Promise<void> {
  await waitFor('the lease to run out', async () => (await redis.client.exists(K.lease(lease.processId))) === 0, 5000, 20);
}

function reaped(result: { events: SchedulerEvent[] } | { error: string }): Extract<SchedulerEvent, { type: 'reaped' }> | undefined {
  if ('error' in result) throw new Error(result.error);
  return result.events.find((event): event is Extract<SchedulerEvent, { type: 'reaped' }> => event.type === 'reaped');
}

test('two processes reaping the same dead server processes at once: each is reaped once, and its officer and booth go away once', async () => {
  const ROUNDS = 20;
  const leases = await Promise.all(Array.from({ length: ROUNDS }, (_, n) => processWithDesk(n, SHORT_LEASE_MS)));
  await Promise.all(leases.map(leaseRanOut));
  // Seen from another live process, every one of them has run out.
  const observer = await ProcessLease.acquire(redis.client, 60_000);
  expect((await observer.expiredProcesses()).sort()).toEqual(leases.map((lease) => lease.processId).sort());

  for (const lease of leases) {
    const results = await Promise.all(reapers.map((reaper) => reaper.call('reapProcess', lease.processId)));
    const reaps = results.map(reaped).filter((event) => event !== undefined);
    expect(reaps).toEqual([{ type: 'reaped', processId: lease.processId, connections: 2 }]);
  }
  const deadlines = await redis.client.zrange(K.deadlines, 0, -1);
  expect(deadlines.sort()).toEqual(
    Array.from({ length: ROUNDS }, (_, n) => [`b:b-${n}`, `o:o-${n}`])
      .flat()
      .sort(),
  );
  for (let n = 0; n < ROUNDS; n += 1) {
    expect(await redis.client.hexists(K.officer(`o-${n}`), 'away')).toBe(1);
    expect(await redis.client.hexists(K.visit(`b-${n}`), 'away')).toBe(1);
  }
  expect(await redis.client.smembers(K.processes)).toEqual([observer.processId]);
  expect(await redis.client.exists(...leases.map((lease) => K.held(lease.processId)))).toBe(0);
});

test('a process that renews its lease is never reaped; one whose lease ran out and was reaped is refused its renewal, and joins again', async () => {
  const live = await processWithDesk(1, 60_000);
  expect(reaped(await reapers[0]!.call('reapProcess', live.processId))).toBeUndefined();
  expect(await live.renew()).toBe(true);
  expect(await redis.client.hexists(K.officer('o-1'), 'away')).toBe(0);

  const stalled = await processWithDesk(2, SHORT_LEASE_MS);
  await leaseRanOut(stalled);
  expect(reaped(await reapers[0]!.call('reapProcess', stalled.processId))).toMatchObject({ connections: 2 });
  expect(await stalled.renew()).toBe(false);
  await stalled.rejoin();
  expect(await stalled.renew()).toBe(true);
  expect(await redis.client.sismember(K.processes, stalled.processId)).toBe(1);
});

test('a connection that a newer one replaced (the console reconnected to another process) is left alone by the reap', async () => {
  const dead = await processWithDesk(1, SHORT_LEASE_MS);
  const survivor = await ProcessLease.acquire(redis.client, 60_000);
  await survivor.hold({ kind: 'officer', id: 'o-1', connectionId: 'conn-o-1-again' });
  await scheduler().officerOnline('o-1', 6, [QUEUE], 'conn-o-1-again');
  await leaseRanOut(dead);

  expect(reaped(await reapers[0]!.call('reapProcess', dead.processId))).toMatchObject({ connections: 2 });
  expect(await redis.client.hexists(K.officer('o-1'), 'away')).toBe(0);
  expect(await redis.client.zrange(K.deadlines, 0, -1)).toEqual(['b:b-1']);
  expect(await scheduler().officerOfBooth('b-1')).toBe('o-1');
});

test('a server stopped cleanly gives its lease up and leaves nothing to reap; its officer goes through the grace period at once', async () => {
  const server = await startTestServer({ REDIS_URL: redis.url });
  const desk = await seedBranch(server, { booths: 1 });
  const officer = openSocket(server.url, NAMESPACES.officer, { cookie: desk.officer.cookie });
  try {
    await nextEvent<WorkView>(officer, 'work:changed');
    const [processId] = await redis.client.smembers(K.processes);
    expect(await redis.client.smembers(K.held(processId!))).toEqual([JSON.stringify(['officer', desk.officer.accountId, officer.id])]);
  } finally {
    await server.close();
    officer.disconnect();
  }
  expect(await redis.client.keys('bilik:presence:*')).toEqual([]);
  expect(await redis.client.hexists(K.officer(desk.officer.accountId), 'away')).toBe(1);
});
