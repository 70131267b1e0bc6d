/**
 * Branch IT acting on a running kiosk from the fleet page, both in real Chromium: the page shows
 * the kiosk online with its version; "Nonaktifkan" puts up "Bilik tidak tersedia" on the kiosk
 * and "Aktifkan" brings the welcome back; "Ganti kredensial" gives the kiosk a new credential,
 * and after "Muat ulang" reloads its page the kiosk starts with it.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'puppeteer-core';
import { boothPageUrl, openPage } from '../support/browser.js';
import { E2E_HOOK_TIMEOUT_MS, useSuiteResources } from '../support/suiteResources.js';
import { signedInCookie, TEST_BRANCH, type TestServer } from '../support/testServer.js';

const BOOTH = 'bilik-it';
const FLEET_PATH = '/officer/fleet/';
/** A poll of the fleet page every 5 s, plus room for a slow machine. */
const POLL_WAIT = { timeout: 15_000 };
/** The kiosk's self-test at start, then its welcome. */
const KIOSK_WAIT = { visible: true, timeout: 30_000 };
const LONG_TEST_MS = 120_000;
const { version } = JSON.parse(readFileSync(new URL('../../booth-client/package.json', import.meta.url), 'utf8')) as { version: string };

let server: TestServer;
let browser: Browser;

const resources = useSuiteResources();

beforeAll(async () => {
  server = await resources.server();
  await server.accounts.createBranch({ id: TEST_BRANCH, name: 'Cabang Uji' });
  await server.booths.createBooth({ id: BOOTH, branchId: TEST_BRANCH, name: 'Bilik TI' }, { kind: 'system' });
  browser = await resources.browser();
}, E2E_HOOK_TIMEOUT_MS);

const row = `[data-testid="booth-row"][data-booth-id="${BOOTH}"]`;
const status = (value: string): string => `${row} [data-testid="booth-status"][data-status="${value}"]`;

/** Clicks one of the booth's buttons on the fleet page, with the page in front so its poll runs on time. */
async function press(fleet: Page, testId: string): Promise<void> {
  await fleet.bringToFront();
  await fleet.click(`${row} [data-testid="${testId}"]`);
}

test(
  'the fleet page shows a running kiosk, takes it out of service and back, rotates its credential and reloads it',
  async () => {
    const admin = await signedInCookie(server, { username: 'admin-ti', role: 'it_admin', branchIds: [TEST_BRANCH] });
    const credential = await server.booths.issueCredential(BOOTH, { kind: 'system' });

    const kioskContext = await browser.createBrowserContext();
    const kiosk = await openPage(browser, boothPageUrl(server.url, credential), { context: kioskContext });
    await kiosk.waitForSelector('[data-testid="screen-idle"]', KIOSK_WAIT);

    const fleetContext = await browser.createBrowserContext();
    const fleet = await openPage(browser, `${server.url}${FLEET_PATH}`, { context: fleetContext, sessionToken: admin.token });
    await fleet.waitForSelector(status('online'), POLL_WAIT);
    expect(await fleet.$eval(`${row} [data-testid="booth-version"]`, (cell) => cell.textContent)).toBe(version);
    expect(await fleet.$eval(`${row} [data-testid="booth-heartbeat"]`, (cell) => cell.textContent)).toMatch(/^\d+ s lalu$/);

    // Out of service: the kiosk says so instead of welcoming anyone, and the page shows it.
    expect(await fleet.$eval(`${row} [data-testid="service-toggle"]`, (button) => button.textContent)).toBe('Nonaktifkan');
    await press(fleet, 'service-toggle');
    await kiosk.waitForSelector('[data-testid="screen-out-of-service"]', { visible: true });
    expect(await kiosk.$eval('[data-testid="out-of-service-title"]', (title) => title.textContent)).toBe('Bilik tidak tersedia');
    expect(await kiosk.$('[data-testid="screen-idle"]:not([hidden])')).toBeNull();
    await fleet.waitForSelector(status('out_of_service'), POLL_WAIT);
    expect(await fleet.$eval(`${row} [data-testid="service-toggle"]`, (button) => button.textContent)).toBe('Aktifkan');

    await press(fleet, 'service-toggle');
    await kiosk.waitForSelector('[data-testid="screen-idle"]', { visible: true });
    expect(await kiosk.$('[data-testid="screen-out-of-service"]:not([hidden])')).toBeNull();
    await fleet.waitForSelector(status('online'), POLL_WAIT);

    // A new credential: the kiosk stores it and the old one stops working.
    await press(fleet, 'rotate');
    await fleet.waitForSelector('[data-testid="fleet-done"]:not([hidden])');
    expect(await fleet.$('[data-testid="fleet-error"]:not([hidden])')).toBeNull();
    const stored = await kiosk.evaluate(() => localStorage.getItem('bilik.deviceCredential'));
    expect(stored).toMatch(/^bk1_/);
    expect(stored).not.toBe(credential);
    expect(await server.booths.authenticate(credential)).toBeNull();

    // Reload: the kiosk's page loads anew and, with its new credential, comes back to its welcome.
    const reloaded = kiosk.waitForNavigation({ timeout: 15_000 });
    await press(fleet, 'reload');
    await reloaded;
    await kiosk.waitForSelector('[data-testid="screen-idle"]', KIOSK_WAIT);
    expect(await kiosk.$('[data-testid="enrolment"]:not([hidden])')).toBeNull();
    expect(await kiosk.evaluate(() => localStorage.getItem('bilik.deviceCredential'))).toBe(stored);
    await fleet.bringToFront();
    await fleet.waitForSelector(status('online'), POLL_WAIT);

    await kioskContext.close();
    await fleetContext.close();
  },
  LONG_TEST_MS,
);
