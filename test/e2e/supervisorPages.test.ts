/**
 * The supervisor's and branch IT's pages in real Chromium, for what they must make plain at a
 * glance: the supervisor is alarmed when claimants wait and no officer is ready, asks the officer
 * on a break to come back and the officer's console shows it until dismissed, sees each live
 * visit's hold, maintains the branch's wrap-up codes and opens a desk of their own to take
 * escalations; the fleet page sums up its booths and revokes one only on a second press. Kiosks
 * are their /journey and /booth sockets, as the kiosk page would open them.
 */
import type { Browser, Page } from 'puppeteer-core';
import { NAMESPACES } from '@bilik/shared';
import { request } from '@bilik/shared/client';
import type { Socket } from 'socket.io-client';
import { openPage, pressReady } from '../support/browser.js';
import { connected, openSocket } from '../support/sockets.js';
import { E2E_HOOK_TIMEOUT_MS, useSuiteResources } from '../support/suiteResources.js';
import { seedBranch, signedInCookie, TEST_BRANCH, waitFor, type SeededDesk, type TestServer } from '../support/testServer.js';

let server: TestServer;
let desk: SeededDesk;
let browser: Browser;

const resources = useSuiteResources();
const kioskSockets: Socket[] = [];

beforeAll(async () => {
  server = await resources.server();
  desk = await seedBranch(server, { booths: 3 });
  browser = await resources.browser();
}, E2E_HOOK_TIMEOUT_MS);

afterAll(() => {
  for (const socket of kioskSockets) socket.disconnect();
});

/** A claimant starts a visit at a kiosk, through its /journey socket as the kiosk page would. */
async function claimantWaits(boothId: string): Promise<void> {
  const journey = openSocket(server.url, NAMESPACES.journey, { credential: desk.credentials[boothId]! });
  kioskSockets.push(journey);
  await connected(journey);
  await request(journey, 'journey:start', { service: 'jht', ticket: null, priority: false });
}

/** The kiosk of an assigned booth opens its desk link: the desk seats it. */
async function kioskLinks(boothId: string): Promise<void> {
  const link = openSocket(server.url, NAMESPACES.booth, { credential: desk.credentials[boothId]! });
  kioskSockets.push(link);
  await connected(link);
}

function text(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (element) => element.textContent ?? '');
}

async function audited(action: string): Promise<number> {
  const rows = await server.db.query<{ count: string }>('select count(*) from audit_events where action = $1', [action]);
  return Number(rows[0]!.count);
}

