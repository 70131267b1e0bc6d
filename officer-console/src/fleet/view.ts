/**
 * The IT fleet page: who is signed in, the branch, its booths with their actions, the form that
 * adds a booth, and the one-time enrolment code to type on a kiosk.
 */
import { applyTranslations, byTestId } from '@bilik/shared/client';
import type { BoothView, EnrolmentCode } from './api.js';
import { createBoothsTable, type BoothActions } from './boothsTable.js';
import { summarizeFleet } from './fleetSummary.js';
import { formatTime, LANGUAGE, t, type TextKey } from './strings.js';
import { createBranchPicker } from '../branchPicker.js';

/** How current the booth list is. */
export type Freshness =
  | { state: 'loading' }
  | { state: 'live'; at: Date }
  /** The last poll failed: the list shown (if any) is as of `lastAt`. */
  | { state: 'stale'; lastAt: Date | null };

/**
 * Where an error came from: loading the list (cleared by the next good answer) or an action of the
 * administrator (cleared by their next action).
 */
export type ErrorSource = 'load' | 'action';

/** What the administrator asks for; the list changes when the server's next answer says so. */
export interface FleetIntents extends BoothActions {
  selectBranch(branchId: string): void;
  createBooth(booth: { id: string; name: string }): void;
}

/** The fleet page. */
export interface FleetView {
  /** Shows who is signed in. */
  showAdmin(displayName: string): void;
  /** Shows the branches to choose from: a select when there are several. */
  showBranches(branchIds: readonly string[], selected: string): void;
  /** Says why the page cannot show a branch (wrong role, no branch, no server). */
  showNotice(message: TextKey, detail?: string): void;
  /** Shows the branch's booths; null hides them, e.g. while another branch loads. */
  showBooths(booths: readonly BoothView[] | null): void;
  /** Shows how current the list is. */
  showFreshness(freshness: Freshness): void;
  /** Shows (or with null clears) the error of one source. */
  showError(source: ErrorSource, text: string | null): void;
  /** Says what the administrator's last action did, or with null clears it. */
  showDone(text: string | null): void;
  /** Shows a booth's new enrolment code large enough to read across the room; null hides it. */
  showCode(code: (EnrolmentCode & { name: string }) | null): void;
  /** The booth whose code is on screen, or null. */
  shownCodeBoothId(): string | null;
  /** Disables the form while a booth is being added; `added` empties it for the next booth. */
  showCreating(creating: boolean, added?: boolean): void;
  /** Disables a booth's buttons while a request for it is under way. */
  setBoothBusy(boothId: string, busy: boolean): void;
}

/** Binds the page to fleet/index.html, fills in its texts (data-i18n) and turns the administrator's choices into `intents`. */
export function createFleetView(intents: FleetIntents, doc: Document = document): FleetView {
  const find = byTestId(doc);
  const branchPicker = createBranchPicker(find, (branchId) => intents.selectBranch(branchId));
  const freshness = find<HTMLElement>('freshness');
  const notice = find<HTMLElement>('page-notice');
  const errorBox = find<HTMLElement>('fleet-error');
  const doneLine = find<HTMLElement>('fleet-done');
  const fleet = find<HTMLElement>('fleet');
  const summary = find<HTMLElement>('fleet-summary');
  const codePanel = find<HTMLElement>('enrolment-code-panel');
  const form = find<HTMLFormElement>('new-booth-form');
  const idInput = find<HTMLInputElement>('new-booth-id');
  const nameInput = find<HTMLInputElement>('new-booth-name');
  const submit = find<HTMLButtonElement>('new-booth-submit');

  doc.documentElement.lang = LANGUAGE;
  // The page's fixed texts (and the title the browser quotes for a mismatched booth id), named by data-i18n in fleet/index.html.
  applyTranslations(doc, t);

  const booths = createBoothsTable(find, doc, intents);
  let codeBoothId: string | null = null;
  const errors = new Map<ErrorSource, string>();

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    intents.createBooth({ id: idInput.value.trim(), name: nameInput.value.trim() });
  });
  find<HTMLElement>('enrolment-code-close').addEventListener('click', () => view.showCode(null));

  const view: FleetView = {
    showAdmin(displayName) {
      find<HTMLElement>('admin-name').textContent = displayName;
    },
    showBranches(branchIds, selected) {
      branchPicker.show(branchIds, selected);
    },
    showNotice(message, detail) {
      notice.hidden = false;
      notice.textContent = detail ? `${t(message)} ${detail}` : t(message);
      fleet.hidden = true;
      freshness.hidden = true;
    },
    showBooths(list) {
      fleet.hidden = list === null;
      booths.show(list ?? []);
      const counts = summarizeFleet(list ?? []);
      summary.dataset.fault = String(counts.fault);
      summary.dataset.offline = String(counts.offline);
      summary.dataset.inSession = String(counts.inSession);
      // Marked when something needs IT, so the line reads as a warning from across the room.
      summary.dataset.attention = String(counts.fault + counts.offline > 0);
      const text = t('summary', { ...counts });
      // Unchanged text is left alone, so that screen readers do not repeat it every poll.
      if (summary.textContent !== text) summary.textContent = text;
    },
    showFreshness(next) {
      freshness.dataset.state = next.state;
      // A stale list keeps the time of its last good answer; the error says the rest.
      const at = next.state === 'live' ? next.at : next.state === 'stale' ? next.lastAt : null;
      freshness.textContent = at ? t('updatedAt', { time: formatTime(at, true) }) : t(next.state === 'loading' ? 'loading' : 'notLoaded');
    },
    showError(source, text) {
      if (text === null) errors.delete(source);
      else errors.set(source, text);
      errorBox.hidden = errors.size === 0;
      const lines = [...errors.values()];
      // Unchanged text is left alone, so that screen readers do not repeat it every poll.
      if (errorBox.textContent !== lines.join('')) {
        errorBox.replaceChildren(
          ...lines.map((line) => {
            const paragraph = doc.createElement('p');
            paragraph.textContent = line;
            return paragraph;
          }),
        );
      }
    },
    showDone(text) {
      doneLine.hidden = text === null;
      doneLine.textContent = text ?? '';
    },
    showCode(code) {
      codeBoothId = code?.boothId ?? null;
      codePanel.hidden = code === null;
      if (!code) return;
      codePanel.dataset.boothId = code.boothId;
      find<HTMLElement>('enrolment-code-title').textContent = t('codeTitle', { name: code.name, booth: code.boothId });
      find<HTMLElement>('enrolment-code-shown').textContent = code.code;
      find<HTMLElement>('enrolment-code-expiry').textContent = t('codeExpiry', { time: formatTime(new Date(code.expiresAt)) });
      codePanel.scrollIntoView({ block: 'nearest' });
    },
    shownCodeBoothId: () => codeBoothId,
    showCreating(creating, added = false) {
      submit.disabled = creating;
      if (added) form.reset();
    },
    setBoothBusy(boothId, busy) {
      booths.setBusy(boothId, busy);
    },
  };
  return view;
}
