/**
 * The checklist panel: the decision form of the visit at the booth the officer is serving,
 * worked through while talking. Everything is reachable with Tab; Alt+1–4 choose the decision
 * and Ctrl+Enter submits. Sending waits for the server's acknowledgement (the decision is queued
 * durably); the form then locks and shows the claimant's tracking code.
 */
import type { SessionView } from '@bilik/shared/journey';
import { DECISIONS, formatTrackingCode, MAX_NOTE_LENGTH, type Decision, type DocumentKind, type OutcomeAccepted, type OutcomeSubmission } from '@bilik/shared/outcome';
import type { CapturedDocuments } from '../documents/capturedDocuments.js';
import { decisionName, documentName, serviceName, t, type TextKey } from '../strings.js';
import { chooseDecision, DECISIONS_WITH_REASON, OutcomeDrafts, problemOf, submissionOf, type OutcomeDraft } from './outcomeDraft.js';

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
}

/** The parts of the shown form that change while it is filled in. */
interface FormParts {
  draft: OutcomeDraft;
  fieldset: HTMLFieldSetElement;
  decisions: Map<Decision, HTMLInputElement>;
  missing: HTMLFieldSetElement;
  missingBoxes: Map<DocumentKind, HTMLInputElement>;
  reasonField: HTMLElement;
  photos: HTMLElement;
  submit: HTMLButtonElement;
  error: HTMLElement;
  recorded: HTMLElement;
}

