/**
 * What the officer decided for a visit, kept for the moment the session ends so the kiosk can tell
 * the claimant in plain words (and, for incomplete documents, what to bring). The decision itself
 * is recorded by the outcome worker; this is only the claimant's notice, in Redis for a day, and
 * the first submission's, as the record keeps the first.
 */
import { DECISIONS, DOCUMENT_KINDS, type VisitDecision } from '@bilik/shared';
import type { Redis } from 'ioredis';
import { z } from 'zod';

const KEEP_SECONDS = 24 * 60 * 60;
const decisionKey = (visitId: string): string => `bilik:decision:${visitId}`;

const storedSchema = z.strictObject({ decision: z.enum(DECISIONS), missingDocuments: z.array(z.enum(DOCUMENT_KINDS)) });

export class VisitDecisions {
  constructor(private readonly redis: Redis) {}

  /** Keeps the visit's decision, unless one is kept already. */
  async remember(visitId: string, decision: VisitDecision): Promise<void> {
    const stored: VisitDecision = {
      decision: decision.decision,
      // Only an incomplete claim has documents to bring.
      missingDocuments: decision.decision === 'incomplete' ? decision.missingDocuments : [],
    };
    await this.redis.set(decisionKey(visitId), JSON.stringify(stored), 'EX', KEEP_SECONDS, 'NX');
  }

  /** The visit's decision, or null when none was submitted (or it is too old). */
  async of(visitId: string): Promise<VisitDecision | null> {
    const stored = await this.redis.get(decisionKey(visitId));
    if (stored === null) return null;
    const parsed = storedSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : null;
  }
}