test('claimants waiting with no officer ready raise the alarm; the supervisor asks the officer back, the console shows it until dismissed, and holds show per visit', async () => {
  const { token } = await signedInCookie(server, {
    username: 'penyelia-1',
    displayName: 'Bu Rina',
    role: 'supervisor',
    branchIds: [TEST_BRANCH],
  });
  // Opened by an officer coming on duty: not ready, so nobody takes the claimant.
  const console = await openPage(browser, `${server.url}/officer/`, { sessionToken: desk.officer.token, smallCamera: true });
  await console.waitForSelector('[data-testid="work"]:not([hidden]) [data-testid="work-state"][data-state="paused"]');
  await claimantWaits('bilik-1');

  const supervisor = await openPage(browser, `${server.url}/officer/supervisor/`, { sessionToken: token });
  const alarm = '[data-testid="staffing-alert"]:not([hidden])';
  await supervisor.waitForSelector(alarm, { timeout: 10_000 });
  expect(await text(supervisor, alarm)).toBe(
    '1 peserta menunggu, tetapi tidak ada petugas yang siap melayani (1 istirahat atau belum siap, 0 tidak aktif).',
  );

  const officerRow = `[data-testid="officer-row"][data-account-id="${desk.officer.accountId}"]`;
  await (await supervisor.waitForSelector(`${officerRow} [data-testid="recall-officer"]`, { visible: true }))!.click();
  await supervisor.waitForFunction(
    (selector) => document.querySelector(selector)?.textContent?.startsWith('Terkirim') === true,
    { timeout: 10_000 },
    `${officerRow} [data-testid="recall-note"]`,
  );
  // A page in the background draws no frames: the one looked at is brought to the front.
  await console.bringToFront();
  const recall = '[data-testid="work-recall"]:not([hidden])';
  await console.waitForSelector(recall, { timeout: 10_000 });
  expect(await text(console, `${recall} [data-testid="work-recall-message"]`)).toMatch(
    /^Penyelia meminta Anda kembali bertugas \(Bu Rina, /,
  );
  expect(await audited('officer.recalled')).toBe(1);
  await console.click('[data-testid="work-recall-dismiss"]');
  await console.waitForSelector('[data-testid="work-recall"][hidden]');

  // Back at work: the claimant is taken, the alarm goes, and the live visits show their holds.
  await pressReady(console);
  await supervisor.bringToFront();
  await supervisor.waitForSelector('[data-testid="staffing-alert"][hidden]', { timeout: 10_000 });
  await kioskLinks('bilik-1');
  await claimantWaits('bilik-2');
  await kioskLinks('bilik-2');
  // bilik-1, seated first at an idle desk, is talked to; bilik-2 waits for the officer's word from its seat.
  const hold = (boothId: string): string => `[data-testid="monitor-visit"][data-booth-id="${boothId}"] + [data-testid="visit-hold"]`;
  await waitFor(
    'the supervisor page to show both holds',
    async () =>
      (await supervisor.$(hold('bilik-2'))) !== null &&
      (await text(supervisor, hold('bilik-1'))) === 'sedang bicara' &&
      /^menunggu \d\d:\d\d$/.test(await text(supervisor, hold('bilik-2'))),
    10_000,
    200,
  );
  expect(await supervisor.$eval(hold('bilik-2'), (element) => (element as HTMLElement).dataset.level)).toBe('calm');
  await Promise.all([console.close(), supervisor.close()]);
});

/** The wrap-up codes as the supervisor page lists them, in its order. */
function listedCodes(page: Page): Promise<Array<{ id: string; label: string; isDefault: boolean; retired: boolean }>> {
  return page.$$eval('[data-testid="wrap-up-code-row"]', (rows) =>
    rows.map((row) => ({
      id: (row as HTMLElement).dataset.codeId ?? '',
      label: row.querySelector<HTMLInputElement>('[data-testid="wrap-up-code-label"]')?.value ?? '',
      isDefault: (row as HTMLElement).dataset.default === 'true',
      retired: (row as HTMLElement).dataset.retired === 'true',
    })),
  );
}

test('the supervisor adds, renames, retires and chooses the default wrap-up code on the page, and is told in words why a change is refused', async () => {
  const { token } = await signedInCookie(server, { username: 'penyelia-kode', role: 'supervisor', branchIds: [TEST_BRANCH] });
  const page = await openPage(browser, `${server.url}/officer/supervisor/`, { sessionToken: token });
  // Looked at, and every condition asked from the test: a page in the background may never check a waitForSelector.
  await page.bringToFront();
  const codes = (): ReturnType<typeof listedCodes> => listedCodes(page);
  const problem = '[data-testid="wrap-up-codes-problem"]';
  const problemSaid = (expected: string): Promise<void> =>
    waitFor(`the panel to say "${expected}"`, async () =>
      page.$eval(problem, (element) => !(element as HTMLElement).hidden && element.textContent).then((said) => said === expected),
    );
  const listed = (description: string, check: (shown: Awaited<ReturnType<typeof listedCodes>>) => boolean): Promise<void> =>
    waitFor(description, async () => check(await codes()));
  const stored = async (): Promise<Array<{ label: string; is_default: boolean; retired: boolean }>> =>
    server.db.query(
      'select label, is_default, retired_at is not null as retired from wrap_up_codes where branch_id = $1 order by created_at',
      [TEST_BRANCH],
    );
  const add = async (label: string, isDefault: boolean): Promise<void> => {
    await page.$eval('[data-testid="wrap-up-code-new"]', (input) => ((input as HTMLInputElement).value = ''));
    await page.type('[data-testid="wrap-up-code-new"]', label);
    const checked = await page.$eval('[data-testid="wrap-up-code-new-default"]', (box) => (box as HTMLInputElement).checked);
    if (checked !== isDefault) await page.click('[data-testid="wrap-up-code-new-default"]');
    await page.click('[data-testid="wrap-up-code-add-button"]');
  };
  const press = async (label: string, action: string): Promise<void> => {
    const code = (await codes()).find((shown) => shown.label === label);
    if (!code) throw new Error(`no row for ${label}`);
    await page.click(`[data-testid="wrap-up-code-row"][data-code-id="${code.id}"] [data-testid="${action}"]`);
  };

  await waitFor('the panel to say the branch has no codes', () =>
    page.$eval('[data-testid="wrap-up-codes-empty"]', (element) => !(element as HTMLElement).hidden),
  );
  expect(await text(page, '[data-testid="wrap-up-codes-title"]')).toBe('Kode penyelesaian');

  // An empty name is refused before anything is sent.
  await add('   ', false);
  await problemSaid('Nama kode tidak boleh kosong.');
  await add('Peserta akan kembali', true);
  await listed('the first code, as the default', (shown) => shown.length === 1 && shown[0]!.isDefault);
  expect(await page.$eval(problem, (element) => (element as HTMLElement).hidden)).toBe(true);
  await add('Tindak lanjut dokumen', false);
  await listed('both codes', (shown) => shown.length === 2);

  // A live name is unique in the branch, whatever its case: the server refuses, the page says why.
  await add('peserta AKAN kembali', false);
  await problemSaid('Cabang ini sudah punya kode aktif bernama "peserta AKAN kembali".');
  // The default cannot be retired while it is the default.
  await press('Peserta akan kembali', 'wrap-up-code-retire');
  await problemSaid('Kode bawaan tidak dapat dipensiunkan. Jadikan kode lain bawaan lebih dulu.');
  expect(await stored()).toEqual([
    { label: 'Peserta akan kembali', is_default: true, retired: false },
    { label: 'Tindak lanjut dokumen', is_default: false, retired: false },
  ]);

  // Another code becomes the default; the first is renamed, then retired, and stays listed as retired.
  await press('Tindak lanjut dokumen', 'wrap-up-code-make-default');
  await listed('the second code as the only default', (shown) =>
    shown.every((code) => code.isDefault === (code.label === 'Tindak lanjut dokumen')),
  );
  const first = (await codes()).find((code) => code.label === 'Peserta akan kembali')!;
  const label = `[data-code-id="${first.id}"] [data-testid="wrap-up-code-label"]`;
  await page.$eval(label, (input) => ((input as HTMLInputElement).value = ''));
  await page.type(label, 'Peserta datang lagi');
  await page.click(`[data-code-id="${first.id}"] [data-testid="wrap-up-code-rename"]`);
  await listed('the renamed code', (shown) => shown.some((code) => code.id === first.id && code.label === 'Peserta datang lagi'));
  await press('Peserta datang lagi', 'wrap-up-code-retire');
  await listed('the retired code, last', (shown) => shown.at(-1)?.id === first.id && shown.at(-1)?.retired === true);
  expect(await page.$(`[data-code-id="${first.id}"] [data-testid="wrap-up-code-restore"]`)).not.toBeNull();
  expect(await stored()).toEqual([
    { label: 'Peserta datang lagi', is_default: false, retired: true },
    { label: 'Tindak lanjut dokumen', is_default: true, retired: false },
  ]);
  // An empty rename is refused on the page too.
  const second = (await codes()).find((code) => code.label === 'Tindak lanjut dokumen')!;
  await page.$eval(`[data-code-id="${second.id}"] [data-testid="wrap-up-code-label"]`, (input) => ((input as HTMLInputElement).value = ''));
  await page.click(`[data-code-id="${second.id}"] [data-testid="wrap-up-code-rename"]`);
  await problemSaid('Nama kode tidak boleh kosong.');
  expect(await audited('wrap_up_code.created')).toBe(2);
  expect(await audited('wrap_up_code.changed')).toBe(3);
  await page.close();
});

test('the fleet page sums up its booths and revokes a booth, set apart from the other actions, only on a second press', async () => {
  const admin = await signedInCookie(server, { username: 'admin-ti', role: 'it_admin', branchIds: [TEST_BRANCH] });
  const fleet = await openPage(browser, `${server.url}/officer/fleet/`, { sessionToken: admin.token });
  const row = (boothId: string): string => `[data-testid="booth-row"][data-booth-id="${boothId}"]`;
  await fleet.waitForSelector(row('bilik-3'), { timeout: 10_000 });

  // The line counts what the table shows, status by status.
  const counted = await fleet.$$eval('[data-testid="booth-status"]', (badges) =>
    badges.map((badge) => (badge as HTMLElement).dataset.status),
  );
  const count = (status: string): number => counted.filter((shown) => shown === status).length;
  const summary = await fleet.$eval('[data-testid="fleet-summary"]', (line) => ({
    ...(line as HTMLElement).dataset,
    text: line.textContent,
  }));
  expect(summary).toMatchObject({
    fault: String(count('fault')),
    offline: String(count('offline')),
    inSession: String(count('in_session')),
  });
  expect(summary.text).toBe(
    `${count('fault')} gangguan · ${count('offline')} luring · ${count('in_session')} sedang melayani · ${count('out_of_service')} tidak beroperasi · dari 3 bilik`,
  );

  const revoke = `${row('bilik-3')} [data-testid="booth-danger-zone"] [data-testid="revoke"]`;
  await fleet.click(revoke);
  await fleet.waitForSelector(`${revoke}[data-armed="true"]`);
  expect(await text(fleet, revoke)).toBe('Yakin? Tekan lagi');
  expect((await server.booths.findBooth('bilik-3'))?.revokedAt).toBeNull();
  await fleet.click(revoke);
  await fleet.waitForSelector(`${row('bilik-3')}[data-revoked="true"]`, { timeout: 10_000 });
  expect((await server.booths.findBooth('bilik-3'))?.revokedAt).not.toBeNull();
  await fleet.close();
});

test("the supervisor page shows the branch's last days next to today, newest first, in plain durations", async () => {
  // Two earlier days, as the server's QueueHistory copied them from Redis then.
  for (const [day, waits, served] of [
    ['2026-11-30', [5, 60_000, 240_000, 900_000], 5],
    ['2026-12-01', [3, 30_000, 90_000, 150_000], 3],
  ] as const) {
    await server.db.query(
      `insert into queue_days (branch_id, day, wait_count, wait_median_ms, wait_p90_ms, wait_max_ms,
                               session_count, session_median_ms, session_p90_ms, session_max_ms)
       values ($1, $2, $3, $4, $5, $6, $7, 420000, 600000, 720000)`,
      [TEST_BRANCH, day, ...waits, served],
    );
  }
  const { token } = await signedInCookie(server, { username: 'penyelia-tren', role: 'supervisor', branchIds: [TEST_BRANCH] });
  const supervisor = await openPage(browser, `${server.url}/officer/supervisor/`, { sessionToken: token });
  await supervisor.waitForSelector('[data-testid="trend-row"][data-day="2026-11-30"]', { timeout: 10_000 });
  const rows = await supervisor.$$eval('[data-testid="trend-row"]', (trendRows) =>
    trendRows.map((row) => Array.from(row.children).map((cell) => cell.textContent)),
  );
  // Today's own row may come first once the server has copied today's figures.
  expect(rows.slice(-2)).toEqual([
    ['Sel, 1 Des', '3', '30 dtk', '1 mnt 30 dtk', '2 mnt 30 dtk', '7 mnt 00 dtk'],
    ['Sen, 30 Nov', '5', '1 mnt 00 dtk', '4 mnt 00 dtk', '15 mnt 00 dtk', '7 mnt 00 dtk'],
  ]);
  expect(await supervisor.$eval('[data-testid="trend-empty"]', (element) => (element as HTMLElement).hidden)).toBe(true);
  await supervisor.close();
});

test('the supervisor opens the service console from the page and comes on duty at a desk of their own, to take the claimants handed to them', async () => {
  const { account, token } = await signedInCookie(server, {
    username: 'penyelia-meja',
    displayName: 'Bu Sari',
    role: 'supervisor',
    branchIds: [TEST_BRANCH],
  });
  const supervisor = await openPage(browser, `${server.url}/officer/supervisor/`, { sessionToken: token });
  const link = '[data-testid="open-console"]';
  await supervisor.waitForSelector(link);
  expect(await supervisor.$eval(link, (anchor) => [anchor.textContent, (anchor as HTMLAnchorElement).href])).toEqual([
    'Layani bilik',
    `${server.url}/officer/`,
  ]);

  const console = await openPage(browser, `${server.url}/officer/`, { sessionToken: token, smallCamera: true });
  await pressReady(console);
  expect(await server.scheduler.officer(account.id)).toMatchObject({ state: 'available', queueIds: [TEST_BRANCH] });

  // On duty, the supervisor is listed with the officers, named as a supervisor, without the officers' capacity and recall controls.
  const row = `[data-testid="officer-row"][data-account-id="${account.id}"]`;
  await waitFor('the supervisor page to list the serving supervisor', async () => (await supervisor.$(row)) !== null, 15_000, 200);
  expect(
    await supervisor.$eval(row, (element) => ({
      role: (element as HTMLElement).dataset.role,
      name: element.querySelector('td')?.textContent,
      capacityShown: !(element.querySelector('[data-testid="capacity-select"]') as HTMLElement).hidden,
      recallShown: !(element.querySelector('[data-testid="recall-officer"]') as HTMLElement).hidden,
    })),
  ).toEqual({ role: 'supervisor', name: 'Bu Sari (supervisor)', capacityShown: false, recallShown: false });
  await Promise.all([console.close(), supervisor.close()]);
});
