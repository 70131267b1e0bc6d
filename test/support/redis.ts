/** A private embedded Redis for tests that need Redis without a whole server. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { createLogger } from '../../server/src/logger.js';
import { connectRedis } from '../../server/src/redis/connectRedis.js';
import { EmbeddedRedis } from '../../server/src/redis/embeddedRedis.js';
import { freePort } from './testServer.js';

export interface TestRedis {
  url: string;
  /** A client connected to it, closed by `stop`. */
  client: Redis;
  stop(): Promise<void>;
}

/** Starts redis-server on a free loopback port with a throw-away data directory. */
export async function startTestRedis(): Promise<TestRedis> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bilik-redis-'));
  const logger = createLogger('silent');
  const embedded = await EmbeddedRedis.start({ serverBin: 'redis-server', port: await freePort(), dataDir }, logger);
  const client = await connectRedis(embedded.url, logger);
  return {
    url: embedded.url,
    client,
    stop: async () => {
      client.disconnect();
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Deletes every key matching `pattern` (e.g. 'bilik:sch:*'), so a test starts from a clean slate of that kind. */
export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  await redis.eval("for _, key in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', key) end", 0, pattern);
}
