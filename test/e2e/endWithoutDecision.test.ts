/**
 * Ending a visit without a decision, in real Chromium: the officer's "end session" asks why there
 * is no outcome and says what ending will do; going back leaves the session as it was; a reason
 * ends it, the booth shows its tracking code, and the public tracking page shows "ended without
 * decision" with what the claimant should do next. The officer then files the visit under a
 * wrap-up code of the branch.
 */
import type { Browser, Page } from 'puppeteer-core';
import { boothPageUrl, openConsole, openPage } from '../support/browser.js';
import { joinQueue } from '../support/kioskJourney.js';
import { E2E_HOOK_TIMEOUT_MS, useSuiteResources } from '../support/suiteResources.js';
import { seedBranch, TEST_BRANCH, type SeededDesk, type TestServer } from '../support/testServer.js';

let server: TestServer;
let desk: SeededDesk;
let browser: Browser;

const resources = useSuiteResources();

beforeAll(async () => {
  server = await resources.server();
  desk = await seedBranch(server, { capacity: 4, booths: 1 });
  browser = await resources.browser();
}, E2E_HOOK_TIMEOUT_MS);

const text = (page: Page, selector: string): Promise<string | null> => page.$eval(selector, (element) => element.textContent);

test('"end session" without a decision asks for the reason, the booth’s code shows "ended without decision" on /lacak, the visit is filed under a wrap-up code', async () => {
  const wrapUpCode = async (label: string, isDefault: boolean): Promise<string> =>
    (
      await server.db.query<{ id: string }>(
        'insert into wrap_up_codes (branch_id, label, is_default) values ($1, $2, $3) returning id::text as id',
        [TEST_BRANCH, label, isDefault],
      )
    )[0]!.id;
  const defaultCode = await wrapUpCode('Peserta akan kembali', true);
  const otherCode = await wrapUpCode('Salah layanan', false);
  const officer = await openConsole(browser, `${server.url}/officer/`, { sessionToken: desk.officer.token });
  const booth = await openPage(browser, boothPageUrl(server.url, desk.credentials['bilik-1']!));
  await joinQueue(booth, { service: 'jp' });

  await officer.bringToFront();
  const tile = '[data-testid="booth-tile"][data-booth-id="bilik-1"]';
  const endButton = `${tile} [data-testid="end-session"]`;
  await officer.waitForSelector(tile, { timeout: 20_000 });
  const pressEnd = async (): Promise<void> => {
    await officer.click(endButton);
    await officer.waitForSelector(`${endButton}[data-armed="true"]`);
    await officer.click(endButton);
  };

  // No decision yet: the prompt says what ending does and offers the reasons, and going back ends nothing.
  await pressEnd();
  await officer.waitForSelector('[data-testid="end-prompt"][open]', { visible: true });
  expect(await text(officer, '[data-testid="end-explain"]')).toContain('selesai tanpa keputusan');
  expect(
    await officer.$$eval('[data-testid="end-reason"]', (buttons) => buttons.map((button) => button.getAttribute('data-reason'))),
  ).toEqual(['claimant_left', 'connection_lost', 'wrong_service']);
  await officer.click('[data-testid="end-back"]');
  await officer.waitForSelector('[data-testid="end-prompt"]', { hidden: true });
  expect(await server.scheduler.visitOf('bilik-1')).toMatchObject({ state: 'assigned' });

  // The claimant left: the officer says so, and the session ends.
  await pressEnd();
  await officer.waitForSelector('[data-testid="end-prompt"][open]', { visible: true });
  const visitId = (await server.scheduler.visitOf('bilik-1'))!.visitId;
  await officer.click('[data-testid="end-reason"][data-reason="claimant_left"]');
  await officer.waitForSelector(tile, { hidden: true });

  // Wrap-up: the branch's codes, its default chosen already; the officer picks another and saves.
  const row = `[data-testid="wrap-up-row"][data-visit-id="${visitId}"]`;
  await officer.waitForSelector(row, { visible: true });
  expect(await officer.$eval(`${row} [data-testid="wrap-up-code"]`, (select) => (select as HTMLSelectElement).value)).toBe(defaultCode);
  await officer.select(`${row} [data-testid="wrap-up-code"]`, otherCode);
  await officer.click(`${row} [data-testid="wrap-up-save"]`);
  await officer.waitForSelector('[data-testid="wrap-up"]', { hidden: true });
  expect(await server.db.query('select code_id::text as code_id, applied_by from visit_wrap_ups where visit_id = $1', [visitId])).toEqual([
    { code_id: otherCode, applied_by: 'officer' },
  ]);

  await booth.bringToFront();
  await booth.waitForSelector('[data-testid="tracking-code"]', { visible: true });
  const code = (await text(booth, '[data-testid="tracking-code"]'))!;

  const phone = await openPage(browser, `${server.url}/lacak?kode=${code}`);
  expect(await phone.$eval('[data-testid="tracking-status"]', (element) => element.getAttribute('data-status'))).toBe(
    'ended_without_decision',
  );
  expect(await text(phone, '[data-testid="tracking-status"]')).toContain('Selesai tanpa keputusan');
  expect(await text(phone, '[data-testid="tracking-result"]')).toContain('Silakan datang lagi ke bilik atau kantor cabang');
  await phone.close();
}, 120_000);
