import { describeError } from '@bilik/shared/client';
import { fetchSession, goToSignIn } from '../session.js';
import { ApiError, leaveIfSignedOut } from '../http/api.js';
import { startPolling, type Poll } from '../http/poll.js';
import {
  createBooth,
  fetchBooths,
  issueEnrolmentCode,
  reloadBooth,
  revokeBooth,
  rotateCredential,
  runSelfTest,
  setOutOfService,
  type BoothView,
} from './api.js';
import { t, type TextKey } from './strings.js';
import { createFleetView } from './view.js';
import '../styles.css';
// The fleet page shares the supervisor page's board, panels, tables and branch select.
import '../supervisor/supervisor.css';
import './fleet.css';

/** How often the booths are asked for: enough to see a kiosk enrol while standing at it. */
const POLL_MS = 5_000;

let branchId = '';
// When the shown list was last current; null until the branch's first answer.
let lastAt: Date | null = null;
let poll: Poll | null = null;

const view = createFleetView({
  selectBranch(next) {
    branchId = next;
    // The address keeps the branch, so a reload or a bookmark comes back to it.
    const query = new URLSearchParams(location.search);
    query.set('branch', next);
    history.replaceState(null, '', `?${query.toString()}`);
    lastAt = null;
    view.showBooths(null);
    view.showCode(null);
    view.showError('load', null);
    view.showError('action', null);
    view.showDone(null);
    view.showFreshness({ state: 'loading' });
    poll?.restart();
  },
  createBooth(booth) {
    view.showError('action', null);
    view.showDone(null);
    view.showCreating(true);
    createBooth(branchId, booth).then(
      (code) => {
        view.showCreating(false, true);
        view.showCode({ ...code, name: booth.name });
        poll?.restart();
      },
      (error: unknown) => {
        view.showCreating(false);
        if (!leaveWhenSignedOut(error)) view.showError('action', t('createFailed', { detail: describeError(error) }));
      },
    );
  },
  issueCode(booth) {
    actOnBooth(booth, issueEnrolmentCode(booth.boothId), 'codeFailed', (code) => view.showCode({ ...code, name: booth.name }));
  },
  revoke(booth) {
    actOnBooth(booth, revokeBooth(booth.boothId), 'revokeFailed', () => {
      // Revoking voids the booth's open codes: the one on screen would only mislead.
      if (view.shownCodeBoothId() === booth.boothId) view.showCode(null);
    });
  },
  reload(booth) {
    actOnBooth(booth, reloadBooth(booth.boothId), 'reloadFailed', () => view.showDone(t('reloadSent', { booth: booth.boothId })));
  },
  setOutOfService(booth, outOfService) {
    actOnBooth(booth, setOutOfService(booth.boothId, outOfService), 'serviceFailed', () =>
      view.showDone(t(outOfService ? 'serviceOffDone' : 'serviceOnDone', { booth: booth.boothId })),
    );
  },
  rotate(booth) {
    // Refused (409) when the kiosk is not there to store the new credential: say so plainly.
    actOnBooth(
      booth,
      rotateCredential(booth.boothId),
      (error) => (error instanceof ApiError && error.status === 409 ? 'rotateOffline' : 'rotateFailed'),
      () => view.showDone(t('rotated', { booth: booth.boothId })),
    );
  },
  runSelfTest(booth) {
    actOnBooth(booth, runSelfTest(booth.boothId), 'selfTestFailed', () => view.showDone(t('selfTestSent', { booth: booth.boothId })));
  },
});

fetchSession().then(
  (account) => {
    if (!account) {
      goToSignIn('none');
      return;
    }
    view.showAdmin(account.displayName);
    if (account.role !== 'it_admin') {
      view.showNotice('notItAdmin');
      return;
    }
    // A branch in the address (a bookmark, a link from a colleague) comes first; the server decides whether it may be seen.
    const asked = new URLSearchParams(location.search).get('branch');
    const first = asked ?? account.branchIds[0];
    if (first === undefined) {
      view.showNotice('noBranch');
      return;
    }
    branchId = first;
    view.showBranches(account.branchIds.includes(first) ? account.branchIds : [...account.branchIds, first], first);
    view.showFreshness({ state: 'loading' });
    poll = startPolling(POLL_MS, () => fetchBooths(branchId), {
      onData(booths) {
        lastAt = new Date();
        view.showBooths(booths);
        view.showFreshness({ state: 'live', at: lastAt });
        view.showError('load', null);
      },
      onError(error) {
        if (leaveWhenSignedOut(error)) return;
        view.showFreshness({ state: 'stale', lastAt });
        const forbidden = error instanceof ApiError && error.status === 403;
        view.showError('load', forbidden ? t('forbidden', { branch: branchId }) : t('loadFailed', { detail: describeError(error) }));
      },
    });
  },
  (error: unknown) => view.showNotice('unreachable', describeError(error)),
);

/**
 * Runs one booth's action with its buttons disabled, then refreshes the list at once. `failure`
 * names the text of a failure (with {booth} and {detail}), or picks it by the error.
 */
function actOnBooth<T>(
  booth: BoothView,
  action: Promise<T>,
  failure: TextKey | ((error: unknown) => TextKey),
  done: (result: T) => void,
): void {
  view.showError('action', null);
  view.showDone(null);
  view.setBoothBusy(booth.boothId, true);
  action.then(
    (result) => {
      view.setBoothBusy(booth.boothId, false);
      done(result);
      poll?.restart();
    },
    (error: unknown) => {
      view.setBoothBusy(booth.boothId, false);
      const text = typeof failure === 'function' ? failure(error) : failure;
      if (!leaveWhenSignedOut(error)) view.showError('action', t(text, { booth: booth.boothId, detail: describeError(error) }));
    },
  );
}

/** Goes to sign-in when the session ended (signed out elsewhere, expired); true when it did. */
function leaveWhenSignedOut(error: unknown): boolean {
  return leaveIfSignedOut(error, () => poll?.stop());
}
