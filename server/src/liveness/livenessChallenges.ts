/**
 * The liveness challenges issued during each visit, in Redis (any server process may issue one, and
 * the one that takes the outcome reads them all). Keyed by visit, kept well beyond a visit's end,
 * so the outcome submitted at the end of the visit, or after it during wrap-up, still finds them.
 * The challenge the booth is showing is kept too, until the officer clears it, so a kiosk that
 * reloads or reconnects meanwhile is shown it again.
 */
import { randomUUID } from 'node:crypto';
import { LIVENESS_DIGIT_COUNT, LIVENESS_GESTURES, type LivenessChallenge, type LivenessTask } from '@bilik/shared';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { InvalidStateError } from '../errors.js';
import type { Logger } from '../logger.js';
import { redisNow } from '../redis/redisClock.js';
import { parseStoredEntry } from '../redis/storedEntry.js';

/** How long a visit's challenges are kept: far longer than a visit and its wrap-up. */
export const LIVENESS_TTL_MS = 24 * 3600_000;

/** More than an officer needs in one visit; the cap keeps a runaway console from growing the record. */
export const MAX_CHALLENGES_PER_VISIT = 20;

const KEY_PREFIX = 'bilik:liveness:';

/** The Redis key of a visit's challenges (a list, oldest first). */
export function livenessKey(visitId: string): string {
  return KEY_PREFIX + visitId;
}

/** The Redis key of the challenge the visit's booth is showing (absent once cleared). */
export function showingKey(visitId: string): string {
  return `${KEY_PREFIX}showing:${visitId}`;
}

/** A challenge as stored in Redis and carried in an outcome's recording job (both trust boundaries). */
export const livenessChallengeSchema = z.strictObject({
  challengeId: z.uuid(),
  issuedAt: z.number().int().positive(),
  task: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('digits'), digits: z.string().regex(new RegExp(`^[0-9]{${LIVENESS_DIGIT_COUNT}}$`)) }),
    z.strictObject({ kind: z.literal('gesture'), gesture: z.enum(LIVENESS_GESTURES) }),
  ]),
}) satisfies z.ZodType<LivenessChallenge>;

export class LivenessChallenges {
  private readonly logger: Logger;

  constructor(
    private readonly redis: Redis,
    logger: Logger,
  ) {
    this.logger = logger.child({ module: 'liveness-challenges' });
  }

  /**
   * Adds `task` to the visit's challenges, as the one its booth shows, and returns it as issued;
   * refused once the visit has MAX_CHALLENGES_PER_VISIT.
   */
  async issue(visitId: string, task: LivenessTask): Promise<LivenessChallenge> {
    const key = livenessKey(visitId);
    if ((await this.redis.llen(key)) >= MAX_CHALLENGES_PER_VISIT) {
      throw new InvalidStateError(`This visit already had ${MAX_CHALLENGES_PER_VISIT} liveness challenges`);
    }
    const challenge: LivenessChallenge = { challengeId: randomUUID(), issuedAt: await redisNow(this.redis), task };
    const stored = JSON.stringify(challenge);
    await this.redis
      .multi()
      .rpush(key, stored)
      .pexpire(key, LIVENESS_TTL_MS)
      .set(showingKey(visitId), stored, 'PX', LIVENESS_TTL_MS)
      .exec();
    return challenge;
  }

  /** The challenge the visit's booth is showing, or null when none is (or its entry is corrupt: logged). */
  async showing(visitId: string): Promise<LivenessChallenge | null> {
    const key = showingKey(visitId);
    const stored = await this.redis.get(key);
    return stored === null ? null : parseStoredEntry(livenessChallengeSchema, stored, { key }, this.logger);
  }

  /** The visit's booth no longer shows a challenge; the challenges stay recorded. */
  async cleared(visitId: string): Promise<void> {
    await this.redis.del(showingKey(visitId));
  }

  /** The visit's challenges, oldest first; entries that do not parse are left out (and logged). */
  async issuedFor(visitId: string): Promise<LivenessChallenge[]> {
    const key = livenessKey(visitId);
    // Two officer clicks at once may pass the length check together: read no more than the cap.
    const stored = await this.redis.lrange(key, 0, MAX_CHALLENGES_PER_VISIT - 1);
    return stored.flatMap((entry, index) => {
      const challenge = parseStoredEntry(livenessChallengeSchema, entry, { key, field: String(index) }, this.logger);
      return challenge === null ? [] : [challenge];
    });
  }
}
