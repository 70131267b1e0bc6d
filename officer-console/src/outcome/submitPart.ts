/** The end of the form: why the last submit did not go, the submit button, and the recorded decision's code. */
import { element } from '@bilik/shared/client';
import { formatTrackingCode } from '@bilik/shared/outcome';
import { t } from '../strings.js';
import type { DraftState } from './outcomeDraft.js';

/** The submit part of one form. */
export interface SubmitPart {
  elements: HTMLElement[];
  /** Shows where sending the form stands. */
  draw(state: DraftState): void;
}

/** The submit part; `submit` runs on the button. */
export function createSubmitPart(doc: Document, submit: () => void): SubmitPart {
  const error = element(doc, 'p', { className: 'outcome-error', testId: 'outcome-error', attributes: { role: 'alert' } });
  const button = element(doc, 'button', { className: 'button button-loud outcome-submit', testId: 'outcome-submit' });
  button.type = 'button';
  button.addEventListener('click', submit);
  const recorded = element(doc, 'p', { className: 'outcome-recorded', testId: 'outcome-recorded', attributes: { role: 'status' } });
  return {
    elements: [error, button, recorded],
    draw(state) {
      button.hidden = state.kind === 'recorded';
      button.disabled = state.kind === 'sending';
      button.textContent = t(state.kind === 'sending' ? 'outcomeSending' : 'outcomeSubmit');
      const problem = state.kind === 'editing' ? state.problem : null;
      error.hidden = problem === null;
      error.textContent = problem ? [t(problem.text), problem.detail].filter(Boolean).join(' ') : '';
      recorded.hidden = state.kind !== 'recorded';
      recorded.textContent = state.kind === 'recorded' ? t('outcomeRecorded', { code: formatTrackingCode(state.trackingCode) }) : '';
    },
  };
}
