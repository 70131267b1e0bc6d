/**
 * The kiosks whose claimants pressed "Bantuan": a short list above everything else, each booth
 * with when it first asked, until a supervisor marks it handled. Polled on its own, so it stays
 * apart from the queue's panels and their data.
 */
import { byTestId } from '@bilik/shared/client';
import type { HelpRequestView } from '@bilik/shared/journey';
import { startPolling, type Poll } from '../http/poll.js';
import { clearHelpRequest, fetchHelpRequests } from './api.js';
import { formatTime, t } from './strings.js';

/** As often as the queue: a claimant waiting for someone to come should not wait on the page. */
const POLL_MS = 2_000;

/** The running list. */
export interface HelpRequestsPanel {
  /** Asks now, e.g. for another branch, dropping what was shown. */
  restart(): void;
  stop(): void;
}

/**
 * Shows the help requests of `branchId()` in supervisor/index.html's help panel; an error that
 * `signedOut` handles (the session ended) stops the list, others keep the last list shown.
 */
export function startHelpRequestsPanel(
  branchId: () => string,
  signedOut: (error: unknown) => boolean,
  doc: Document = document,
): HelpRequestsPanel {
  const find = byTestId(doc);
  const panel = find('help-requests');
  const list = find('help-list');

  const row = (help: HelpRequestView): HTMLLIElement => {
    const item = doc.createElement('li');
    item.className = 'help-row';
    item.dataset.testid = 'help-row';
    item.dataset.boothId = help.boothId;
    const booth = doc.createElement('strong');
    booth.textContent = help.boothId;
    const since = doc.createElement('span');
    since.dataset.testid = 'help-since';
    since.textContent = t('helpSince', { time: formatTime(new Date(help.requestedAt)) });
    const clear = doc.createElement('button');
    clear.type = 'button';
    clear.className = 'button';
    clear.dataset.testid = 'help-clear';
    clear.textContent = t('helpClear');
    clear.addEventListener('click', () => {
      clear.disabled = true;
      clearHelpRequest(branchId(), help.boothId).then(
        () => poll.restart(),
        (error: unknown) => {
          if (signedOut(error)) return;
          clear.disabled = false;
          clear.textContent = t('helpClearFailed');
        },
      );
    });
    item.append(booth, since, clear);
    return item;
  };

  const show = (requests: readonly HelpRequestView[]): void => {
    panel.hidden = requests.length === 0;
    list.replaceChildren(...requests.map(row));
  };

  const poll: Poll = startPolling(POLL_MS, () => fetchHelpRequests(branchId()), {
    onData: show,
    onError(error) {
      signedOut(error);
    },
  });

  return {
    restart() {
      show([]);
      poll.restart();
    },
    stop: () => poll.stop(),
  };
}
