/**
 * Forwarding a recorded outcome to the claims back office: one signed JSON POST per outcome,
 * retried (by its job) until the back office answers 2xx.
 *
 * The body is read from the database when sending, so the job itself carries ids only. It holds
 * the decision, the checklist, the reason and ids; not the officer's free-text notes: those are the
 * officer's working notes, kept in Bilik's record for supervisors, and the back office needs the
 * decision and its reason to act, not whatever else was typed. Names and ID numbers are not in
 * the record at all.
 *
 * Signature: `X-Bilik-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` under the shared
 * secret, with the Unix time in seconds in `X-Bilik-Timestamp`, so a receiver can refuse forged and
 * replayed requests. The same outcome may arrive more than once (a retry after a lost answer): the
 * back office should treat `visitId` as the key.
 */
import { createHmac } from 'node:crypto';
import { CLAIM_STATUS_BY_DECISION, type ClaimStatus, type Decision } from '@bilik/shared';
import { UnrecoverableError } from 'bullmq';
import type { Database } from '../db/database.js';

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
  sessionStartedAt: string;
  submittedAt: string;
  recordedAt: string;
}

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
       document_ids, session_started_at, submitted_at, recorded_at
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
    sessionStartedAt: row.session_started_at.toISOString(),
    submittedAt: row.submitted_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
  };
}
