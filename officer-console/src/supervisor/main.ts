import { byTestId, describeError } from '@bilik/shared/client';
import { fetchSession, goToSignIn } from '../session.js';
import { leaveIfSignedOut } from '../http/api.js';
import { startPolling, type Poll } from '../http/poll.js';
import { fetchBranchQueue, fetchOutcomeFailures, recallOfficer, setOfficerCapacity } from './api.js';
import { startHelpRequestsPanel, type HelpRequestsPanel } from './helpRequests.js';
import { createMonitorPanel } from './monitorPanel.js';
import { startReviewsPanel, type ReviewsPanel } from './reviewsPanel.js';
import { startTrendPanel, type TrendPanel } from './trendPanel.js';
import { createSupervisorView } from './view.js';
import { startWrapUpCodesPanel, type WrapUpCodesPanel } from './wrapUpCodesPanel.js';
import '../styles.css';
import './supervisor.css';

/** How often the queue is asked for: often enough that waits read as live, rarely enough for a branch's supervisors. */
const POLL_MS = 2_000;

let branchId = '';
// When the shown data was last current; null until the branch's first answer.
let lastAt: Date | null = null;
let poll: Poll | null = null;
let help: HelpRequestsPanel | null = null;
let reviews: ReviewsPanel | null = null;
let trend: TrendPanel | null = null;
let wrapUpCodes: WrapUpCodesPanel | null = null;

const view = createSupervisorView({
  selectBranch(next) {
    monitorPanel.stop();
    branchId = next;
    lastAt = null;
    view.showQueue(null);
    view.showFreshness({ state: 'loading' });
    poll?.restart();
    help?.restart();
    reviews?.restart();
    trend?.restart();
    wrapUpCodes?.restart();
  },
  setCapacity(accountId, capacity) {
    view.showCapacityChange(accountId, { kind: 'saving' });
    setOfficerCapacity(accountId, capacity).then(
      () => {
        view.showCapacityChange(accountId, { kind: 'saved' });
        // At once, and never with an answer from before the change.
        poll?.restart();
      },
      (error: unknown) => {
        if (leaveWhenSignedOut(error)) return;
        view.showCapacityChange(accountId, { kind: 'failed', detail: describeError(error) });
      },
    );
  },
  recall(accountId) {
    view.showRecall(accountId, { kind: 'sending' });
    recallOfficer(accountId).then(
      () => view.showRecall(accountId, { kind: 'sent', at: new Date() }),
      (error: unknown) => {
        if (leaveWhenSignedOut(error)) return;
        view.showRecall(accountId, { kind: 'failed', detail: describeError(error) });
      },
    );
  },
});

const monitorPanel = createMonitorPanel(byTestId(document));

fetchSession().then(
  (account) => {
    if (!account) {
      goToSignIn('none');
      return;
    }
    view.showSupervisor(account.displayName);
    if (account.role !== 'supervisor') {
      view.showNotice('notSupervisor');
      return;
    }
    const [first] = account.branchIds;
    if (first === undefined) {
      view.showNotice('noBranch');
      return;
    }
    branchId = first;
    view.showBranches(account.branchIds, first);
    view.showFreshness({ state: 'loading' });
    // The outcome failures come with each poll of the queue, so both are of the same moment and branch.
    poll = startPolling(POLL_MS, () => Promise.all([fetchBranchQueue(branchId), fetchOutcomeFailures(branchId)]), {
      onData([queue, failures]) {
        lastAt = new Date();
        view.showQueue(queue);
        view.showOutcomeFailures(failures);
        monitorPanel.showVisits(queue.officers);
        view.showFreshness({ state: 'live', at: lastAt });
      },
      onError(error) {
        if (leaveWhenSignedOut(error)) return;
        // The last data stays on screen, marked stale, while polling goes on.
        view.showFreshness({ state: 'stale', lastAt, detail: describeError(error) });
      },
    });
    help = startHelpRequestsPanel(() => branchId, leaveWhenSignedOut);
    reviews = startReviewsPanel(() => branchId, leaveWhenSignedOut);
    trend = startTrendPanel(() => branchId, leaveWhenSignedOut);
    wrapUpCodes = startWrapUpCodesPanel(() => branchId, leaveWhenSignedOut);
  },
  (error: unknown) => view.showNotice('unreachable', describeError(error)),
);

/** Goes to sign-in when the session ended (signed out elsewhere, expired); true when it did. */
function leaveWhenSignedOut(error: unknown): boolean {
  return leaveIfSignedOut(error, () => {
    poll?.stop();
    help?.stop();
    reviews?.stop();
    trend?.stop();
  });
}
