/**
 * "Pindahkan": hands the claimant at one of the officer's booths to another officer of the branch,
 * or back to the front of its queue. A small modal dialog lists whom the server offers (signed-in
 * officers with their state and free seats, and the queue), takes a short note for the receiving
 * officer and sends `visit:transfer` on confirmation. A native <dialog> with radio buttons and a
 * text area: Tab, the arrow keys, Enter and Escape work as everywhere.
 */
import { element } from '@bilik/shared/client';
import {
  MAX_TRANSFER_NOTE_LENGTH,
  type TransferResult,
  type TransferTarget,
  type TransferTargetsView,
  type WorkState,
} from '@bilik/shared/journey';
import { t, type TextKey } from '../strings.js';

export interface TransferDialogDeps {
  /** Whom the booth's claimant may be handed to, as the server says now. */
  targets(boothId: string): Promise<TransferTargetsView>;
  transfer(boothId: string, target: TransferTarget, note: string): Promise<TransferResult>;
  /** Describes a failure for the officer (an error code and message). */
  describe(error: unknown): string;
}

export interface TransferDialog {
  /** Opens the dialog for the claimant at `boothId`. */
  open(boothId: string): void;
}

const STATE_TEXT: Record<WorkState, TextKey> = {
  available: 'transferStateAvailable',
  paused: 'transferStatePaused',
  wrap_up: 'transferStateWrapUp',
  offline: 'transferStatePaused',
};

/** Creates the dialog (once, at the end of `doc.body`). */
export function createTransferDialog(deps: TransferDialogDeps, doc: Document = document): TransferDialog {
  const dialog = element(doc, 'dialog', { className: 'transfer-dialog', testId: 'transfer-dialog' });
  doc.body.append(dialog);
  // Bumped on every opening, so a late answer for an earlier booth changes nothing.
  let opening = 0;

  const backButton = (): HTMLButtonElement => {
    const back = element(doc, 'button', { className: 'button', testId: 'transfer-back', text: t('transferBack') });
    back.type = 'button';
    back.addEventListener('click', () => dialog.close());
    return back;
  };

  const option = (value: string, label: string, name: string): HTMLLabelElement => {
    const radio = element(doc, 'input', { testId: 'transfer-option', attributes: { type: 'radio', name, value } });
    return element(doc, 'label', { className: 'transfer-option' }, radio, ` ${label}`);
  };

  const show = (boothId: string, view: TransferTargetsView): void => {
    const name = `transfer-target-${opening}`;
    const options = view.officers.map((officer) =>
      option(
        `officer:${officer.accountId}`,
        t(officer.role === 'supervisor' ? 'transferSupervisorOption' : 'transferOfficerOption', {
          name: officer.displayName,
          state: t(STATE_TEXT[officer.state]),
          seats: officer.freeSeats,
        }),
        name,
      ),
    );
    if (view.queue) options.push(option('queue', t('transferQueueOption'), name));
    const note = element(doc, 'textarea', {
      className: 'transfer-note',
      testId: 'transfer-note-input',
      attributes: { maxlength: String(MAX_TRANSFER_NOTE_LENGTH), rows: '3', required: '' },
    });
    const noteLabel = element(doc, 'label', { className: 'transfer-note-label', text: t('transferNoteLabel') }, note);
    const error = element(doc, 'p', { className: 'transfer-error', testId: 'transfer-error', attributes: { role: 'alert' } });
    const confirm = element(doc, 'button', {
      className: 'button transfer-confirm',
      testId: 'transfer-confirm',
      text: t('transferConfirm'),
    });
    confirm.type = 'submit';
    const back = backButton();
    const form = element(
      doc,
      'form',
      { className: 'transfer-form' },
      element(doc, 'h2', { className: 'transfer-title', text: t('transferTitle', { booth: boothId }) }),
      options.length > 0
        ? element(doc, 'fieldset', { className: 'transfer-targets' }, element(doc, 'legend', { text: t('transferTo') }), ...options)
        : element(doc, 'p', { testId: 'transfer-nobody', text: t('transferNobody') }),
      noteLabel,
      error,
      element(doc, 'div', { className: 'transfer-actions' }, confirm, back),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const chosen = form.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value;
      const text = note.value.trim();
      if (chosen === undefined || text === '') {
        error.textContent = t(chosen === undefined ? 'transferChooseTarget' : 'transferNeedsNote');
        return;
      }
      const target: TransferTarget =
        chosen === 'queue' ? { kind: 'queue' } : { kind: 'officer', officerId: chosen.slice('officer:'.length) };
      confirm.disabled = true;
      error.textContent = '';
      deps.transfer(boothId, target, text).then(
        () => dialog.close(),
        (failure: unknown) => {
          confirm.disabled = false;
          error.textContent = `${t('transferFailed')} ${deps.describe(failure)}`;
        },
      );
    });
    dialog.replaceChildren(form);
    (form.querySelector<HTMLInputElement>('input[type="radio"]') ?? note).focus();
  };

  return {
    open(boothId) {
      const mine = ++opening;
      dialog.replaceChildren(element(doc, 'p', { text: t('transferLoading') }));
      if (!dialog.open) dialog.showModal();
      deps.targets(boothId).then(
        (view) => {
          if (mine === opening && dialog.open) show(boothId, view);
        },
        (failure: unknown) => {
          if (mine !== opening || !dialog.open) return;
          const back = backButton();
          dialog.replaceChildren(
            element(doc, 'p', {
              className: 'transfer-error',
              attributes: { role: 'alert' },
              text: `${t('transferFailed')} ${deps.describe(failure)}`,
            }),
            back,
          );
          back.focus();
        },
      );
    },
  };
}
