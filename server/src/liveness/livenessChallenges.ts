/**
 * The liveness challenges issued during each visit, in Redis (any server process may issue one, and
 * the one that takes the outcome reads them all). Keyed by visit, kept well beyond a visit's end,
 * so the outcome submitted at the end of the visit, or after it during wrap-up, still finds them.
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

  /** Adds `task` to the visit's challenges and returns it as issued; refused once the visit has MAX_CHALLENGES_PER_VISIT. */
  async issue(visitId: string, task: LivenessTask): Promise<LivenessChallenge> {
    const key = livenessKey(visitId);
    if ((await this.redis.llen(key)) >= MAX_CHALLENGES_PER_VISIT) {
      throw new InvalidStateError(`This visit already had ${MAX_CHALLENGES_PER_VISIT} liveness challenges`);
    }
    const challenge: LivenessChallenge = { challengeId: randomUUID(), issuedAt: await redisNow(this.redis), task };
    await this.redis.multi().rpush(key, JSON.stringify(challenge)).pexpire(key, LIVENESS_TTL_MS).exec();
    return challenge;
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
