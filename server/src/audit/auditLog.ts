/**
 * The audit trail: one row per security-relevant action (sign-in, lock-out, a capacity change, a
 * booth revoked), written in the same transaction as the change when there is one.
 * `detail` must never hold personal data: ids and counts only.
 */
import type { Principal } from '../auth/permissions.js';
import type { Queryable } from '../db/database.js';

/** Who acted: a staff account, a booth, the server itself, or someone not signed in. */
export type AuditActor = { kind: 'account'; id: string } | { kind: 'booth'; id: string } | { kind: 'system' } | { kind: 'anonymous' };

export interface AuditEvent {
  actor: AuditActor;
  /** What happened, `noun.verb`, e.g. 'session.signed_in'. */
  action: string;
  /** What it happened to: an account, booth or branch id. */
  subject?: string;
  detail?: Record<string, string | number | boolean | null>;
}

/** Who the audit trail names for an authenticated caller. */
export function auditActorOf(principal: Principal): AuditActor {
  return principal.kind === 'staff' ? { kind: 'account', id: principal.accountId } : { kind: 'booth', id: principal.boothId };
}

/** Appends one event, on the database or inside the caller's transaction. */
export async function recordAudit(db: Queryable, event: AuditEvent): Promise<void> {
  await db.query('insert into audit_events (actor_kind, actor_id, action, subject, detail) values ($1, $2, $3, $4, $5)', [
    event.actor.kind,
    'id' in event.actor ? event.actor.id : null,
    event.action,
    event.subject ?? null,
    JSON.stringify(event.detail ?? {}),
  ]);
}
