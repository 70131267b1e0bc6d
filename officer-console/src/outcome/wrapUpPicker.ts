/**
 * After-session wrap-up: each visit the officer ended waits in a small box at the corner of the
 * screen until the officer files it under one of the wrap-up codes of the visit's branch (its
 * default chosen already): an officer serving several branches is offered no other branch's codes,
 * which the server would refuse. A visit the server filed meanwhile (the wrap-up timer filed the default) leaves
 * the box when the officer tries to file it.
 */
import { element } from '@bilik/shared/client';
import type { WrapUpCodeView } from '@bilik/shared/outcome';
import { t } from '../strings.js';

export interface WrapUpPickerDeps {
  /** The wrap-up codes of a branch, retired ones included. */
  loadCodes(branchId: string): Promise<WrapUpCodeView[]>;
  /** Sends `wrapup:file`; rejects with the server's refusal. */
  file(visitId: string, codeId: string): Promise<unknown>;
  /** Whether a refusal means the visit no longer waits for a code (filed already, or gone). */
  settled(error: unknown): boolean;
  describe(error: unknown): string;
}

/** A visit the officer ended, waiting for its code. */
export interface EndedVisit {
  visitId: string;
  boothId: string;
  branchId: string;
}

export interface WrapUpPicker {
  /** The officer ended this booth's visit at `branchId`: it waits for its code. */
  ended(visit: EndedVisit): void;
}

/** Creates the box (hidden while no visit waits), at the end of `doc.body`. */
export function createWrapUpPicker(deps: WrapUpPickerDeps, doc: Document = document): WrapUpPicker {
  const list = element(doc, 'div', { className: 'wrap-up-list' });
  const box = element(
    doc,
    'section',
    { className: 'wrap-up', testId: 'wrap-up' },
    element(doc, 'h2', { className: 'wrap-up-title', text: t('wrapUpTitle') }),
    element(doc, 'p', { className: 'wrap-up-hint', text: t('wrapUpHint') }),
    list,
  );
  box.hidden = true;
  doc.body.append(box);
  const redraw = (): void => {
    box.hidden = list.childElementCount === 0;
  };

  const row = (visit: EndedVisit, codes: WrapUpCodeView[]): HTMLElement => {
    const select = element(doc, 'select', { className: 'wrap-up-code', testId: 'wrap-up-code' });
    for (const code of codes) {
      const option = element(doc, 'option', { text: code.label });
      option.value = code.id;
      option.selected = code.isDefault;
      select.append(option);
    }
    const save = element(doc, 'button', { className: 'button wrap-up-save', testId: 'wrap-up-save', text: t('wrapUpSave') });
    save.type = 'button';
    const problem = element(doc, 'p', { className: 'wrap-up-problem', testId: 'wrap-up-problem' });
    const entry = element(
      doc,
      'div',
      { className: 'wrap-up-row', testId: 'wrap-up-row' },
      element(doc, 'span', { className: 'wrap-up-booth', text: t('wrapUpBooth', { booth: visit.boothId }) }),
      select,
      save,
      problem,
    );
    entry.dataset.visitId = visit.visitId;
    save.addEventListener('click', () => {
      save.disabled = true;
      deps.file(visit.visitId, select.value).then(
        () => {
          entry.remove();
          redraw();
        },
        (error: unknown) => {
          save.disabled = false;
          if (deps.settled(error)) {
            entry.remove();
            redraw();
            return;
          }
          problem.textContent = t('wrapUpFailed', { detail: deps.describe(error) });
        },
      );
    });
    return entry;
  };

  return {
    ended(visit) {
      deps.loadCodes(visit.branchId).then(
        (all) => {
          const codes = all.filter((code) => !code.retired);
          // A branch without codes has nothing to file under.
          if (codes.length === 0) return;
          list.append(row(visit, codes));
          redraw();
        },
        // Without the list there is nothing to pick from; the wrap-up timer files the default code.
        () => undefined,
      );
    },
  };
}
