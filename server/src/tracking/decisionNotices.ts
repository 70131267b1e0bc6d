/**
 * What the officer decided for a visit, kept for the moment the session ends so the kiosk can tell
 * the claimant in plain words (and, for incomplete documents, what to bring). The decision itself
 * is claimed once per visit (outcomes/visitDecisions.ts) and recorded by the outcome worker; this
 * is only the claimant's notice, in Redis for a day.
 */
import { DECISIONS, DOCUMENT_KINDS, type VisitDecision } from '@bilik/shared';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { parseStoredEntry } from '../redis/storedEntry.js';

const KEEP_SECONDS = 24 * 60 * 60;
const noticeKey = (visitId: string): string => `bilik:decision-notice:${visitId}`;

const storedSchema = z.strictObject({ decision: z.enum(DECISIONS), missingDocuments: z.array(z.enum(DOCUMENT_KINDS)) });

export class DecisionNotices {
  private readonly logger: Logger;

  constructor(
    private readonly redis: Redis,
    logger: Logger,
  ) {
    this.logger = logger.child({ module: 'decision-notices' });
  }

  /**
   * Keeps the visit's accepted decision. It replaces an earlier one: a visit holds one decision
   * at a time, and a second is accepted only after the first could never be recorded.
   */
  async remember(visitId: string, decision: VisitDecision): Promise<void> {
    const stored: VisitDecision = {
      decision: decision.decision,
      // Only an incomplete claim has documents to bring.
      missingDocuments: decision.decision === 'incomplete' ? decision.missingDocuments : [],
    };
    await this.redis.set(noticeKey(visitId), JSON.stringify(stored), 'EX', KEEP_SECONDS);
  }

  /** Forgets the notice of a decision that could never be recorded, so the claimant is not told it. */
  async forget(visitId: string): Promise<void> {
    await this.redis.del(noticeKey(visitId));
  }

  /** The visit's decision, or null when none was accepted (or it is too old, or its entry is corrupt: logged). */
  async of(visitId: string): Promise<VisitDecision | null> {
    const key = noticeKey(visitId);
    const stored = await this.redis.get(key);
    return stored === null ? null : parseStoredEntry(storedSchema, stored, { key }, this.logger);
  }
}
