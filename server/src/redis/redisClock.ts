/**
 * Redis's clock, which every server process shares: the scheduler's scripts and booth health use
 * it so that processes whose own clocks drift still agree on waits and on who is offline.
 */
import type { Redis } from 'ioredis';

/** A TIME answer (seconds, microseconds) in milliseconds since the epoch. */
export function millisecondsOf([seconds, micros]: ReadonlyArray<string | number>): number {
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

/** Milliseconds since the epoch by Redis's clock. */
export async function redisNow(redis: Redis): Promise<number> {
  return millisecondsOf(await redis.time());
}
