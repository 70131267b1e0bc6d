/**
 * "14 hari terakhir": the branch's figures per day next to today's, so a supervisor sees whether
 * waits grow over the weeks, not only this morning. The server copies each day's figures into its
 * database every few minutes, so the panel asks rarely; today's live figures stay in "Hari ini".
 */
import { byTestId, element } from '@bilik/shared/client';
import type { BranchQueueDays, DurationSummary, QueueDayFigures } from '@bilik/shared/journey';
import { startPolling, type Poll } from '../http/poll.js';
import { headRow } from '../table.js';
import { fetchQueueDays } from './api.js';
import { formatDay, formatDuration, t, type TextKey } from './strings.js';

/** The days shown: two working weeks. */
const TREND_DAYS = 14;
/** The figures change every few minutes at most (see the server's QueueHistory). */
const POLL_MS = 60_000;

const COLUMNS: readonly TextKey[] = ['trendDay', 'served', 'waitMedian', 'waitP90', 'waitMax', 'sessionMedian'];

/** The running panel. */
export interface TrendPanel {
  /** Asks now, e.g. for another branch, dropping what was shown. */
  restart(): void;
  stop(): void;
}

/**
 * Shows the last TREND_DAYS days of `branchId()` in supervisor/index.html's trend panel, newest
 * first; an error that `signedOut` handles stops it, others keep the last table shown.
 */
export function startTrendPanel(branchId: () => string, signedOut: (error: unknown) => boolean, doc: Document = document): TrendPanel {
  const find = byTestId(doc);
  const table = find<HTMLTableElement>('trend-table');
  const empty = find('trend-empty');
  table.tHead?.replaceChildren(
    headRow(
      doc,
      COLUMNS.map((column) => t(column)),
    ),
  );
  const body = table.tBodies[0]!;

  const cell = (testId: string, text: string): HTMLTableCellElement => element(doc, 'td', { testId, text });
  const duration = (summary: DurationSummary, ms: number): string => (summary.count > 0 ? formatDuration(ms) : t('none'));
  const row = (figures: QueueDayFigures): HTMLTableRowElement => {
    const { waits, sessions } = figures;
    const day = element(doc, 'th', { testId: 'trend-day', text: formatDay(figures.day), attributes: { scope: 'row' } });
    const cells = [
      cell('trend-served', String(sessions.count)),
      cell('trend-wait-median', duration(waits, waits.medianMs)),
      cell('trend-wait-p90', duration(waits, waits.p90Ms)),
      cell('trend-wait-max', duration(waits, waits.maxMs)),
      cell('trend-session-median', duration(sessions, sessions.medianMs)),
    ];
    return element(doc, 'tr', { testId: 'trend-row', attributes: { 'data-day': figures.day } }, day, ...cells);
  };

  const show = (trend: BranchQueueDays | null): void => {
    const days = trend?.days ?? [];
    body.replaceChildren(...[...days].reverse().map(row));
    table.hidden = days.length === 0;
    empty.hidden = trend === null || days.length > 0;
  };

  const poll: Poll = startPolling(POLL_MS, () => fetchQueueDays(branchId(), TREND_DAYS), {
    onData: show,
    onError(error) {
      signedOut(error);
    },
  });

  return {
    restart() {
      show(null);
      poll.restart();
    },
    stop: () => poll.stop(),
  };
}
