/**
 * Desk leases on a real Redis: one holder at a time, renewal only by the holder, a lease that
 * runs out is free for the next node, and a node's liveness ends with its renewals.
 */
import { DeskLeases } from '../../server/src/cluster/deskLeases.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { waitFor } from '../support/testServer.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(() => redis.stop());
beforeEach(() => redis.client.flushall());

/** Leases that outlast any stall of a loaded machine, for the checks that must not see one run out. */
const LONG_MS = 10_000;
/** A lease the tests wait to see run out. */
const SHORT_MS = 300;

test('the first node to claim a desk holds it; the others are told who does, and the holder keeps it by claiming again', async () => {
  const [a, b] = [new DeskLeases(redis.client, 'node-a', LONG_MS), new DeskLeases(redis.client, 'node-b', LONG_MS)];
  const claims = await Promise.all([a.claim('officer-1'), b.claim('officer-1'), a.claim('officer-1'), b.claim('officer-1')]);
  expect(new Set(claims).size).toBe(1);
  const holder = claims[0];
  expect(await a.holderOf('officer-1')).toBe(holder);
  expect(await b.claim('officer-2')).toBe('node-b');
});

test("only the holder renews a lease; a lease left unrenewed runs out and is the next claimant's, and the old holder learns it lost it", async () => {
  const [a, b] = [new DeskLeases(redis.client, 'node-a', LONG_MS), new DeskLeases(redis.client, 'node-b', LONG_MS)];
  expect(await a.claim('officer-1')).toBe('node-a');
  expect(await b.renew(['officer-1'])).toEqual(['officer-1']);
  expect(await a.renew(['officer-1'])).toEqual([]);
  // Node a's last renewal, a short one: then it stops renewing.
  expect(await new DeskLeases(redis.client, 'node-a', SHORT_MS).claim('officer-1')).toBe('node-a');
  await waitFor('the lease to run out', async () => (await a.holderOf('officer-1')) === null, 5000, 50);
  expect(await b.claim('officer-1')).toBe('node-b');
  expect(await a.renew(['officer-1'])).toEqual(['officer-1']);
});

test('a release frees only a lease the node holds', async () => {
  const [a, b] = [new DeskLeases(redis.client, 'node-a', LONG_MS), new DeskLeases(redis.client, 'node-b', LONG_MS)];
  await a.claim('officer-1');
  await b.release('officer-1');
  expect(await a.holderOf('officer-1')).toBe('node-a');
  await a.release('officer-1');
  expect(await b.claim('officer-1')).toBe('node-b');
});

test('a node is alive while it renews, and not once it stops renewing or ends', async () => {
  const [a, b] = [new DeskLeases(redis.client, 'node-a', LONG_MS), new DeskLeases(redis.client, 'node-b', LONG_MS)];
  expect(await b.isAlive('node-a')).toBe(false);
  await a.renew([]);
  expect(await b.isAlive('node-a')).toBe(true);
  // Node a's last renewal, a short one: then it stops renewing.
  await new DeskLeases(redis.client, 'node-a', SHORT_MS).renew([]);
  await waitFor('node a to be taken for dead', async () => !(await b.isAlive('node-a')), 5000, 50);
  await b.renew([]);
  await b.end();
  expect(await a.isAlive('node-b')).toBe(false);
});
