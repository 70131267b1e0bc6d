/**
 * Ending a session needs the visit's decision: a visit whose outcome the server accepted ends at
 * once; for one without, a small dialog says what ending will do (the visit is recorded as ended
 * without decision, and the claimant is told to come back) and asks why there is no outcome. Going
 * back leaves the session as it was, so the officer can send the decision first.
 */
import { element } from '@bilik/shared/client';
import { NO_OUTCOME_REASONS, type NoOutcomeReason } from '@bilik/shared/outcome';
import { t, type TextKey } from '../strings.js';

export interface EndPromptDeps {
  /** Whether the server accepted an outcome for this booth's current visit. */
  decided(boothId: string): boolean;
  /** Sends `session:end` with the reason the visit has no outcome (null: it has one). */
  end(boothId: string, noOutcomeReason: NoOutcomeReason | null): void;
}

export interface EndPrompt {
  /** The officer confirmed "end session" for this booth. */
  ask(boothId: string): void;
}

const REASON_TEXT: Record<NoOutcomeReason, TextKey> = {
  claimant_left: 'endReasonClaimantLeft',
  connection_lost: 'endReasonConnectionLost',
  wrong_service: 'endReasonWrongService',
};

/** Creates the dialog (once, at the end of `doc.body`). */
export function createEndPrompt(deps: EndPromptDeps, doc: Document = document): EndPrompt {
  const dialog = element(doc, 'dialog', { className: 'end-prompt', testId: 'end-prompt' });
  doc.body.append(dialog);
  let boothId: string | null = null;

  const choose = (reason: NoOutcomeReason): void => {
    const ending = boothId;
    dialog.close();
    if (ending !== null) deps.end(ending, reason);
  };
  dialog.addEventListener('close', () => {
    boothId = null;
  });

  return {
    ask(asked) {
      if (deps.decided(asked)) {
        deps.end(asked, null);
        return;
      }
      boothId = asked;
      const reasons = NO_OUTCOME_REASONS.map((reason) => {
        const button = element(doc, 'button', { className: 'button end-reason', testId: 'end-reason', text: t(REASON_TEXT[reason]) });
        button.type = 'button';
        button.dataset.reason = reason;
        button.addEventListener('click', () => choose(reason));
        return button;
      });
      const back = element(doc, 'button', { className: 'button end-back', testId: 'end-back', text: t('endBack') });
      back.type = 'button';
      back.addEventListener('click', () => dialog.close());
      dialog.replaceChildren(
        element(doc, 'h2', { className: 'end-title', text: t('endUndecidedTitle', { booth: asked }) }),
        element(doc, 'p', { className: 'end-explain', testId: 'end-explain', text: t('endUndecidedExplain') }),
        element(doc, 'div', { className: 'end-reasons' }, ...reasons),
        back,
      );
      dialog.showModal();
      back.focus();
    },
  };
}
