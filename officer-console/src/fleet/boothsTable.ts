/**
 * The branch's booths with their state and per-booth actions. Rows are kept across polls, so that
 * a button the administrator is about to press (or has armed) is neither rebuilt nor moved under
 * their hand.
 */
import type { TestIdFinder } from '@bilik/shared/client';
import { pressTwice } from '../pressTwice.js';
import { headRow, keepRows } from '../table.js';
import type { BoothView } from './api.js';
import { formatDateTime, t, type TextKey } from './strings.js';

/** What the administrator asks of one booth. */
export interface BoothActions {
  issueCode(booth: BoothView): void;
  revoke(booth: BoothView): void;
}

/** The booths table. */
export interface BoothsTable {
  /** Shows these booths in this order. */
  show(booths: readonly BoothView[]): void;
  /** Disables a booth's buttons while a request for it is under way. */
  setBusy(boothId: string, busy: boolean): void;
}

interface BoothRow {
  root: HTMLTableRowElement;
  name: HTMLElement;
  enrolled: HTMLElement;
  revoked: HTMLElement;
  outOfService: HTMLElement;
  issueButton: HTMLButtonElement;
  revokeButton: HTMLButtonElement;
  /** The booth as the server last listed it, for the actions. */
  booth: BoothView;
}

const COLUMNS: readonly TextKey[] = ['colName', 'colId', 'colEnrolled', 'colRevoked', 'colOutOfService', 'colActions'];
/** Long enough to read "press again", short enough that a stray second press later does not revoke. */
const REVOKE_CONFIRM_MS = 3_000;

/** Binds the booths table of fleet/index.html. */
export function createBoothsTable(find: TestIdFinder, doc: Document, actions: BoothActions): BoothsTable {
  const table = find<HTMLTableElement>('booths-table');
  const body = table.tBodies[0] ?? table.createTBody();
  const empty = find<HTMLElement>('booths-empty');
  empty.textContent = t('boothsEmpty');
  table.tHead?.append(headRow(doc, COLUMNS.map((column) => t(column))));

  const rows = new Map<string, BoothRow>();

  const drawRevokeButton = (row: BoothRow, armed: boolean): void => {
    row.revokeButton.dataset.armed = String(armed);
    row.revokeButton.textContent = t(armed ? 'revokeConfirm' : 'revoke');
  };
  const revoking = pressTwice(REVOKE_CONFIRM_MS, (armed) => {
    for (const [boothId, row] of rows) drawRevokeButton(row, boothId === armed);
  });

  const createRow = (booth: BoothView): BoothRow => {
    const root = doc.createElement('tr');
    root.dataset.testid = 'booth-row';
    root.dataset.boothId = booth.boothId;
    const cell = (testId: string): HTMLTableCellElement => {
      const td = doc.createElement('td');
      td.dataset.testid = testId;
      root.append(td);
      return td;
    };
    const name = cell('booth-name');
    const id = cell('booth-id');
    id.className = 'booth-id';
    id.textContent = booth.boothId;
    const enrolled = cell('booth-enrolled');
    const revoked = cell('booth-revoked');
    const outOfService = cell('booth-out-of-service');

    const button = (testId: string, className: string): HTMLButtonElement => {
      const element = doc.createElement('button');
      element.type = 'button';
      element.className = className;
      element.dataset.testid = testId;
      return element;
    };
    const issueButton = button('issue-code', 'button');
    issueButton.textContent = t('issueCode');
    issueButton.title = t('issueCodeHint');
    const revokeButton = button('revoke', 'button revoke');
    revokeButton.title = t('revokeHint');
    const actionsCell = cell('booth-actions');
    actionsCell.className = 'booth-actions';
    actionsCell.append(issueButton, revokeButton);

    const row: BoothRow = { root, name, enrolled, revoked, outOfService, issueButton, revokeButton, booth };
    issueButton.addEventListener('click', () => actions.issueCode(row.booth));
    revokeButton.addEventListener('click', () => {
      if (revoking.press(row.booth.boothId)) actions.revoke(row.booth);
    });
    drawRevokeButton(row, false);
    return row;
  };

  const updateRow = (row: BoothRow, booth: BoothView): void => {
    row.booth = booth;
    row.root.dataset.enrolled = String(booth.enrolled);
    row.root.dataset.revoked = String(booth.revokedAt !== null);
    row.root.dataset.outOfService = String(booth.outOfService);
    row.name.textContent = booth.name;
    row.enrolled.textContent = t(booth.enrolled ? 'yes' : 'no');
    row.revoked.textContent = booth.revokedAt ? formatDateTime(new Date(booth.revokedAt)) : t('none');
    row.outOfService.textContent = t(booth.outOfService ? 'yes' : 'no');
  };

  return {
    show(booths) {
      keepRows(body, rows, booths, {
        keyOf: (booth) => booth.boothId,
        create: createRow,
        update: updateRow,
        dropped: (boothId) => {
          if (revoking.armed() === boothId) revoking.cancel();
        },
      });
      empty.hidden = booths.length > 0;
    },
    setBusy(boothId, busy) {
      const row = rows.get(boothId);
      if (!row) return;
      row.issueButton.disabled = busy;
      row.revokeButton.disabled = busy;
    },
  };
}
