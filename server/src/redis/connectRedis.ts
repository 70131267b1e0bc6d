/**
 * The server's Redis connection, checked at start-up for the settings that keep queued
 * claimants safe: no eviction (refused otherwise) and append-only persistence (warned).
 */
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

/** Redis is configured in a way that could lose live state; start-up stops with this. */
export class RedisPolicyError extends Error {
  override name = 'RedisPolicyError';
}

/** Connects, verifies the eviction policy, and returns a client that keeps reconnecting. */
export async function connectRedis(url: string, parentLogger: Logger): Promise<Redis> {
  const logger = parentLogger.child({ module: 'redis' });
  const redis = new Redis(url, {
    lazyConnect: true,
    // Commands fail fast while Redis is down instead of queueing forever; readiness reports it.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  redis.on('error', (error: Error) => logger.debug({ err: error.message }, 'redis connection error'));
  redis.on('ready', () => logger.info('redis ready'));
  redis.on('close', () => logger.warn('redis connection closed'));
  try {
    await redis.connect();
    await verifyPolicy(redis, logger);
  } catch (error) {
    // Stop the client's reconnection attempts, or it would keep the process alive.
    redis.disconnect();
    throw error;
  }
  return redis;
}

async function verifyPolicy(redis: Redis, logger: Logger): Promise<void> {
  let evictionPolicy: string | undefined;
  let appendOnly: string | undefined;
  try {
    evictionPolicy = ((await redis.config('GET', 'maxmemory-policy')) as string[])[1];
    appendOnly = ((await redis.config('GET', 'appendonly')) as string[])[1];
  } catch (error) {
    throw new RedisPolicyError(
      `Cannot read Redis settings with CONFIG GET (${(error as Error).message}); Bilik needs maxmemory-policy noeviction and must be able to check it.`,
    );
  }
  if (evictionPolicy !== 'noeviction') {
    throw new RedisPolicyError(
      `Redis maxmemory-policy is '${evictionPolicy}', but Bilik needs 'noeviction' so queued claimants are never evicted. Set it with: CONFIG SET maxmemory-policy noeviction (and in redis.conf).`,
    );
  }
  if (appendOnly !== 'yes') logger.warn('redis appendonly is off: a Redis restart would lose the live queue');
}
