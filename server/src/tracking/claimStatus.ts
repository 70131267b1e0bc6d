/**
 * What the public may learn of a claim from its tracking code: the status the recorded decision
 * gives it (or that the visit ended without one) and the day it was recorded. Nothing else of the outcome (no names, booth, officer,
 * reason or notes) ever leaves through here.
 */
import { CLAIM_STATUS_BY_DECISION, type ClaimStatus, type Decision } from '@bilik/shared';
import type { Database } from '../db/database.js';

/** A claim's status as the public tracking page and endpoint show it. */
export interface ClaimStatusView {
  status: ClaimStatus;
  /** The day the status was reached, YYYY-MM-DD in the service's time zone. */
  since: string;
}

export class ClaimStatusLookup {
  private readonly dayFormat: Intl.DateTimeFormat;

  /** `timeZone`: whose calendar day `since` names (the branches'). */
  constructor(
    private readonly db: Database,
    timeZone: string,
  ) {
    // en-CA writes dates as YYYY-MM-DD.
    this.dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  /**
   * The status of the claim with this (normalised) code: its recorded outcome's, or "ended without
   * decision" for a visit recorded as such; null when nothing is recorded under it.
   */
  async statusOf(code: string): Promise<ClaimStatusView | null> {
    const rows = await this.db.query<{ decision: Decision | null; recorded_at: Date }>(
      `select decision, recorded_at from outcomes where tracking_code = $1
       union all select null, recorded_at from undecided_visits where tracking_code = $1`,
      [code],
    );
    const row = rows[0];
    if (!row) return null;
    const status = row.decision === null ? 'ended_without_decision' : CLAIM_STATUS_BY_DECISION[row.decision];
    return { status, since: this.dayFormat.format(row.recorded_at) };
  }
}
