/**
 * Verification outcomes of the branch that could not be recorded or forwarded to the claims back
 * office: those that failed for good (someone must act) and those waiting to be tried again. An
 * officer's decision must never be lost silently, so the supervisor sees every one.
 */
import type { TestIdFinder } from '@bilik/shared/client';
import type { OutcomeFailureView } from '@bilik/shared/outcome';
import { headRow } from '../table.js';
import { decisionName, formatTime, t, type TextKey } from './strings.js';

/** The failures panel. */
export interface OutcomeFailuresTable {
  /** Shows these failures; `officerNames` names the officers the page knows (by account id). */
  show(failures: readonly OutcomeFailureView[], officerNames: ReadonlyMap<string, string>): void;
}

const COLUMNS: readonly TextKey[] = [
  'colFailureState',
  'colFailureKind',
  'colFailedAt',
  'colBooth',
  'colOfficer',
  'colDecision',
  'colVisit',
  'colAttempts',
  'colLastError',
];

/** How many characters of a visit id tell visits apart on screen; the whole id is in the tooltip. */
const SHORT_ID = 8;

/** Binds the failures panel of supervisor/index.html. */
export function createOutcomeFailuresTable(find: TestIdFinder, doc: Document): OutcomeFailuresTable {
  const table = find<HTMLTableElement>('outcome-failures-table');
  const body = table.tBodies[0] ?? table.createTBody();
  const empty = find<HTMLElement>('outcome-failures-empty');
  const alert = find<HTMLElement>('outcome-failures-alert');
  table.tHead?.append(
    headRow(
      doc,
      COLUMNS.map((column) => t(column)),
    ),
  );

  const row = (failure: OutcomeFailureView, officerNames: ReadonlyMap<string, string>): HTMLTableRowElement => {
    const tr = doc.createElement('tr');
    tr.dataset.testid = 'outcome-failure-row';
    tr.dataset.jobId = failure.jobId;
    tr.dataset.kind = failure.kind;
    tr.dataset.state = failure.state;
    tr.classList.toggle('is-failed', failure.state === 'failed');
    const cell = (text: string, title?: string): HTMLTableCellElement => {
      const td = doc.createElement('td');
      td.textContent = text;
      if (title !== undefined) td.title = title;
      return td;
    };
    const error = cell(failure.lastError, failure.lastError);
    error.className = 'failure-error';
    tr.append(
      cell(t(failure.state === 'failed' ? 'failureFailed' : 'failureRetrying')),
      cell(t(failure.kind === 'record' ? 'failureRecord' : 'failureForward')),
      cell(failure.failedAt === null ? t('none') : formatTime(new Date(failure.failedAt))),
      cell(failure.boothId),
      cell(officerNames.get(failure.officerId) ?? failure.officerId),
      cell(decisionName(failure.decision)),
      cell(failure.visitId.slice(0, SHORT_ID), failure.visitId),
      cell(t('attempts', { made: failure.attempts, max: failure.maxAttempts })),
      error,
    );
    return tr;
  };

  return {
    show(failures, officerNames) {
      body.replaceChildren(...failures.map((failure) => row(failure, officerNames)));
      empty.hidden = failures.length > 0;
      const failed = failures.filter((failure) => failure.state === 'failed').length;
      alert.hidden = failed === 0;
      const text = t('failuresAlert', { count: failed });
      // Set only when it changes, so screen readers do not repeat it every poll.
      if (failed > 0 && alert.textContent !== text) alert.textContent = text;
    },
  };
}
