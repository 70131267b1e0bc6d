/**
 * The supervisor page: who is signed in, the branch, how fresh the data is, and the branch's
 * queue, officers and numbers of the day.
 */
import { applyTranslations, byTestId } from '@bilik/shared/client';
import { WAIT_HISTOGRAM_MINUTES, type BranchQueueView, type DurationSummary, type WaitingBoothView } from '@bilik/shared/journey';
import { formatClock } from '../format.js';
import type { OutcomeFailureView } from '@bilik/shared/outcome';
import { createOfficersTable, type CapacityChange, type RecallChange } from './officersTable.js';
import { createOutcomeFailuresTable } from './outcomeFailuresTable.js';
import { unstaffedQueue } from './staffing.js';
import { formatDuration, formatNumber, formatTime, LANGUAGE, serviceName, t, type TextKey } from './strings.js';
import { headRow } from '../table.js';
import { createBranchPicker } from '../branchPicker.js';

/** How current the shown data is. */
export type Freshness =
  | { state: 'loading' }
  | { state: 'live'; at: Date }
  /** The last poll failed: the data shown (if any) is as of `lastAt`. */
  | { state: 'stale'; lastAt: Date | null; detail: string };

/** What the supervisor asks for; the page changes when the server's next answer says so. */
export interface SupervisorIntents {
  selectBranch(branchId: string): void;
  setCapacity(accountId: string, capacity: number): void;
  /** Asks an officer on a break to come back (a message on their console). */
  recall(accountId: string): void;
}

/** The supervisor page. */
export interface SupervisorView {
  /** Shows who is signed in. */
  showSupervisor(displayName: string): void;
  /** Shows the supervisor's branches: a select when there are several. */
  showBranches(branchIds: readonly string[], selected: string): void;
  /** Says why the page cannot show a branch (not a supervisor, no branch, no server). */
  showNotice(message: TextKey, detail?: string): void;
  /** Shows a branch's queue, officers and day; null clears them, e.g. while another branch loads. */
  showQueue(queue: BranchQueueView | null): void;
  /** Shows how current the data is, and marks it stale when polling fails. */
  showFreshness(freshness: Freshness): void;
  /** Shows how a capacity change of one officer went. */
  showCapacityChange(accountId: string, change: CapacityChange): void;
  /** Shows how asking one officer back went. */
  showRecall(accountId: string, change: RecallChange): void;
  /** Shows the branch's verification outcomes that failed or wait to be retried (officers named as in the last queue shown). */
  showOutcomeFailures(failures: readonly OutcomeFailureView[]): void;
}

const QUEUE_COLUMNS: readonly TextKey[] = ['colPlace', 'colBooth', 'colService', 'colTicket', 'colPriority', 'colWaited', 'colConnection'];

/** Today's numbers, each with the test id of its value and how it is read from the day. */
const TODAY_NUMBERS: readonly { label: TextKey; testId: string; value: (today: BranchQueueView['today']) => string }[] = [
  { label: 'served', testId: 'today-served', value: (today) => String(today.sessions.count) },
  { label: 'waitMedian', testId: 'today-wait-median', value: (today) => duration(today.waits, today.waits.medianMs) },
  { label: 'waitP90', testId: 'today-wait-p90', value: (today) => duration(today.waits, today.waits.p90Ms) },
  { label: 'waitMax', testId: 'today-wait-max', value: (today) => duration(today.waits, today.waits.maxMs) },
  { label: 'sessionMedian', testId: 'today-session-median', value: (today) => duration(today.sessions, today.sessions.medianMs) },
];

