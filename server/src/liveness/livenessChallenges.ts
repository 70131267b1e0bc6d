/**
 * The liveness challenges issued during each visit, in Redis (any server process may issue one, and
 * the one that takes the outcome reads them all). Keyed by visit, kept well beyond a visit's end,
 * so the outcome submitted at the end of the visit, or after it during wrap-up, still finds them.
 * The challenge the booth is showing is kept too, until the officer judges or clears it, so a
 * kiosk that reloads or reconnects meanwhile is shown it again; and the officer's verdicts, by
 * challenge.
 */
import { randomUUID } from 'node:crypto';
import {
  LIVENESS_DIGIT_COUNT,
  LIVENESS_GESTURES,
  LIVENESS_VERDICTS,
  type LivenessChallenge,
  type LivenessTask,
  type LivenessVerdict,
  type RecordedLivenessChallenge,
} from '@bilik/shared';
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

/** The Redis key of the officer's verdicts on the visit's challenges (a hash: challenge id → verdict). */
export function verdictsKey(visitId: string): string {
  return `${KEY_PREFIX}verdicts:${visitId}`;
}

/** A challenge as stored in Redis (a trust boundary). */
export const livenessChallengeSchema = z.strictObject({
  challengeId: z.uuid(),
  issuedAt: z.number().int().positive(),
  task: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('digits'), digits: z.string().regex(new RegExp(`^[0-9]{${LIVENESS_DIGIT_COUNT}}$`)) }),
    z.strictObject({ kind: z.literal('gesture'), gesture: z.enum(LIVENESS_GESTURES) }),
  ]),
}) satisfies z.ZodType<LivenessChallenge>;

/**
 * A challenge with its verdict, as an outcome's recording job carries it and the outcomes table
 * keeps it (trust boundaries). Recorded before verdicts existed, it has none: null.
 */
export const recordedLivenessChallengeSchema = livenessChallengeSchema.extend({
  verdict: z.enum(LIVENESS_VERDICTS).nullable().default(null),
}) satisfies z.ZodType<RecordedLivenessChallenge, unknown>;

/**
 * Records a verdict on the challenge showing, and stops showing it, only if that challenge is the
 * one showing: in one step, so a challenge set meanwhile is neither judged nor taken off.
 * KEYS: showing, verdicts. ARGV: challenge id, verdict, time to keep (ms). Returns 1 if recorded.
 */
const JUDGE_SHOWING = `
local showing = redis.call('GET', KEYS[1])
if not showing then return 0 end
local parsed, challenge = pcall(cjson.decode, showing)
if not parsed or type(challenge) ~= 'table' or challenge.challengeId ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('DEL', KEYS[1])
return 1
`;

type JudgeShowing = (showing: string, verdicts: string, challengeId: string, verdict: LivenessVerdict, keepMs: string) => Promise<number>;

export class LivenessChallenges {
  private readonly logger: Logger;
  private readonly judgeShowing: JudgeShowing;

  constructor(
    private readonly redis: Redis,
    logger: Logger,
  ) {
    this.logger = logger.child({ module: 'liveness-challenges' });
    // defineCommand runs the script by its SHA, sending the source only when Redis lacks it.
    if (!('livenessJudgeShowing' in redis)) redis.defineCommand('livenessJudgeShowing', { numberOfKeys: 2, lua: JUDGE_SHOWING });
    this.judgeShowing = (redis as unknown as { livenessJudgeShowing: JudgeShowing }).livenessJudgeShowing.bind(redis);
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

  /**
   * Records the officer's verdict on challenge `challengeId` and takes it off the booth; refused
   * when that challenge is not the one the booth shows (judged or cleared already, or another set since).
   */
  async judge(visitId: string, challengeId: string, verdict: LivenessVerdict): Promise<void> {
    const recorded = await this.judgeShowing(showingKey(visitId), verdictsKey(visitId), challengeId, verdict, String(LIVENESS_TTL_MS));
    if (recorded !== 1) throw new InvalidStateError('That liveness challenge is no longer showing at the booth');
  }

  /**
   * The visit's challenges with the officer's verdicts, oldest first; entries that do not parse
   * are left out, and verdicts that do not parse read as none (both logged).
   */
  async recordedFor(visitId: string): Promise<RecordedLivenessChallenge[]> {
    const key = livenessKey(visitId);
    // Two officer clicks at once may pass the length check together: read no more than the cap.
    const [stored, verdicts] = await Promise.all([
      this.redis.lrange(key, 0, MAX_CHALLENGES_PER_VISIT - 1),
      this.redis.hgetall(verdictsKey(visitId)),
    ]);
    return stored.flatMap((entry, index) => {
      const challenge = parseStoredEntry(livenessChallengeSchema, entry, { key, field: String(index) }, this.logger);
      if (challenge === null) return [];
      return [{ ...challenge, verdict: this.verdictOf(visitId, challenge.challengeId, verdicts[challenge.challengeId]) }];
    });
  }

  private verdictOf(visitId: string, challengeId: string, stored: string | undefined): LivenessVerdict | null {
    if (stored === undefined) return null;
    const verdict = z.enum(LIVENESS_VERDICTS).safeParse(stored);
    if (verdict.success) return verdict.data;
    this.logger.warn({ key: verdictsKey(visitId), field: challengeId, problem: 'not a verdict' }, 'corrupt Redis entry read as absent');
    return null;
  }
}
