/**
 * "Kode penyelesaian": the branch's wrap-up codes, which officers file each ended visit under. The
 * supervisor adds a code (optionally as the default), renames one, makes one the default the
 * wrap-up timer files, retires one or brings it back. The list is asked for when the page opens,
 * when the branch changes and after each change, not polled: a poll would redraw a name being typed.
 * The server decides what is allowed (a live name is unique in the branch, the default is never
 * retired); its refusals are told in words here.
 */
import { byTestId, element } from '@bilik/shared/client';
import { MAX_WRAP_UP_LABEL_LENGTH, type WrapUpCodeView } from '@bilik/shared/outcome';
import { ApiError } from '../http/api.js';
import { addWrapUpCode, changeWrapUpCode, fetchWrapUpCodes } from './api.js';
import { t, type TextKey } from './strings.js';

/** The running panel. */
export interface WrapUpCodesPanel {
  /** Shows the codes of the branch now selected, dropping what was shown. */
  restart(): void;
}

/** What a change was, so the server's refusal can be told in words. */
type Change = 'add' | 'rename' | 'makeDefault' | 'retire' | 'restore';

/** The refusal of a change in words: a conflict means a different thing for each kind of change. */
function refusalText(change: Change, error: unknown, label: string): string {
  if (error instanceof ApiError && error.status === 409) {
    if (change === 'add' || change === 'rename' || change === 'restore') return t('wrapUpCodeDuplicate', { label });
    if (change === 'retire') return t('wrapUpCodeRetireDefault');
  }
  if (error instanceof ApiError && error.status === 400 && (change === 'add' || change === 'rename')) {
    return t('wrapUpCodeBadLabel', { max: MAX_WRAP_UP_LABEL_LENGTH });
  }
  return t('wrapUpCodeFailed', { detail: error instanceof Error ? error.message : String(error) });
}

/**
 * Shows the wrap-up codes of `branchId()` in supervisor/index.html's wrap-up codes panel; an error
 * that `signedOut` handles (the session ended) leaves it to the page.
 */
export function startWrapUpCodesPanel(
  branchId: () => string,
  signedOut: (error: unknown) => boolean,
  doc: Document = document,
): WrapUpCodesPanel {
  const find = byTestId(doc);
  const list = find('wrap-up-code-list');
  const empty = find('wrap-up-codes-empty');
  const problem = find('wrap-up-codes-problem');
  const addForm = find<HTMLFormElement>('wrap-up-code-add');
  const newLabel = find<HTMLInputElement>('wrap-up-code-new');
  const newDefault = find<HTMLInputElement>('wrap-up-code-new-default');
  const addButton = find<HTMLButtonElement>('wrap-up-code-add-button');
  newLabel.maxLength = MAX_WRAP_UP_LABEL_LENGTH;
  // Bumped by every load: only the answer of the latest counts (the branch may have changed meanwhile).
  let epoch = 0;

  const tell = (text: string | null): void => {
    problem.textContent = text ?? '';
    problem.hidden = text === null;
  };

  const load = (): void => {
    const mine = ++epoch;
    fetchWrapUpCodes(branchId()).then(
      (codes) => {
        if (mine === epoch) show(codes);
      },
      (error: unknown) => {
        if (mine !== epoch || signedOut(error)) return;
        tell(t('wrapUpCodesUnavailable', { detail: error instanceof Error ? error.message : String(error) }));
      },
    );
  };

  /** Sends one change with `controls` disabled meanwhile; reloads the list once it is done. */
  const send = (change: Change, label: string, controls: HTMLButtonElement[], work: () => Promise<unknown>): void => {
    tell(null);
    for (const control of controls) control.disabled = true;
    work().then(
      () => {
        // A row's controls are redrawn by the reload; the add form's are kept.
        for (const control of controls) control.disabled = false;
        if (change === 'add') {
          newLabel.value = '';
          newDefault.checked = false;
        }
        load();
      },
      (error: unknown) => {
        for (const control of controls) control.disabled = false;
        if (signedOut(error)) return;
        tell(refusalText(change, error, label));
      },
    );
  };

  const button = (testId: string, key: TextKey, onClick: (self: HTMLButtonElement) => void): HTMLButtonElement => {
    const created = element(doc, 'button', { className: 'button', testId, text: t(key) });
    created.type = 'button';
    created.addEventListener('click', () => onClick(created));
    return created;
  };

  const row = (code: WrapUpCodeView): HTMLLIElement => {
    const item = element(doc, 'li', { className: 'wrap-up-code-row', testId: 'wrap-up-code-row' });
    item.dataset.codeId = code.id;
    item.dataset.default = String(code.isDefault);
    item.dataset.retired = String(code.retired);

    const inputId = `wrap-up-code-label-${code.id}`;
    const label = element(doc, 'input', { className: 'wrap-up-code-label', testId: 'wrap-up-code-label' });
    label.id = inputId;
    label.type = 'text';
    label.value = code.label;
    label.maxLength = MAX_WRAP_UP_LABEL_LENGTH;
    label.setAttribute('aria-label', t('wrapUpCodeLabelOf', { label: code.label }));
    const rename = button('wrap-up-code-rename', 'wrapUpCodeRename', (self) => {
      const next = label.value.trim();
      if (next === '') {
        tell(t('wrapUpCodeEmpty'));
        return;
      }
      if (next === code.label) return;
      send('rename', next, [self], () => changeWrapUpCode(code.id, { label: next }));
    });
    label.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') rename.click();
    });
    item.append(label, rename);

    if (code.isDefault) {
      item.append(
        element(doc, 'span', { className: 'wrap-up-code-badge', testId: 'wrap-up-code-default', text: t('wrapUpCodeIsDefault') }),
      );
    } else if (!code.retired) {
      item.append(
        button('wrap-up-code-make-default', 'wrapUpCodeMakeDefault', (self) =>
          send('makeDefault', code.label, [self], () => changeWrapUpCode(code.id, { isDefault: true })),
        ),
      );
    }
    if (code.retired) {
      item.append(
        element(doc, 'span', { className: 'wrap-up-code-badge is-retired', text: t('wrapUpCodeIsRetired') }),
        button('wrap-up-code-restore', 'wrapUpCodeRestore', (self) =>
          send('restore', code.label, [self], () => changeWrapUpCode(code.id, { retired: false })),
        ),
      );
    } else {
      item.append(
        button('wrap-up-code-retire', 'wrapUpCodeRetire', (self) =>
          send('retire', code.label, [self], () => changeWrapUpCode(code.id, { retired: true })),
        ),
      );
    }
    return item;
  };

  const show = (codes: readonly WrapUpCodeView[]): void => {
    empty.hidden = codes.length > 0;
    list.replaceChildren(...codes.map(row));
  };

  addForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const label = newLabel.value.trim();
    if (label === '') {
      tell(t('wrapUpCodeEmpty'));
      return;
    }
    const isDefault = newDefault.checked;
    send('add', label, [addButton], () => addWrapUpCode(branchId(), { label, isDefault }));
  });

  load();
  return {
    restart() {
      tell(null);
      show([]);
      load();
    },
  };
}
