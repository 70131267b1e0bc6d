/**
 * The branch's booths with their live status, health and per-booth actions. Rows are kept across
 * polls, so that a button the administrator is about to press (or has armed) is neither rebuilt
 * nor moved under their hand; how long ago each kiosk was heard from counts up between polls.
 */
import { SELF_TEST_CHECKS, type LinkQuality, type SelfTestReport } from '@bilik/shared/fleet';
import type { TestIdFinder } from '@bilik/shared/client';
import { pressTwice } from '../pressTwice.js';
import { KeyedList } from '../keyedList.js';
import { headRow } from '../table.js';
import type { BoothView } from './api.js';
import { linkGrade } from './linkQuality.js';
import { formatDateTime, formatNumber, formatTime, t, type TextKey } from './strings.js';

/** What the administrator asks of one booth. */
export interface BoothActions {
  issueCode(booth: BoothView): void;
  revoke(booth: BoothView): void;
  reload(booth: BoothView): void;
  setOutOfService(booth: BoothView, outOfService: boolean): void;
  rotate(booth: BoothView): void;
  runSelfTest(booth: BoothView): void;
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
  status: HTMLElement;
  /** Under the status: the camera or microphone the kiosk could not open again in a call, if any. */
  deviceFault: HTMLElement;
  heartbeat: HTMLElement;
  version: HTMLElement;
  selfTest: HTMLElement;
  link: HTMLElement;
  enrolled: HTMLElement;
  revoked: HTMLElement;
  buttons: {
    issue: HTMLButtonElement;
    revoke: HTMLButtonElement;
    reload: HTMLButtonElement;
    service: HTMLButtonElement;
    rotate: HTMLButtonElement;
    selfTest: HTMLButtonElement;
  };
  /** The booth as the server last listed it, for the actions. */
  booth: BoothView;
}

const COLUMNS: readonly TextKey[] = [
  'colName',
  'colId',
  'colStatus',
  'colHeartbeat',
  'colVersion',
  'colSelfTest',
  'colLink',
  'colEnrolled',
  'colRevoked',
  'colActions',
];
/** Long enough to read "press again", short enough that a stray second press later does not revoke. */
const REVOKE_CONFIRM_MS = 3_000;

