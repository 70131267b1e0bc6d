/**
 * The socket.io adapter's subscriber connection against a real Redis. Its subscription carries
 * every acknowledged broadcast between server processes, and socket.io counts the servers by it:
 * a lost subscription makes every acknowledged broadcast (a kiosk's new credential) time out.
 */
import { once } from 'node:events';
import type { Redis } from 'ioredis';
import { AdapterClient } from '../../server/src/redis/socketAdapter.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

let redis: TestRedis;
const clients: Redis[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
});

afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});

afterAll(() => redis.stop());

test('a subscription asked for while the connection is still in its handshake holds', async () => {
  const failures: Error[] = [];
  const adapterClient = new AdapterClient(redis.url, {}, (_channels, error) => failures.push(error));
  const subscriber = adapterClient.duplicate();
  clients.push(adapterClient, subscriber);
  // The moment the adapter's first namespace subscribes on a fresh connection: plain ioredis 5
  // sends this before its ready check, which then fails and loses the subscription.
  await once(subscriber, 'connect');
  await subscriber.subscribe('bilik:test:channel');
  // Settled: without the fix the failed ready check reconnects, and the subscription is gone.
  if (subscriber.status !== 'ready') await once(subscriber, 'ready');

  const [, subscribers] = (await redis.client.pubsub('NUMSUB', 'bilik:test:channel')) as [string, number];
  expect(subscribers).toBe(1);
  const received = once(subscriber, 'message');
  await redis.client.publish('bilik:test:channel', 'hello');
  expect(await received).toEqual(['bilik:test:channel', 'hello']);
  expect(failures).toEqual([]);
});

test('a subscription whose connection ends before it is ready is reported, not left unhandled', async () => {
  const failures: Array<{ channels: string[]; error: Error }> = [];
  const adapterClient = new AdapterClient(redis.url, { lazyConnect: true }, (channels, error) => failures.push({ channels, error }));
  const subscriber = adapterClient.duplicate();
  clients.push(adapterClient, subscriber);
  const pending = subscriber.subscribe('bilik:test:never');
  subscriber.disconnect();
  await expect(pending).rejects.toThrow('ended before it was ready');
  expect(failures).toEqual([{ channels: ['bilik:test:never'], error: expect.any(Error) }]);
});
