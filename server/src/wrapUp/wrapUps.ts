/**
 * Filing each ended visit under a wrap-up code. When an officer ends a session, the visit waits in
 * Redis among the officer's unfiled visits (so any server process can file it); the officer files
 * it with `wrapup:file`, or, when the officer's wrap-up timer runs out, the branch's default code is
 * filed for every visit still unfiled. The database's key on the visit makes each visit filed
 * once, whichever comes first.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { AlreadyDecidedError, InvalidStateError, NotFoundError } from '../errors.js';
import type { Logger } from '../logger.js';
import { parseStoredEntry } from '../redis/storedEntry.js';
import type { SchedulerEvent } from '../scheduler/scheduler.js';
import type { WrapUpCodes } from './wrapUpCodes.js';

/** An ended visit waiting for its wrap-up code, as kept in Redis (read back through this schema). */
const unfiledVisitSchema = z.strictObject({ visitId: z.string().min(1), boothId: z.string().min(1), branchId: z.string().min(1) });
export type UnfiledVisit = z.infer<typeof unfiledVisitSchema>;

const KEY_PREFIX = 'bilik:wrapup:';
/** Unfiled visits of an officer are kept this long after the last one ended (wrap-up may be off, so no timer files them). */
const UNFILED_TTL_SECONDS = 12 * 3600;

export class WrapUps {
  private readonly logger: Logger;

  constructor(
    private readonly redis: Redis,
    private readonly db: Database,
    private readonly codes: WrapUpCodes,
    logger: Logger,
  ) {
    this.logger = logger.child({ module: 'wrap-ups' });
  }

  /** The officer ended `visit`: it waits for its code. */
  async ended(officerId: string, visit: UnfiledVisit): Promise<void> {
    const key = KEY_PREFIX + officerId;
    await this.redis.multi().hset(key, visit.visitId, JSON.stringify(visit)).expire(key, UNFILED_TTL_SECONDS).exec();
  }

  /** Files one of the officer's unfiled visits under a live code of the visit's branch. */
  async file(officerId: string, visitId: string, codeId: string): Promise<void> {
    const visit = await this.unfiled(officerId, visitId);
    if (visit === null) throw new InvalidStateError('That is not a visit of yours waiting for its wrap-up code');
    const code = await this.codes.find(codeId);
    if (code === null || code.branchId !== visit.branchId) throw new NotFoundError("No such wrap-up code in the visit's branch");
    // Not INVALID_STATE, which tells the console the visit needs no code any more: this one does.
    if (code.retired) throw new NotFoundError('That wrap-up code was retired; choose another');
    if (!(await this.insert(officerId, visit, code.id, 'officer'))) {
      throw new AlreadyDecidedError('This visit is filed already (the wrap-up timer filed the default code)');
    }
    await this.redis.hdel(KEY_PREFIX + officerId, visitId);
  }

  /**
   * Files the branch's default code for the visits of officers whose wrap-up timer ran out in
   * `events`. A branch without a default leaves its visits for the officer. Never throws.
   */
  async fileDefaults(events: readonly SchedulerEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type !== 'wrapUpEnded') continue;
      try {
        await this.fileDefaultsOf(event.officerId);
      } catch (error) {
        this.logger.error({ officerId: event.officerId, err: (error as Error).message }, 'could not file default wrap-up codes');
      }
    }
  }

  private async fileDefaultsOf(officerId: string): Promise<void> {
    const key = KEY_PREFIX + officerId;
    for (const [visitId, stored] of Object.entries(await this.redis.hgetall(key))) {
      // A corrupt entry is left for its key's expiry: it names no visit the timer could file.
      const visit = parseStoredEntry(unfiledVisitSchema, stored, { key, field: visitId }, this.logger);
      if (visit === null) continue;
      const code = await this.codes.defaultOf(visit.branchId);
      if (code === null) continue;
      await this.insert(officerId, visit, code.id, 'timer');
      await this.redis.hdel(key, visitId);
      this.logger.info({ officerId, visitId }, 'default wrap-up code filed');
    }
  }

  /** The officer's unfiled visit, or null when there is none (or its entry is corrupt: logged). */
  private async unfiled(officerId: string, visitId: string): Promise<UnfiledVisit | null> {
    const key = KEY_PREFIX + officerId;
    const stored = await this.redis.hget(key, visitId);
    return stored === null ? null : parseStoredEntry(unfiledVisitSchema, stored, { key, field: visitId }, this.logger);
  }

  /** Files the visit unless it is filed already; true when this call filed it. */
  private async insert(officerId: string, visit: UnfiledVisit, codeId: string, appliedBy: 'officer' | 'timer'): Promise<boolean> {
    const rows = await this.db.query(
      `insert into visit_wrap_ups (visit_id, code_id, officer_id, branch_id, applied_by) values ($1, $2::uuid, $3, $4, $5)
       on conflict (visit_id) do nothing returning visit_id`,
      [visit.visitId, codeId, officerId, visit.branchId, appliedBy],
    );
    return rows.length > 0;
  }
}
