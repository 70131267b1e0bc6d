/**
 * What the public may learn of a claim from its tracking code: the status the recorded decision
 * gives it (or that the visit ended without one) and the day it was recorded. Nothing else of the outcome (no names, booth, officer,
 * reason or notes) ever leaves through here.
 */
import { CLAIM_STATUS_BY_DECISION, type ClaimStatus, type Decision } from '@bilik/shared';
import type { Database } from '../db/database.js';
import type { ReviewState } from '../outcomes/outcomeJobs.js';

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
   * The status of the claim with this (normalised) code: its recorded outcome's (in review while a
   * supervisor has not confirmed it, reopened once one did), or "ended without decision" for a
   * visit recorded as such; null when nothing is recorded under it.
   */
  async statusOf(code: string): Promise<ClaimStatusView | null> {
    const rows = await this.db.query<{ decision: Decision | null; review_state: ReviewState | null; since: Date }>(
      `select decision, review_state, coalesce(reviewed_at, recorded_at) as since from outcomes where tracking_code = $1
       union all select null, null, recorded_at from undecided_visits where tracking_code = $1`,
      [code],
    );
    const row = rows[0];
    if (!row) return null;
    return { status: statusOf(row.decision, row.review_state), since: this.dayFormat.format(row.since) };
  }
}

/** What a decision, and the supervisor's review of it, tell the claimant. */
function statusOf(decision: Decision | null, review: ReviewState | null): ClaimStatus {
  if (decision === null) return 'ended_without_decision';
  // Not final until a supervisor confirms it: the claimant must not read an approval that may be reopened.
  if (review === 'pending') return 'in_review';
  if (review === 'reopened') return 'reopened';
  return CLAIM_STATUS_BY_DECISION[decision];
}