/** Binds the panel to `root` (the console's `outcome-panel` element). */
export function createOutcomePanel(root: HTMLElement, deps: OutcomePanelDeps, doc: Document = document): OutcomePanel {
  const drafts = new OutcomeDrafts();
  let shown: FormParts | null = null;
  // The visit whose form is drawn: null for the hint, undefined before anything is drawn.
  let shownVisitId: string | null | undefined;

  const element = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] => {
    const created = doc.createElement(tag);
    created.className = className;
    if (text !== undefined) created.textContent = text;
    return created;
  };

  const checkbox = (testId: string, label: string, checked: boolean, onChange: (checked: boolean) => void): HTMLLabelElement => {
    const box = doc.createElement('input');
    box.type = 'checkbox';
    box.dataset.testid = testId;
    box.checked = checked;
    box.addEventListener('change', () => onChange(box.checked));
    const wrapper = element('label', 'outcome-check');
    wrapper.append(box, element('span', '', label));
    return wrapper;
  };

  const section = (legend: TextKey, ...children: HTMLElement[]): HTMLFieldSetElement => {
    const group = element('fieldset', 'outcome-section');
    group.append(element('legend', 'outcome-legend', t(legend)), ...children);
    return group;
  };

  const textField = (testId: string, label: TextKey, value: string, onInput: (value: string) => void): HTMLElement => {
    const input = doc.createElement('textarea');
    input.className = 'outcome-text';
    input.dataset.testid = testId;
    input.id = `outcome-${testId}`;
    input.rows = 2;
    input.maxLength = MAX_NOTE_LENGTH;
    input.value = value;
    input.addEventListener('input', () => onInput(input.value));
    const labelElement = element('label', 'outcome-legend', t(label));
    labelElement.htmlFor = input.id;
    const field = element('div', 'outcome-field');
    field.append(labelElement, input);
    return field;
  };

  /** Builds the form of `draft` afresh: on switching visits only, so focus stays put while the officer types. */
  const buildForm = (draft: OutcomeDraft, session: SessionView): FormParts => {
    const title = element('h2', 'outcome-title', t('outcomeFor', { booth: draft.boothId, service: serviceName(session.service) }));
    title.dataset.testid = 'outcome-title';
    const keys = element('p', 'outcome-keys', t('outcomeKeys'));

    const identity = section(
      'outcomeIdentity',
      checkbox('check-face', t('checkFace'), draft.faceMatchesId, (checked) => (draft.faceMatchesId = checked)),
      checkbox('check-id-number', t('checkIdNumber'), draft.idNumberConfirmed, (checked) => (draft.idNumberConfirmed = checked)),
    );
    const documents = section(
      'outcomeDocuments',
      ...draft.documents.map((kind) =>
        checkbox(`check-doc-${kind}`, documentName(kind), draft.documentsPresent.has(kind), (checked) => {
          if (checked) draft.documentsPresent.add(kind);
          else draft.documentsPresent.delete(kind);
        }),
      ),
    );
    const photos = element('p', 'outcome-photos');
    photos.dataset.testid = 'outcome-photos';
    documents.append(photos);
    const payment = section(
      'outcomePayment',
      checkbox('check-bank', t('checkBank'), draft.bankAccountConfirmed, (checked) => (draft.bankAccountConfirmed = checked)),
    );

    const decisions = new Map<Decision, HTMLInputElement>();
    const decisionGroup = section('outcomeDecision');
    DECISIONS.forEach((decision, index) => {
      const radio = doc.createElement('input');
      radio.type = 'radio';
      radio.name = `outcome-decision-${draft.visitId}`;
      radio.value = decision;
      radio.dataset.testid = `decision-${decision}`;
      radio.checked = draft.decision === decision;
      radio.addEventListener('change', () => {
        if (radio.checked) decide(decision);
      });
      const wrapper = element('label', 'outcome-check outcome-decision');
      wrapper.append(radio, element('span', '', decisionName(decision)), element('kbd', '', `Alt+${index + 1}`));
      decisionGroup.append(wrapper);
      decisions.set(decision, radio);
    });

    const missingBoxes = new Map<DocumentKind, HTMLInputElement>();
    const missing = section(
      'outcomeMissing',
      ...draft.documents.map((kind) => {
        const wrapper = checkbox(`missing-doc-${kind}`, documentName(kind), draft.missingDocuments.has(kind), (checked) => {
          if (checked) draft.missingDocuments.add(kind);
          else draft.missingDocuments.delete(kind);
        });
        missingBoxes.set(kind, wrapper.querySelector('input')!);
        return wrapper;
      }),
    );
    missing.classList.add('outcome-missing');

    const reason = textField('outcome-reason', 'outcomeReason', draft.reason, (value) => (draft.reason = value));
    const notes = textField('outcome-notes', 'outcomeNotes', draft.notes, (value) => (draft.notes = value));

    const error = element('p', 'outcome-error');
    error.dataset.testid = 'outcome-error';
    error.setAttribute('role', 'alert');
    const submit = element('button', 'button button-loud outcome-submit');
    submit.type = 'button';
    submit.dataset.testid = 'outcome-submit';
    submit.addEventListener('click', () => trySubmit());
    const recorded = element('p', 'outcome-recorded');
    recorded.dataset.testid = 'outcome-recorded';
    recorded.setAttribute('role', 'status');

    // One fieldset around every control: disabling it locks the whole form once recorded.
    const fieldset = element('fieldset', 'outcome-form');
    fieldset.append(identity, documents, payment, decisionGroup, missing, reason, notes);
    root.replaceChildren(title, keys, fieldset, error, submit, recorded);
    return { draft, fieldset, decisions, missing, missingBoxes, reasonField: reason, photos, submit, error, recorded };
  };

  const decide = (decision: Decision): void => {
    if (!shown || shown.draft.state.kind !== 'editing') return;
    chooseDecision(shown.draft, decision);
    shown.draft.state = { kind: 'editing', problem: null };
    for (const [kind, box] of shown.missingBoxes) box.checked = shown.draft.missingDocuments.has(kind);
    refresh();
  };

  /** Redraws what depends on the decision, the sending state and the visit's photos. */
  const refresh = (): void => {
    if (!shown) return;
    const { draft } = shown;
    for (const [decision, radio] of shown.decisions) radio.checked = draft.decision === decision;
    shown.missing.hidden = draft.decision !== 'incomplete';
    shown.reasonField.hidden = draft.decision === null || !DECISIONS_WITH_REASON.includes(draft.decision);

    const photos = deps.documents.forVisit(draft.visitId);
    shown.photos.textContent = t('outcomePhotos', { count: photos.length });
    shown.photos.dataset.count = String(photos.length);
    shown.photos.title = photos.map((photo) => `${photo.width}×${photo.height}`).join(', ');

    const state = draft.state;
    shown.fieldset.disabled = state.kind !== 'editing';
    shown.submit.hidden = state.kind === 'recorded';
    shown.submit.disabled = state.kind === 'sending';
    shown.submit.textContent = t(state.kind === 'sending' ? 'outcomeSending' : 'outcomeSubmit');
    const problem = state.kind === 'editing' ? state.problem : null;
    shown.error.hidden = problem === null;
    shown.error.textContent = problem ? [t(problem.text), problem.detail].filter(Boolean).join(' ') : '';
    shown.recorded.hidden = state.kind !== 'recorded';
    shown.recorded.textContent = state.kind === 'recorded' ? t('outcomeRecorded', { code: formatTrackingCode(state.trackingCode) }) : '';
    root.dataset.state = state.kind;
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
    const decisionIndex = event.altKey && !event.ctrlKey && !event.metaKey ? ['Digit1', 'Digit2', 'Digit3', 'Digit4'].indexOf(event.code) : -1;
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
    const title = element('h2', 'outcome-title', t('outcomeHeading'));
    const hint = element('p', 'outcome-hint', t('outcomeNone'));
    root.replaceChildren(title, hint);
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
