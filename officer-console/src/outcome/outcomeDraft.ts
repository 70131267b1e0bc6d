/**
 * The officer's decision form for one visit, as data: what is ticked and chosen, where sending
 * it stands, and what `outcome:submit` carries. Kept per visit while the officer switches booths,
 * forgotten when the visit's session ends. No DOM here; outcomePanel.ts draws it.
 */
import type { SessionView } from '@bilik/shared/journey';
import { DOCUMENTS_BY_SERVICE, type Decision, type DocumentKind, type OutcomeSubmission } from '@bilik/shared/outcome';
import type { TextKey } from '../strings.js';

/** Where the form stands: being filled in (with what stopped the last submit), sent, or recorded for good. */
export type DraftState =
  | { kind: 'editing'; problem: { text: TextKey; detail: string | null } | null }
  | { kind: 'sending' }
  | { kind: 'recorded'; trackingCode: string };

export interface OutcomeDraft {
  readonly boothId: string;
  readonly visitId: string;
  /** The documents this visit's claim needs, in the order the form lists them. */
  readonly documents: readonly DocumentKind[];
  /**
   * Made once per form: a double click, or a retry after an answer that never came, sends the same
   * id, so the server enqueues the decision once.
   */
  readonly submissionId: string;
  faceMatchesId: boolean;
  idNumberConfirmed: boolean;
  bankAccountConfirmed: boolean;
  documentsPresent: Set<DocumentKind>;
  decision: Decision | null;
  missingDocuments: Set<DocumentKind>;
  reason: string;
  notes: string;
  state: DraftState;
}

/** The decisions that need a reason. */
export const DECISIONS_WITH_REASON: readonly Decision[] = ['rejected', 'escalated'];

/** An empty form for the session's visit. */
export function createDraft(session: SessionView, submissionId: string): OutcomeDraft {
  return {
    boothId: session.boothId,
    visitId: session.visitId,
    documents: DOCUMENTS_BY_SERVICE[session.service],
    submissionId,
    faceMatchesId: false,
    idNumberConfirmed: false,
    bankAccountConfirmed: false,
    documentsPresent: new Set(),
    decision: null,
    missingDocuments: new Set(),
    reason: '',
    notes: '',
    state: { kind: 'editing', problem: null },
  };
}

/** Sets the decision; "documents incomplete" starts from the documents not ticked as present. */
export function chooseDecision(draft: OutcomeDraft, decision: Decision): void {
  draft.decision = decision;
  if (decision === 'incomplete') draft.missingDocuments = new Set(draft.documents.filter((kind) => !draft.documentsPresent.has(kind)));
}

/** What keeps the form from being sent, or null when it can go. */
export function problemOf(draft: OutcomeDraft): TextKey | null {
  if (draft.decision === null) return 'outcomeNeedDecision';
  if (draft.decision === 'incomplete' && draft.missingDocuments.size === 0) return 'outcomeNeedMissing';
  if (DECISIONS_WITH_REASON.includes(draft.decision) && draft.reason.trim() === '') return 'outcomeNeedReason';
  return null;
}

/** The `outcome:submit` payload of a form that problemOf() passed, with the visit's captured documents. */
export function submissionOf(draft: OutcomeDraft & { decision: Decision }, documentIds: string[]): OutcomeSubmission {
  const inOrder = (kinds: Set<DocumentKind>): DocumentKind[] => draft.documents.filter((kind) => kinds.has(kind));
  const text = (value: string): string | null => (value.trim() === '' ? null : value.trim());
  return {
    boothId: draft.boothId,
    visitId: draft.visitId,
    submissionId: draft.submissionId,
    decision: draft.decision,
    checklist: {
      faceMatchesId: draft.faceMatchesId,
      idNumberConfirmed: draft.idNumberConfirmed,
      documentsPresent: inOrder(draft.documentsPresent),
      bankAccountConfirmed: draft.bankAccountConfirmed,
    },
    // Only what the decision shows on the form goes out: a reason typed before switching to "approved" does not.
    missingDocuments: draft.decision === 'incomplete' ? inOrder(draft.missingDocuments) : [],
    reason: DECISIONS_WITH_REASON.includes(draft.decision) ? text(draft.reason) : null,
    notes: text(draft.notes),
    documentIds,
  };
}

/** The forms of the officer's current visits, by visit id. */
export class OutcomeDrafts {
  private readonly drafts = new Map<string, OutcomeDraft>();

  /** The visit's form, made empty on first use. */
  of(session: SessionView): OutcomeDraft {
    let draft = this.drafts.get(session.visitId);
    if (!draft) {
      draft = createDraft(session, crypto.randomUUID());
      this.drafts.set(session.visitId, draft);
    }
    return draft;
  }

  /** Whether the server accepted the visit's decision. */
  decided(visitId: string): boolean {
    return this.drafts.get(visitId)?.state.kind === 'recorded';
  }

  /** Forgets the forms of visits whose sessions ended: nothing of a claimant outlives their session. */
  keepOnly(visitIds: ReadonlySet<string>): void {
    for (const visitId of this.drafts.keys()) if (!visitIds.has(visitId)) this.drafts.delete(visitId);
  }
}
