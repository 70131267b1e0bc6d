/**
 * Each branch queue's figures per day, kept in the database for the supervisors' trend over weeks:
 * Redis keeps a day's raw waits and session lengths for three days only. Every server process
 * copies the days Redis still holds every COPY_INTERVAL_MS (and once at start); each copy of a day
 * overwrites the last with figures from the same source, so processes never disagree, and a
 * process down for a while loses nothing that a copy within three days picks up.
 */
import type { DurationSummary, QueueDayFigures } from '@bilik/shared';
import type { Queryable } from '../db/database.js';
import type { Logger } from '../logger.js';
import { summarize } from './branchQueueView.js';
import type { Scheduler } from './scheduler.js';

/** Today's row in the database trails the live figures by at most this long. */
const COPY_INTERVAL_MS = 5 * 60_000;

interface QueueDayRow {
  day: string;
  wait_count: number;
  wait_median_ms: number;
  wait_p90_ms: number;
  wait_max_ms: number;
  session_count: number;
  session_median_ms: number;
  session_p90_ms: number;
  session_max_ms: number;
}

export class QueueHistory {
  private timer: NodeJS.Timeout | undefined;
  private copying: Promise<void> | null = null;

  constructor(
    private readonly db: Queryable,
    private readonly scheduler: Scheduler,
    private readonly logger: Logger,
  ) {}

  /** Copies now, then every COPY_INTERVAL_MS until stop(). */
  start(): void {
    void this.copyKeptDays();
    this.timer = setInterval(() => void this.copyKeptDays(), COPY_INTERVAL_MS);
  }

  /** Stops copying; resolves once a copy under way has finished, so the database can close after it. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.copying;
  }

  /** Copies every queue's days that Redis still keeps into the database; a failure is logged, and the next copy tries again. */
  copyKeptDays(): Promise<void> {
    // A slow database must not pile up copies.
    this.copying ??= this.copy()
      .catch((error: unknown) =>
        this.logger.warn({ module: 'queue-history', err: (error as Error).message }, 'could not copy the queue figures'),
      )
      .finally(() => {
        this.copying = null;
      });
    return this.copying;
  }

  /** The last `count` days of a branch (today included, as last copied) that have figures, oldest first. */
  async days(branchId: string, count: number): Promise<QueueDayFigures[]> {
    const rows = await this.db.query<QueueDayRow>(
      `select to_char(day, 'YYYY-MM-DD') as day, wait_count, wait_median_ms, wait_p90_ms, wait_max_ms,
              session_count, session_median_ms, session_p90_ms, session_max_ms
         from queue_days where branch_id = $1 order by day desc limit $2`,
      [branchId, count],
    );
    return rows.reverse().map((row) => ({
      day: row.day,
      waits: { count: row.wait_count, medianMs: row.wait_median_ms, p90Ms: row.wait_p90_ms, maxMs: row.wait_max_ms },
      sessions: { count: row.session_count, medianMs: row.session_median_ms, p90Ms: row.session_p90_ms, maxMs: row.session_max_ms },
    }));
  }

  private async copy(): Promise<void> {
    const [queueIds, days] = await Promise.all([this.scheduler.queueIds(), this.scheduler.keptDays()]);
    for (const queueId of queueIds) {
      for (const day of days) {
        const figures = await this.scheduler.day(queueId, day);
        // A day without a single wait or session has nothing to show; it is not written as zeros.
        if (figures.waits.length === 0 && figures.sessions.length === 0) continue;
        await this.store(queueId, day, summarize(figures.waits), summarize(figures.sessions));
      }
    }
  }

  private async store(branchId: string, day: string, waits: DurationSummary, sessions: DurationSummary): Promise<void> {
    await this.db.query(
      `insert into queue_days (branch_id, day, wait_count, wait_median_ms, wait_p90_ms, wait_max_ms,
                               session_count, session_median_ms, session_p90_ms, session_max_ms)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       on conflict (branch_id, day) do update set
         wait_count = excluded.wait_count, wait_median_ms = excluded.wait_median_ms,
         wait_p90_ms = excluded.wait_p90_ms, wait_max_ms = excluded.wait_max_ms,
         session_count = excluded.session_count, session_median_ms = excluded.session_median_ms,
         session_p90_ms = excluded.session_p90_ms, session_max_ms = excluded.session_max_ms,
         updated_at = now()`,
      [
        branchId,
        day,
        waits.count,
        waits.medianMs,
        waits.p90Ms,
        waits.maxMs,
        sessions.count,
        sessions.medianMs,
        sessions.p90Ms,
        sessions.maxMs,
      ],
    );
  }
}
