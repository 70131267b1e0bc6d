/**
 * The checklist panel: the decision form of the visit at the booth the officer is serving,
 * worked through while talking. Everything is reachable with Tab; Alt+1–4 choose the decision
 * and Ctrl+Enter submits. Sending waits for the server's acknowledgement (the decision is queued
 * durably); the form then locks and shows the claimant's tracking code.
 */
import { element } from '@bilik/shared/client';
import type { SessionView } from '@bilik/shared/journey';
import { DECISIONS, type Decision, type OutcomeAccepted, type OutcomeSubmission } from '@bilik/shared/outcome';
import { TALK_KEYS } from '../desk/deskKeys.js';
import type { CapturedDocuments } from '../documents/capturedDocuments.js';
import { serviceName, t } from '../strings.js';
import { createChecklist, type Checklist } from './checklist.js';
import { createDecision, type DecisionPart } from './decision.js';
import { chooseDecision, OutcomeDrafts, problemOf, submissionOf, type OutcomeDraft } from './outcomeDraft.js';
import { createSubmitPart, type SubmitPart } from './submitPart.js';

export interface OutcomePanelDeps {
  /** Sends `outcome:submit`; resolves with the server's acceptance, rejects with why it failed. */
  submit(submission: OutcomeSubmission): Promise<OutcomeAccepted>;
  /** The visit's document photos: listed on the form, their ids sent with the decision. */
  documents: CapturedDocuments;
  /** Describes a failure for the officer (an error code and message). */
  describe(error: unknown): string;
}

export interface OutcomePanel {
  /** Shows the form of this session's visit, or a hint when the officer serves no booth. */
  show(session: SessionView | null): void;
  /** The officer's sessions as just announced: the forms of visits not among them are forgotten. */
  keepVisits(sessions: readonly SessionView[]): void;
  /** Whether the server accepted the visit's decision (sent from this console). */
  decided(visitId: string): boolean;
}

/** The form on screen: its draft and the parts that change while it is filled in. */
interface ShownForm {
  draft: OutcomeDraft;
  fieldset: HTMLFieldSetElement;
  checklist: Checklist;
  decision: DecisionPart;
  submit: SubmitPart;
}

/** Binds the panel to `root` (the console's `outcome-panel` element). */
export function createOutcomePanel(root: HTMLElement, deps: OutcomePanelDeps, doc: Document = document): OutcomePanel {
  const drafts = new OutcomeDrafts();
  let shown: ShownForm | null = null;
  // The visit whose form is drawn: null for the hint, undefined before anything is drawn.
  let shownVisitId: string | null | undefined;

  /** Builds the form of `draft` afresh: on switching visits only, so focus stays put while the officer types. */
  const buildForm = (draft: OutcomeDraft, session: SessionView): ShownForm => {
    const checklist = createChecklist(doc, draft);
    const decision = createDecision(doc, draft, decide);
    const submit = createSubmitPart(doc, trySubmit);
    // One fieldset around every control: disabling it locks the whole form once recorded.
    const fieldset = element(doc, 'fieldset', { className: 'outcome-form' }, ...checklist.sections, ...decision.sections);
    root.replaceChildren(
      element(doc, 'h2', {
        className: 'outcome-title',
        testId: 'outcome-title',
        text: t('outcomeFor', { booth: draft.boothId, service: serviceName(session.service) }),
      }),
      element(doc, 'p', { className: 'outcome-keys', text: t('outcomeKeys') }),
      fieldset,
      ...submit.elements,
    );
    return { draft, fieldset, checklist, decision, submit };
  };

  const decide = (decision: Decision): void => {
    if (!shown || shown.draft.state.kind !== 'editing') return;
    chooseDecision(shown.draft, decision);
    shown.draft.state = { kind: 'editing', problem: null };
    refresh();
  };

  /** Redraws what depends on the decision, the sending state and the visit's photos. */
  const refresh = (): void => {
    if (!shown) return;
    const { draft } = shown;
    shown.decision.draw();
    shown.checklist.drawPhotos(deps.documents.forVisit(draft.visitId));
    shown.fieldset.disabled = draft.state.kind !== 'editing';
    shown.submit.draw(draft.state);
    root.dataset.state = draft.state.kind;
  };

  const trySubmit = (): void => {
    if (!shown) return;
    const { draft } = shown;
    // Sending or recorded already: a second click or Ctrl+Enter does nothing.
    if (draft.state.kind !== 'editing') return;
    const problem = problemOf(draft);
    if (problem !== null || draft.decision === null) {
      draft.state = { kind: 'editing', problem: { text: problem ?? 'outcomeNeedDecision', detail: null } };
      refresh();
      return;
    }
    const documentIds = deps.documents.forVisit(draft.visitId).map((photo) => photo.documentId);
    draft.state = { kind: 'sending' };
    refresh();
    deps.submit(submissionOf({ ...draft, decision: draft.decision }, documentIds)).then(
      (accepted) => {
        draft.state = { kind: 'recorded', trackingCode: accepted.trackingCode };
        if (shown?.draft === draft) refresh();
      },
      (error: unknown) => {
        // The form stays as it was, with the same submission id for the retry.
        draft.state = { kind: 'editing', problem: { text: 'outcomeFailed', detail: deps.describe(error) } };
        if (shown?.draft === draft) refresh();
      },
    );
  };

  doc.addEventListener('keydown', (event) => {
    if (!shown || event.repeat) return;
    const decisionIndex =
      event.altKey && !event.ctrlKey && !event.metaKey ? ['Digit1', 'Digit2', 'Digit3', 'Digit4'].indexOf(event.code) : -1;
    const decision = DECISIONS[decisionIndex];
    if (decision) {
      event.preventDefault();
      decide(decision);
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      trySubmit();
    }
  });

  deps.documents.onChange(() => refresh());

  const showHint = (): void => {
    root.replaceChildren(
      element(doc, 'h2', { className: 'outcome-title', text: t('outcomeHeading') }),
      element(doc, 'p', { className: 'outcome-hint', text: t('outcomeNone', { keys: TALK_KEYS }) }),
    );
    root.dataset.state = 'none';
  };

  return {
    show(session) {
      const visitId = session?.visitId ?? null;
      if (visitId === shownVisitId) return;
      shownVisitId = visitId;
      if (!session) {
        shown = null;
        showHint();
        return;
      }
      shown = buildForm(drafts.of(session), session);
      refresh();
    },
    decided: (visitId) => drafts.decided(visitId),
    keepVisits(sessions) {
      const visitIds = new Set(sessions.map((session) => session.visitId));
      drafts.keepOnly(visitIds);
      // The shown visit's session ended: its form leaves the screen with it.
      if (shown && !visitIds.has(shown.draft.visitId)) {
        shown = null;
        shownVisitId = null;
        showHint();
      }
    },
  };
}
