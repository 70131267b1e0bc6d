/**
 * Forwarding a recorded outcome to the claims back office: one signed JSON POST per outcome,
 * retried (by its job) until the back office answers 2xx.
 *
 * The body is read from the database when sending, so the job itself carries ids only. It holds
 * the decision, the checklist, the reason, ids and the liveness challenges the server set the
 * claimant during the visit (what was asked, when, and the officer's verdict, from the server's
 * own record, so the back office can weigh the identity check); not the officer's free-text
 * notes: those are the officer's working notes, kept in Bilik's record for supervisors, and the
 * back office needs the decision and its reason to act, not whatever else was typed. Names and ID numbers are not in
 * the record at all.
 *
 * Signature: `X-Bilik-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` under the shared
 * secret, with the Unix time in seconds in `X-Bilik-Timestamp`, so a receiver can refuse forged and
 * replayed requests. The same outcome may arrive more than once (a retry after a lost answer): the
 * back office should treat `visitId` as the key.
 */
import { createHmac } from 'node:crypto';
import { CLAIM_STATUS_BY_DECISION, type ClaimStatus, type Decision, type LivenessTask, type LivenessVerdict } from '@bilik/shared';
import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { recordedLivenessChallengeSchema } from '../liveness/livenessChallenges.js';

/** How long the back office may take to answer one attempt. */
const FORWARD_TIMEOUT_MS = 10_000;

/** What the back office receives for one outcome. */
export interface ForwardedOutcome {
  visitId: string;
  trackingCode: string;
  decision: Decision;
  claimStatus: ClaimStatus;
  service: string;
  checklist: unknown;
  missingDocuments: string[];
  reason: string | null;
  officerId: string;
  boothId: string;
  branchId: string;
  documentIds: string[];
  /** The liveness challenges issued in the visit, oldest first (none: the officer set none). */
  livenessChallenges: ForwardedLivenessChallenge[];
  sessionStartedAt: string;
  submittedAt: string;
  recordedAt: string;
}

/** One liveness challenge as the back office receives it: what the claimant was asked, when, and how the officer judged it. */
export interface ForwardedLivenessChallenge {
  challengeId: string;
  issuedAt: string;
  task: LivenessTask;
  /** Null: the officer closed the challenge without a verdict, or never closed it. */
  verdict: LivenessVerdict | null;
}

/** The recorded challenges, checked on the way out: the body promises the back office their shape. */
const recordedChallengesSchema = z.array(recordedLivenessChallengeSchema);

interface OutcomeRow {
  visit_id: string;
  tracking_code: string;
  decision: Decision;
  service: string;
  checklist: unknown;
  missing_documents: string[];
  reason: string | null;
  officer_id: string;
  booth_id: string;
  branch_id: string;
  document_ids: string[];
  liveness_challenges: unknown;
  session_started_at: Date;
  submitted_at: Date;
  recorded_at: Date;
}

/** The signature header's value for `body` sent at `timestamp` (Unix seconds). */
export function forwardSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Posts the recorded outcome of `visitId` to the back office; throws unless it answers 2xx. */
export async function forwardOutcome(db: Database, target: { url: string; secret: string }, visitId: string): Promise<void> {
  const rows = await db.query<OutcomeRow>(
    `select visit_id, tracking_code, decision, service, checklist, missing_documents, reason, officer_id, booth_id, branch_id,
       document_ids, liveness_challenges, session_started_at, submitted_at, recorded_at
     from outcomes where visit_id = $1`,
    [visitId],
  );
  const row = rows[0];
  // Forwarding is enqueued only after recording, so this means the record was deleted by hand.
  if (row === undefined) throw new UnrecoverableError(`no recorded outcome for visit ${visitId}`);
  const body = JSON.stringify(forwardedOutcome(row));
  const timestamp = Math.floor(Date.now() / 1000);
  let response: Response;
  try {
    response = await fetch(target.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Bilik-Timestamp': String(timestamp),
        'X-Bilik-Signature': forwardSignature(target.secret, timestamp, body),
      },
      body,
      // A signed outcome goes to the configured address only, never where a redirect points.
      redirect: 'error',
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`the back office could not be reached (${String(cause?.code ?? cause?.message ?? (error as Error).message)})`);
  }
  // The answer's body is not needed; reading it frees the connection.
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) throw new Error(`the back office answered HTTP ${response.status}`);
}

function forwardedOutcome(row: OutcomeRow): ForwardedOutcome {
  const challenges = recordedChallengesSchema.safeParse(row.liveness_challenges);
  // Written by the recorder from validated data: a record that does not parse was changed by hand, and no retry mends it.
  if (!challenges.success) throw new UnrecoverableError(`the recorded liveness challenges of visit ${row.visit_id} are not valid`);
  return {
    visitId: row.visit_id,
    trackingCode: row.tracking_code,
    decision: row.decision,
    claimStatus: CLAIM_STATUS_BY_DECISION[row.decision],
    service: row.service,
    checklist: row.checklist,
    missingDocuments: row.missing_documents,
    reason: row.reason,
    officerId: row.officer_id,
    boothId: row.booth_id,
    branchId: row.branch_id,
    documentIds: row.document_ids,
    livenessChallenges: challenges.data.map(({ challengeId, issuedAt, task, verdict }) => ({
      challengeId,
      issuedAt: new Date(issuedAt).toISOString(),
      task,
      verdict,
    })),
    sessionStartedAt: row.session_started_at.toISOString(),
    submittedAt: row.submitted_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
  };
}
