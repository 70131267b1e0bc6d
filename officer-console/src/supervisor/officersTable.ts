/**
 * The officers of the branch: state, load and a capacity select per officer. Rows are kept across
 * polls, so that a select the supervisor is using is neither rebuilt nor reset under their hand.
 */
import type { OfficerLoadView } from '@bilik/shared/journey';
import type { TestIdFinder } from '@bilik/shared/client';
import { formatTime, t, workStateName, type TextKey } from './strings.js';
import { KeyedList } from '../keyedList.js';
import { headRow } from '../table.js';

/** Where a capacity change the supervisor made stands. */
export type CapacityChange = { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; detail: string };

/** Where asking an officer back stands. */
export type RecallChange = { kind: 'sending' } | { kind: 'sent'; at: Date } | { kind: 'failed'; detail: string };

/** What the supervisor asks of one officer. */
export interface OfficerActions {
  setCapacity(accountId: string, capacity: number): void;
  recall(accountId: string): void;
}

/** The officers table. */
export interface OfficersTable {
  /** Shows these officers in this order. */
  show(officers: readonly OfficerLoadView[]): void;
  /** Shows how a capacity change of one officer went. */
  showCapacityChange(accountId: string, change: CapacityChange): void;
  /** Shows how asking one officer back went. */
  showRecall(accountId: string, change: RecallChange): void;
}

interface OfficerRow {
  root: HTMLTableRowElement;
  name: HTMLElement;
  state: HTMLElement;
  loadText: HTMLElement;
  loadFill: HTMLElement;
  select: HTMLSelectElement;
  error: HTMLElement;
  /** Offered while the officer is on a break or not ready. */
  recall: HTMLButtonElement;
  recallNote: HTMLElement;
  /** The capacity the server last reported, to go back to when a change fails. */
  capacity: number;
  /** While a change is under way the select shows the supervisor's choice, not the polled value. */
  saving: boolean;
  errorTimer: ReturnType<typeof setTimeout> | undefined;
}

/** The capacities an officer can have (invariant 4 of DESIGN.md). */
const CAPACITIES = [4, 5, 6] as const;
const COLUMNS: readonly TextKey[] = ['colName', 'colState', 'colLoad', 'colCapacity', 'colAction'];
const ERROR_MS = 10_000;