/** Binds the page to supervisor/index.html, fills in its texts (data-i18n) and turns the supervisor's choices into `intents`. */
export function createSupervisorView(intents: SupervisorIntents, doc: Document = document): SupervisorView {
  const find = byTestId(doc);
  const branchPicker = createBranchPicker(find, (branchId) => intents.selectBranch(branchId));
  const freshness = find<HTMLElement>('freshness');
  const notice = find<HTMLElement>('page-notice');
  const stale = find<HTMLElement>('stale-notice');
  const waitAlert = find<HTMLElement>('wait-alert');
  const staffingAlert = find<HTMLElement>('staffing-alert');
  const panels = find<HTMLElement>('panels');
  const queueTable = find<HTMLTableElement>('queue-table');
  const queueBody = queueTable.tBodies[0] ?? queueTable.createTBody();
  const queueEmpty = find<HTMLElement>('queue-empty');
  const histogram = find<HTMLElement>('wait-histogram');

  doc.documentElement.lang = LANGUAGE;
  // The page's fixed texts, named by data-i18n in supervisor/index.html.
  applyTranslations(doc, t);
  queueTable.tHead?.append(
    headRow(
      doc,
      QUEUE_COLUMNS.map((column) => t(column)),
    ),
  );

  const officers = createOfficersTable(find, doc, {
    setCapacity: (accountId, capacity) => intents.setCapacity(accountId, capacity),
    recall: (accountId) => intents.recall(accountId),
  });
  const failures = createOutcomeFailuresTable(find, doc);
  let officerNames = new Map<string, string>();

  const numbers = TODAY_NUMBERS.map((number) => {
    const term = doc.createElement('dt');
    term.textContent = t(number.label);
    const value = doc.createElement('dd');
    value.dataset.testid = number.testId;
    // A div per pair, as HTML allows in a dl, so that each pair is one cell of the grid.
    const pair = doc.createElement('div');
    pair.append(term, value);
    find<HTMLElement>('today-numbers').append(pair);
    return { value, read: number.value };
  });

  const buckets = bucketLabels().map((label, index) => {
    const item = doc.createElement('li');
    item.dataset.testid = 'histogram-bucket';
    item.dataset.bucket = String(index);
    const name = doc.createElement('span');
    name.className = 'histogram-label';
    name.textContent = label;
    const bar = doc.createElement('span');
    bar.className = 'histogram-bar';
    bar.setAttribute('aria-hidden', 'true');
    const fill = doc.createElement('span');
    fill.className = 'histogram-fill';
    bar.append(fill);
    const count = doc.createElement('span');
    count.className = 'histogram-count';
    item.append(name, bar, count);
    histogram.append(item);
    return { item, fill, count };
  });

  /** Sets a live region's text only when it changes, so screen readers do not repeat it every poll. */
  const say = (element: HTMLElement, text: string | null): void => {
    element.hidden = text === null;
    if (text !== null && element.textContent !== text) element.textContent = text;
  };

  const showDay = (today: BranchQueueView['today']): void => {
    for (const number of numbers) number.value.textContent = number.read(today);
    const tallest = Math.max(1, ...today.waitHistogram);
    buckets.forEach((bucket, index) => {
      const count = today.waitHistogram[index] ?? 0;
      bucket.item.dataset.count = String(count);
      bucket.count.textContent = String(count);
      bucket.fill.style.setProperty('--share', String(count / tallest));
    });
  };

  return {
    showSupervisor(displayName) {
      find<HTMLElement>('supervisor-name').textContent = displayName;
    },
    showBranches(branchIds, selected) {
      branchPicker.show(branchIds, selected);
    },
    showNotice(message, detail) {
      say(notice, detail ? `${t(message)} ${detail}` : t(message));
      panels.hidden = true;
      freshness.hidden = true;
    },
    showQueue(queue) {
      panels.hidden = queue === null;
      if (!queue) {
        say(waitAlert, null);
        say(staffingAlert, null);
        return;
      }
      const unstaffed = unstaffedQueue(queue);
      say(staffingAlert, unstaffed ? t('staffingAlert', { ...unstaffed }) : null);
      const over = queue.waiting.filter((booth) => booth.overMaxWait).length;
      say(waitAlert, over > 0 ? t('waitAlert', { count: over, minutes: formatNumber(queue.maxWaitMs / 60_000) }) : null);
      queueBody.replaceChildren(...queue.waiting.map((booth, index) => queueRow(doc, booth, index + 1)));
      queueEmpty.hidden = queue.waiting.length > 0;
      officers.show(queue.officers);
      officerNames = new Map(queue.officers.map((officer) => [officer.accountId, officer.displayName]));
      showDay(queue.today);
    },
    showFreshness(next) {
      freshness.dataset.state = next.state;
      panels.classList.toggle('is-stale', next.state === 'stale');
      switch (next.state) {
        case 'loading':
          freshness.textContent = t('loading');
          say(stale, null);
          break;
        case 'live':
          freshness.textContent = t('updatedAt', { time: formatTime(next.at) });
          say(stale, null);
          break;
        case 'stale':
          // The header keeps the time of the last good answer; the strip says the rest.
          say(stale, `${next.lastAt ? t('staleSince', { time: formatTime(next.lastAt) }) : t('staleNever')} (${next.detail})`);
          break;
      }
    },
    showCapacityChange(accountId, change) {
      officers.showCapacityChange(accountId, change);
    },
    showRecall(accountId, change) {
      officers.showRecall(accountId, change);
    },
    showOutcomeFailures(list) {
      failures.show(list, officerNames);
    },
  };
}

function queueRow(doc: Document, booth: WaitingBoothView, place: number): HTMLTableRowElement {
  const row = doc.createElement('tr');
  row.dataset.testid = 'queue-row';
  row.dataset.boothId = booth.boothId;
  row.dataset.overMaxWait = String(booth.overMaxWait);
  row.classList.toggle('is-over', booth.overMaxWait);
  if (booth.overMaxWait) row.title = t('overMaxWaitHint');

  const cell = (...content: (Node | string)[]): HTMLTableCellElement => {
    const td = doc.createElement('td');
    td.append(...content);
    return td;
  };
  const priority = doc.createElement('span');
  priority.className = 'badge badge-priority';
  priority.dataset.testid = 'priority-badge';
  priority.textContent = t('priority');
  priority.title = t('priorityHint');
  const away = doc.createElement('span');
  away.className = 'away';
  away.dataset.testid = 'booth-away';
  away.textContent = t('away');
  away.title = t('awayHint');
  const waited = doc.createElement('time');
  waited.className = 'waited';
  waited.dataset.testid = 'waited';
  waited.textContent = formatClock(booth.waitedMs);

  row.append(
    cell(String(place)),
    cell(booth.boothId),
    cell(serviceName(booth.service)),
    cell(booth.ticket ?? t('none')),
    cell(...(booth.priority ? [priority] : [])),
    cell(waited),
    cell(...(booth.away ? [away] : [])),
  );
  return row;
}

/** "0–2 menit", "2–5 menit", … ">20 menit", from the buckets' upper bounds. */
function bucketLabels(): string[] {
  const labels = WAIT_HISTOGRAM_MINUTES.map((to, index) => t('bucket', { from: WAIT_HISTOGRAM_MINUTES[index - 1] ?? 0, to }));
  return [...labels, t('bucketLast', { from: Math.max(...WAIT_HISTOGRAM_MINUTES) })];
}

/** A duration of today's summary, or a dash when there is nothing to summarize yet. */
function duration(summary: DurationSummary, ms: number): string {
  return summary.count > 0 ? formatDuration(ms) : t('none');
}
