import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { Redis } from 'ioredis';
import { RateLimiter, rateLimit, type RateLimitRule, type RateLimitVerdict } from '../../server/src/http/rateLimiter.js';
import { createLogger } from '../../server/src/logger.js';
import { EmbeddedRedis } from '../../server/src/redis/embeddedRedis.js';
import { freePort } from '../support/testServer.js';

let redisDataDir: string;
let redisServer: EmbeddedRedis;
// Two connections stand for two server processes sharing one Redis.
let redisA: Redis;
let redisB: Redis;

beforeAll(async () => {
  redisDataDir = await mkdtemp(path.join(os.tmpdir(), 'bilik-ratelimit-'));
  redisServer = await EmbeddedRedis.start(
    { serverBin: 'redis-server', port: await freePort(), dataDir: redisDataDir },
    createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
  );
  redisA = new Redis(redisServer.url);
  redisB = new Redis(redisServer.url);
  await Promise.all([redisA.ping(), redisB.ping()]);
});

afterAll(async () => {
  redisA?.disconnect();
  redisB?.disconnect();
  await redisServer?.stop();
  if (redisDataDir) await rm(redisDataDir, { recursive: true, force: true });
});

/** Every key in Redis, read with SCAN. */
async function allKeys(redis: Redis): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'COUNT', 100);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** Serves `app` on a loopback port chosen by the kernel. */
async function listen(app: express.Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

test('allows exactly `limit` hits in a window, then refuses with the time left in the window', async () => {
  const rule: RateLimitRule = { name: 'exact-limit', limit: 3, windowMs: 60_000 };
  const limiter = new RateLimiter(redisA);
  const verdicts: RateLimitVerdict[] = [];
  for (let hit = 0; hit < 4; hit++) verdicts.push(await limiter.hit(rule, '203.0.113.7'));
  expect(verdicts.map(({ allowed, count }) => ({ allowed, count }))).toEqual([
    { allowed: true, count: 1 },
    { allowed: true, count: 2 },
    { allowed: true, count: 3 },
    { allowed: false, count: 4 },
  ]);
  const refused = verdicts[3]!;
  expect(refused.retryAfterMs).toBeGreaterThan(0);
  expect(refused.retryAfterMs).toBeLessThanOrEqual(rule.windowMs);
});

test('two limiters on two connections share one count, as two server processes would', async () => {
  const rule: RateLimitRule = { name: 'shared-count', limit: 2, windowMs: 60_000 };
  const first = new RateLimiter(redisA);
  const second = new RateLimiter(redisB);
  expect(await first.hit(rule, 'amina')).toMatchObject({ allowed: true, count: 1 });
  expect(await second.hit(rule, 'amina')).toMatchObject({ allowed: true, count: 2 });
  expect(await first.hit(rule, 'amina')).toMatchObject({ allowed: false, count: 3 });
  expect(await second.hit(rule, 'amina')).toMatchObject({ allowed: false, count: 4 });
});

test('different subjects and different rules are counted apart', async () => {
  const byUser: RateLimitRule = { name: 'apart-user', limit: 1, windowMs: 60_000 };
  const byIp: RateLimitRule = { name: 'apart-ip', limit: 1, windowMs: 60_000 };
  const limiter = new RateLimiter(redisA);
  expect(await limiter.hit(byUser, 'amina')).toMatchObject({ allowed: true, count: 1 });
  expect(await limiter.hit(byUser, 'amina')).toMatchObject({ allowed: false, count: 2 });
  expect(await limiter.hit(byUser, 'budi')).toMatchObject({ allowed: true, count: 1 });
  expect(await limiter.hit(byIp, 'amina')).toMatchObject({ allowed: true, count: 1 });
});

test('reset forgets the hits of that subject only', async () => {
  const rule: RateLimitRule = { name: 'reset', limit: 1, windowMs: 60_000 };
  const limiter = new RateLimiter(redisA);
  await limiter.hit(rule, 'amina');
  expect(await limiter.hit(rule, 'amina')).toMatchObject({ allowed: false });
  await limiter.hit(rule, 'budi');
  await limiter.reset(rule, 'amina');
  expect(await limiter.hit(rule, 'amina')).toMatchObject({ allowed: true, count: 1 });
  expect(await limiter.hit(rule, 'budi')).toMatchObject({ allowed: false, count: 2 });
});

test('a new window starts once the reported retry time has passed', async () => {
  const rule: RateLimitRule = { name: 'window', limit: 1, windowMs: 300 };
  const limiter = new RateLimiter(redisA);
  await limiter.hit(rule, 'amina');
  const refused = await limiter.hit(rule, 'amina');
  expect(refused.allowed).toBe(false);
  // A few ms more than reported: timers and PTTL both round to whole milliseconds.
  await new Promise((resolve) => setTimeout(resolve, refused.retryAfterMs + 5));
  expect(await limiter.hit(rule, 'amina')).toMatchObject({ allowed: true, count: 1 });
});

test('keys hold a hash of the subject, never the subject itself', async () => {
  const rule: RateLimitRule = { name: 'privacy', limit: 5, windowMs: 60_000 };
  const subjects = ['amina.rahma@example.id', '198.51.100.23'];
  const limiter = new RateLimiter(redisA);
  for (const subject of subjects) await limiter.hit(rule, subject);
  const keys = await allKeys(redisA);
  const ruleKeys = keys.filter((key) => key.startsWith('bilik:ratelimit:privacy:'));
  expect(ruleKeys).toHaveLength(subjects.length);
  for (const key of ruleKeys) expect(key).toMatch(/^bilik:ratelimit:privacy:[0-9a-f]{32}$/);
  for (const subject of subjects) expect(keys.filter((key) => key.includes(subject))).toEqual([]);
});

test('the middleware answers 429 with Retry-After and RATE_LIMITED once the limit is passed', async () => {
  const rule: RateLimitRule = { name: 'middleware', limit: 2, windowMs: 60_000 };
  const app = express();
  app.post(
    '/signin',
    rateLimit(new RateLimiter(redisA), rule, (request) => request.ip ?? 'unknown'),
    (_request, response) => {
      response.json({ ok: true });
    },
  );
  const server = await listen(app);
  try {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 2; attempt++) statuses.push((await fetch(`${server.url}/signin`, { method: 'POST' })).status);
    expect(statuses).toEqual([200, 200]);
    const refused = await fetch(`${server.url}/signin`, { method: 'POST' });
    expect(refused.status).toBe(429);
    const retryAfterSeconds = Number(refused.headers.get('retry-after'));
    expect(retryAfterSeconds).toBeGreaterThan(0);
    expect(retryAfterSeconds).toBeLessThanOrEqual(rule.windowMs / 1000);
    expect(await refused.json()).toEqual({ ok: false, error: 'RATE_LIMITED', message: expect.any(String) });
  } finally {
    await server.close();
  }
});

test('a Redis failure rejects hit, and the middleware passes it to the error handler', async () => {
  const rule: RateLimitRule = { name: 'redis-down', limit: 2, windowMs: 60_000 };
  // Never connected and no offline queue, so every command fails at once, as when Redis is down.
  const unreachable = new Redis({ lazyConnect: true, enableOfflineQueue: false });
  const limiter = new RateLimiter(unreachable);
  const app = express();
  app.post(
    '/signin',
    rateLimit(limiter, rule, () => 'amina'),
    (_request, response) => {
      response.json({ ok: true });
    },
  );
  // Express recognises an error handler by its four parameters.
  app.use((_error: unknown, _request: express.Request, response: express.Response, _next: express.NextFunction) => {
    response.status(503).json({ ok: false, error: 'UNAVAILABLE' });
  });
  const server = await listen(app);
  try {
    await expect(limiter.hit(rule, 'amina')).rejects.toThrow();
    const response = await fetch(`${server.url}/signin`, { method: 'POST' });
    expect(response.status).toBe(503);
  } finally {
    await server.close();
    unreachable.disconnect();
  }
});