/** Binds the officers table; `actions` send what the supervisor chose. */
export function createOfficersTable(find: TestIdFinder, doc: Document, actions: OfficerActions): OfficersTable {
  const table = find<HTMLTableElement>('officers-table');
  const body = table.tBodies[0] ?? table.createTBody();
  const empty = find<HTMLElement>('officers-empty');
  table.tHead?.append(
    headRow(
      doc,
      COLUMNS.map((column) => t(column)),
    ),
  );

  const createRow = (accountId: string): OfficerRow => {
    const root = doc.createElement('tr');
    root.dataset.testid = 'officer-row';
    root.dataset.accountId = accountId;
    const name = doc.createElement('td');
    const state = doc.createElement('span');
    state.className = 'work-state';
    state.dataset.testid = 'officer-state';
    const stateCell = doc.createElement('td');
    stateCell.append(state);

    const loadText = doc.createElement('span');
    loadText.className = 'load-text';
    loadText.dataset.testid = 'officer-load';
    const loadBar = doc.createElement('span');
    loadBar.className = 'load-bar';
    loadBar.setAttribute('aria-hidden', 'true');
    const loadFill = doc.createElement('span');
    loadFill.className = 'load-fill';
    loadBar.append(loadFill);
    // The bar sits beside the numbers in a box of its own: a table cell cannot be a flex box.
    const load = doc.createElement('span');
    load.className = 'load';
    load.append(loadText, loadBar);
    const loadCell = doc.createElement('td');
    loadCell.append(load);

    const select = doc.createElement('select');
    select.dataset.testid = 'capacity-select';
    for (const capacity of CAPACITIES) select.add(new Option(String(capacity), String(capacity)));
    select.addEventListener('change', () => actions.setCapacity(accountId, Number(select.value)));
    const error = doc.createElement('span');
    error.className = 'inline-error';
    error.dataset.testid = 'capacity-error';
    error.setAttribute('role', 'alert');
    error.hidden = true;
    const capacityCell = doc.createElement('td');
    capacityCell.append(select, error);

    const recall = doc.createElement('button');
    recall.type = 'button';
    recall.className = 'button';
    recall.dataset.testid = 'recall-officer';
    recall.textContent = t('recall');
    recall.title = t('recallHint');
    recall.addEventListener('click', () => actions.recall(accountId));
    const recallNote = doc.createElement('span');
    recallNote.className = 'recall-note';
    recallNote.dataset.testid = 'recall-note';
    recallNote.setAttribute('role', 'status');
    const actionCell = doc.createElement('td');
    actionCell.append(recall, recallNote);

    root.append(name, stateCell, loadCell, capacityCell, actionCell);
    return { root, name, state, loadText, loadFill, select, error, recall, recallNote, capacity: 0, saving: false, errorTimer: undefined };
  };

  const updateRow = (row: OfficerRow, officer: OfficerLoadView): void => {
    const isSupervisor = officer.role === 'supervisor';
    row.name.textContent = isSupervisor ? t('supervisorServing', { name: officer.displayName }) : officer.displayName;
    row.root.dataset.role = officer.role;
    row.select.setAttribute('aria-label', t('capacityLabel', { name: officer.displayName }));
    // A supervisor serving a desk sets their own capacity and breaks.
    row.select.hidden = isSupervisor;
    row.state.dataset.state = officer.state;
    row.state.textContent = workStateName(officer.state);
    row.recall.hidden = isSupervisor || officer.state !== 'paused';
    // Back at work: what was sent before says nothing any more.
    if (officer.state !== 'paused') row.recallNote.textContent = '';
    row.loadText.textContent = `${officer.activeSessions} / ${officer.capacity}`;
    const filled = officer.capacity > 0 ? Math.min(1, officer.activeSessions / officer.capacity) : 0;
    row.loadFill.style.setProperty('--load', String(filled));
    row.root.dataset.full = String(officer.activeSessions >= officer.capacity);
    row.capacity = officer.capacity;
    if (!row.saving) row.select.value = String(officer.capacity);
  };

  const showError = (row: OfficerRow, text: string | null): void => {
    clearTimeout(row.errorTimer);
    row.error.hidden = text === null;
    row.error.textContent = text ?? '';
    // Gone after a while: the next poll shows the capacity that holds, which says the rest.
    if (text !== null) row.errorTimer = setTimeout(() => showError(row, null), ERROR_MS);
  };

  const rows = new KeyedList(body, {
    keyOf: (officer: OfficerLoadView) => officer.accountId,
    create: (officer) => createRow(officer.accountId),
    update: updateRow,
    dropped: (row: OfficerRow) => clearTimeout(row.errorTimer),
  });

  return {
    show(officers) {
      rows.show(officers);
      empty.hidden = officers.length > 0;
    },
    showCapacityChange(accountId, change) {
      const row = rows.get(accountId);
      if (!row) return;
      row.saving = change.kind === 'saving';
      row.select.disabled = row.saving;
      if (change.kind === 'failed') {
        row.select.value = String(row.capacity);
        showError(row, t('capacityFailed', { detail: change.detail }));
      } else {
        showError(row, null);
      }
    },
    showRecall(accountId, change) {
      const row = rows.get(accountId);
      if (!row) return;
      row.recall.disabled = change.kind === 'sending';
      row.recallNote.dataset.kind = change.kind;
      if (change.kind === 'sending') row.recallNote.textContent = '';
      else if (change.kind === 'sent') row.recallNote.textContent = t('recallSent', { time: formatTime(change.at) });
      else row.recallNote.textContent = t('recallFailed', { detail: change.detail });
    },
  };
}
