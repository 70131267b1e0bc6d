/**
 * The decision part of the form: the four decisions (Alt+1–4), the missing documents when they
 * are incomplete, the reason a rejection or escalation needs, and the officer's notes.
 */
import { element } from '@bilik/shared/client';
import { DECISIONS, type Decision, type DocumentKind } from '@bilik/shared/outcome';
import { decisionName, documentName } from '../strings.js';
import { checkbox, section, textField, toggleIn } from './formParts.js';
import { DECISIONS_WITH_REASON, type OutcomeDraft } from './outcomeDraft.js';

/** The decision's sections for one draft. */
export interface DecisionPart {
  sections: HTMLElement[];
  /** Shows the draft's decision, and the fields that decision needs. */
  draw(): void;
}

/** The decision sections of `draft`; `decide` hears a decision the officer picks. */
export function createDecision(doc: Document, draft: OutcomeDraft, decide: (decision: Decision) => void): DecisionPart {
  const radios = new Map<Decision, HTMLInputElement>();
  const decisions = section(doc, 'outcomeDecision');
  DECISIONS.forEach((decision, index) => {
    const radio = element(doc, 'input', { testId: `decision-${decision}` });
    radio.type = 'radio';
    radio.name = `outcome-decision-${draft.visitId}`;
    radio.value = decision;
    radio.checked = draft.decision === decision;
    radio.addEventListener('change', () => {
      if (radio.checked) decide(decision);
    });
    decisions.append(
      element(
        doc,
        'label',
        { className: 'outcome-check outcome-decision' },
        radio,
        element(doc, 'span', { text: decisionName(decision) }),
        element(doc, 'kbd', { text: `Alt+${index + 1}` }),
      ),
    );
    radios.set(decision, radio);
  });

  const missingBoxes = new Map<DocumentKind, HTMLInputElement>();
  const missing = section(
    doc,
    'outcomeMissing',
    ...draft.documents.map((kind) => {
      const wrapper = checkbox(
        doc,
        `missing-doc-${kind}`,
        documentName(kind),
        draft.missingDocuments.has(kind),
        toggleIn(draft.missingDocuments, kind),
      );
      missingBoxes.set(kind, wrapper.querySelector('input')!);
      return wrapper;
    }),
  );
  missing.classList.add('outcome-missing');

  const reason = textField(doc, 'outcome-reason', 'outcomeReason', draft.reason, (value) => (draft.reason = value));
  const notes = textField(doc, 'outcome-notes', 'outcomeNotes', draft.notes, (value) => (draft.notes = value));

  return {
    sections: [decisions, missing, reason, notes],
    draw() {
      for (const [decision, radio] of radios) radio.checked = draft.decision === decision;
      // "Documents incomplete" starts from the documents not ticked as present.
      for (const [kind, box] of missingBoxes) box.checked = draft.missingDocuments.has(kind);
      missing.hidden = draft.decision !== 'incomplete';
      reason.hidden = draft.decision === null || !DECISIONS_WITH_REASON.includes(draft.decision);
    },
  };
}