/** Binds the booths table of fleet/index.html. */
export function createBoothsTable(find: TestIdFinder, doc: Document, actions: BoothActions): BoothsTable {
  const table = find<HTMLTableElement>('booths-table');
  const body = table.tBodies[0] ?? table.createTBody();
  const empty = find<HTMLElement>('booths-empty');
  table.tHead?.append(
    headRow(
      doc,
      COLUMNS.map((column) => t(column)),
    ),
  );

  const drawRevokeButton = (row: BoothRow, armed: boolean): void => {
    row.buttons.revoke.dataset.armed = String(armed);
    row.buttons.revoke.textContent = t(armed ? 'revokeConfirm' : 'revoke');
  };
  const revoking = pressTwice(REVOKE_CONFIRM_MS, (armed) => {
    for (const [boothId, row] of rows.entries()) drawRevokeButton(row, boothId === armed);
  });

  const createRow = (booth: BoothView): BoothRow => {
    const root = doc.createElement('tr');
    root.dataset.testid = 'booth-row';
    root.dataset.boothId = booth.boothId;
    const cell = (testId: string, className?: string): HTMLTableCellElement => {
      const td = doc.createElement('td');
      td.dataset.testid = testId;
      if (className) td.className = className;
      root.append(td);
      return td;
    };
    const name = cell('booth-name');
    cell('booth-id', 'booth-id').textContent = booth.boothId;
    const status = doc.createElement('span');
    status.dataset.testid = 'booth-status';
    status.className = 'status-badge';
    const deviceFault = doc.createElement('span');
    deviceFault.dataset.testid = 'booth-device-fault';
    deviceFault.className = 'check';
    deviceFault.dataset.ok = 'false';
    cell('booth-status-cell', 'booth-status-cell').append(status, deviceFault);
    const heartbeat = cell('booth-heartbeat', 'booth-heartbeat');
    const version = cell('booth-version', 'booth-version');
    const selfTest = cell('booth-self-test', 'booth-self-test');
    const link = cell('booth-link', 'booth-link');
    const enrolled = cell('booth-enrolled');
    const revoked = cell('booth-revoked');

    const button = (testId: string, label: TextKey, hint: TextKey, className = 'button'): HTMLButtonElement => {
      const element = doc.createElement('button');
      element.type = 'button';
      element.className = className;
      element.dataset.testid = testId;
      element.textContent = t(label);
      element.title = t(hint);
      return element;
    };
    const buttons = {
      issue: button('issue-code', 'issueCode', 'issueCodeHint'),
      reload: button('reload', 'reload', 'reloadHint'),
      service: button('service-toggle', 'serviceOff', 'serviceOffHint'),
      rotate: button('rotate', 'rotate', 'rotateHint'),
      selfTest: button('run-self-test', 'runSelfTest', 'runSelfTestHint'),
      revoke: button('revoke', 'revoke', 'revokeHint', 'button revoke'),
    };
    // Revoking cannot be undone from here (the kiosk must be enrolled again): it stands apart from the everyday actions.
    const dangerZone = doc.createElement('span');
    dangerZone.className = 'danger-zone';
    dangerZone.dataset.testid = 'booth-danger-zone';
    dangerZone.append(buttons.revoke);
    const actionsCell = cell('booth-actions', 'booth-actions');
    actionsCell.append(buttons.issue, buttons.reload, buttons.service, buttons.rotate, buttons.selfTest, dangerZone);

    const row: BoothRow = { root, name, status, deviceFault, heartbeat, version, selfTest, link, enrolled, revoked, buttons, booth };
    buttons.issue.addEventListener('click', () => actions.issueCode(row.booth));
    buttons.reload.addEventListener('click', () => actions.reload(row.booth));
    buttons.service.addEventListener('click', () => actions.setOutOfService(row.booth, !row.booth.outOfService));
    buttons.rotate.addEventListener('click', () => actions.rotate(row.booth));
    buttons.selfTest.addEventListener('click', () => actions.runSelfTest(row.booth));
    buttons.revoke.addEventListener('click', () => {
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
    row.status.dataset.status = booth.status;
    row.status.textContent = t(`status_${booth.status}`);
    drawDeviceFault(row.deviceFault, booth.deviceFault);
    drawHeartbeat(row);
    row.version.textContent = booth.appVersion ?? t('none');
    drawSelfTest(doc, row.selfTest, booth.selfTest);
    drawLink(doc, row.link, booth.linkQuality);
    row.enrolled.textContent = t(booth.enrolled ? 'yes' : 'no');
    row.revoked.textContent = booth.revokedAt ? formatDateTime(new Date(booth.revokedAt)) : t('none');
    row.buttons.service.dataset.outOfService = String(booth.outOfService);
    row.buttons.service.textContent = t(booth.outOfService ? 'serviceOn' : 'serviceOff');
    row.buttons.service.title = t(booth.outOfService ? 'serviceOnHint' : 'serviceOffHint');
  };

  const rows = new KeyedList(body, {
    keyOf: (booth: BoothView) => booth.boothId,
    create: createRow,
    update: updateRow,
    dropped: (_row: BoothRow, boothId: string) => {
      if (revoking.armed() === boothId) revoking.cancel();
    },
  });

  // The ages count on between polls, as a clock would.
  setInterval(() => {
    for (const [, row] of rows.entries()) drawHeartbeat(row);
  }, 1000);

  return {
    show(booths) {
      rows.show(booths);
      empty.hidden = booths.length > 0;
    },
    setBusy(boothId, busy) {
      const row = rows.get(boothId);
      if (!row) return;
      for (const element of Object.values(row.buttons)) element.disabled = busy;
    },
  };
}

/** "12 s lalu": how long ago the kiosk was last heard from, by this computer's clock. */
function drawHeartbeat(row: BoothRow): void {
  const at = row.booth.lastHeartbeatAt;
  row.heartbeat.textContent = at === null ? t('never') : describeAge(Date.now() - Date.parse(at));
  if (at !== null) row.heartbeat.title = formatDateTime(new Date(at));
}

function describeAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return t('secondsAgo', { count: seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return t('minutesAgo', { count: minutes });
  return t('hoursAgo', { count: Math.floor(minutes / 60) });
}

/** The device at fault as a failed check shows (✗ and its technical detail), or nothing. */
function drawDeviceFault(element: HTMLElement, fault: BoothView['deviceFault']): void {
  element.hidden = fault === null;
  element.textContent = fault ? `✗ ${t(`deviceFault_${fault.kind}`)}: ${fault.detail}` : '';
  element.title = fault?.detail ?? '';
  if (fault) element.dataset.kind = fault.kind;
  else delete element.dataset.kind;
}

/**
 * One line per check (✓ or ✗), the network's round trip and path, and when; a failed check says
 * why beneath it, readable without hovering (IT often reads this on a tablet at the kiosk).
 */
function drawSelfTest(doc: Document, cell: HTMLElement, selfTest: BoothView['selfTest']): void {
  if (selfTest === null) {
    cell.textContent = t('selfTestNone');
    return;
  }
  const lines = SELF_TEST_CHECKS.map((check) => {
    const result = selfTest[check];
    const line = doc.createElement('span');
    line.className = 'check';
    line.dataset.testid = 'self-test-check';
    line.dataset.check = check;
    line.dataset.ok = String(result.ok);
    line.textContent = `${result.ok ? '✓' : '✗'} ${t(`check_${check}`)}${check === 'network' ? describeNetwork(selfTest.network) : ''}`;
    if (result.ok || !result.detail) return [line];
    const reason = doc.createElement('span');
    reason.className = 'check-reason';
    reason.dataset.testid = 'self-test-reason';
    reason.dataset.check = check;
    reason.textContent = result.detail;
    return [line, reason];
  });
  const at = doc.createElement('span');
  at.className = 'check-time';
  at.textContent = t('selfTestAt', { time: formatTime(new Date(selfTest.at)) });
  cell.replaceChildren(...lines.flat(), at);
}

/** The network check's round trip and the path the kiosk's media took, e.g. " 12 ms, TCP (UDP blocked)". */
function describeNetwork(network: SelfTestReport['network']): string {
  const parts: string[] = [];
  if (network.rttMs !== null) parts.push(t('milliseconds', { ms: formatNumber(network.rttMs) }));
  if (network.path !== null) parts.push(t(`path_${network.path}`));
  return parts.length === 0 ? '' : ` ${parts.join(', ')}`;
}

/** The link's grade as a badge (good, fair, poor), its numbers beside it; a dash outside a call. */
function drawLink(doc: Document, cell: HTMLElement, link: LinkQuality | null): void {
  const grade = link ? linkGrade(link) : null;
  if (!link || grade === null) {
    cell.textContent = link ? describeLink(link) : t('none');
    return;
  }
  const badge = doc.createElement('span');
  badge.className = 'link-grade';
  badge.dataset.testid = 'link-grade';
  badge.dataset.grade = grade;
  badge.textContent = t(`link_${grade}`);
  const numbers = doc.createElement('span');
  numbers.className = 'link-numbers';
  numbers.dataset.testid = 'link-numbers';
  numbers.textContent = describeLink(link);
  cell.replaceChildren(badge, numbers);
}

function describeLink(link: LinkQuality): string {
  const parts: string[] = [];
  if (link.rttMs !== null) parts.push(t('linkRtt', { ms: formatNumber(link.rttMs) }));
  if (link.packetLossPercent !== null) parts.push(t('linkLoss', { percent: formatNumber(link.packetLossPercent) }));
  if (link.outgoingKbps !== null && link.incomingKbps !== null) {
    parts.push(t('linkRates', { out: formatNumber(link.outgoingKbps), in: formatNumber(link.incomingKbps) }));
  }
  return parts.length > 0 ? parts.join(' · ') : t('none');
}
