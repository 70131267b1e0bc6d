/**
 * Branch IT looking after its kiosks on the fleet page in real Chromium: adding a booth shows its
 * one-time code, a fresh kiosk enrols with it and the list says so, revoking sends the kiosk back
 * to enrolment and a new code brings it back. Another branch's IT sees none of it.
 */
import type { Browser, Page } from 'puppeteer-core';
import { openPage } from '../support/browser.js';
import { E2E_HOOK_TIMEOUT_MS, useSuiteResources } from '../support/suiteResources.js';
import { signedInCookie, TEST_BRANCH, TEST_PASSWORD, type TestServer } from '../support/testServer.js';

const OTHER_BRANCH = 'other-branch';
const FLEET_PATH = '/officer/fleet/';
/** A poll every 5 s, plus room for a slow machine. */
const POLL_WAIT = { timeout: 12_000 };
/** Two enrolments, each waiting for a poll to show it: more than jest's default 30 s on a slow machine. */
const LONG_TEST_MS = 90_000;

let server: TestServer;
let browser: Browser;

const resources = useSuiteResources();

beforeAll(async () => {
  server = await resources.server();
  await server.accounts.createBranch({ id: TEST_BRANCH, name: 'Cabang Uji' });
  await server.accounts.createBranch({ id: OTHER_BRANCH, name: 'Cabang Lain' });
  browser = await resources.browser();
}, E2E_HOOK_TIMEOUT_MS);

const row = (boothId: string, state = ''): string => `[data-testid="booth-row"][data-booth-id="${boothId}"]${state}`;

/** Waits for the fleet page's enrolment code to be `other` than before, and reads it. */
async function shownCode(page: Page, other = ''): Promise<string> {
  await page.waitForFunction(
    (previous) => {
      const shown = document.querySelector('[data-testid="enrolment-code-panel"]:not([hidden]) [data-testid="enrolment-code-shown"]');
      return shown?.textContent && shown.textContent !== previous;
    },
    {},
    other,
  );
  return page.$eval('[data-testid="enrolment-code-shown"]', (shown) => shown.textContent ?? '');
}

/** Types `code` on a kiosk's enrolment screen and waits for its welcome screen. */
async function enrol(kiosk: Page, code: string): Promise<void> {
  await kiosk.waitForSelector('[data-testid="enrolment"]:not([hidden])');
  await kiosk.$eval('[data-testid="enrolment-code"]', (input) => ((input as HTMLInputElement).value = ''));
  await kiosk.type('[data-testid="enrolment-code"]', code);
  await kiosk.click('[data-testid="enrolment-submit"]');
  await kiosk.waitForSelector('[data-testid="screen-idle"]', { visible: true, timeout: 15_000 });
}

test(
  'an IT admin adds a booth, a kiosk enrols with the shown code, and revoking sends it back to enrolment',
  async () => {
    const admin = await signedInCookie(server, {
      username: 'admin-ti',
      displayName: 'Admin TI Uji',
      role: 'it_admin',
      branchIds: [TEST_BRANCH],
    });
    const context = await browser.createBrowserContext();
    const page = await openPage(browser, `${server.url}${FLEET_PATH}`, { context, sessionToken: admin.token });
    await page.waitForSelector('[data-testid="fleet"]:not([hidden])');
    expect(await page.$eval('[data-testid="admin-name"]', (name) => name.textContent)).toBe('Admin TI Uji');
    expect(await page.$eval('[data-testid="branch-name"]', (name) => name.textContent)).toBe(TEST_BRANCH);

    await page.type('[data-testid="new-booth-id"]', 'bilik-baru');
    await page.type('[data-testid="new-booth-name"]', 'Bilik Baru');
    await page.click('[data-testid="new-booth-submit"]');
    const code = await shownCode(page);
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(await page.$eval('[data-testid="enrolment-code-expiry"]', (expiry) => expiry.textContent)).toMatch(/\d/);
    await page.waitForSelector(row('bilik-baru', '[data-enrolled="false"]'));
    expect(await page.$eval(row('bilik-baru'), (booth) => booth.querySelector('[data-testid="booth-name"]')?.textContent)).toBe(
      'Bilik Baru',
    );

    // A fresh kiosk, with nothing in its storage.
    const kioskContext = await browser.createBrowserContext();
    const kiosk = await openPage(browser, `${server.url}/booth/`, { context: kioskContext });
    await enrol(kiosk, code);
    await page.waitForSelector(row('bilik-baru', '[data-enrolled="true"]'), POLL_WAIT);
    expect(await page.$eval(row('bilik-baru'), (booth) => booth.querySelector('[data-testid="booth-enrolled"]')?.textContent)).toBe('Ya');

    // Revoking takes two presses; the first only arms the button.
    await page.click(`${row('bilik-baru')} [data-testid="revoke"]`);
    await page.waitForSelector(`${row('bilik-baru')} [data-testid="revoke"][data-armed="true"]`);
    expect(await page.$(row('bilik-baru', '[data-revoked="true"]'))).toBeNull();
    await page.click(`${row('bilik-baru')} [data-testid="revoke"]`);
    await kiosk.waitForSelector('[data-testid="enrolment"]:not([hidden])', { timeout: 15_000 });
    await page.waitForSelector(row('bilik-baru', '[data-revoked="true"][data-enrolled="false"]'));
    expect(await page.$('[data-testid="enrolment-code-panel"]:not([hidden])')).toBeNull();
    expect(await page.$('[data-testid="fleet-error"]:not([hidden])')).toBeNull();

    // A new code re-enrols the same kiosk.
    await page.click(`${row('bilik-baru')} [data-testid="issue-code"]`);
    const newCode = await shownCode(page, code);
    await enrol(kiosk, newCode);
    await page.waitForSelector(row('bilik-baru', '[data-enrolled="true"][data-revoked="false"]'), POLL_WAIT);

    await kioskContext.close();
    await context.close();
  },
  LONG_TEST_MS,
);

test('an IT admin of another branch neither sees nor touches its booths', async () => {
  await server.booths.createBooth({ id: 'bilik-uji', branchId: TEST_BRANCH, name: 'Bilik Uji' }, { kind: 'system' });
  const other = await signedInCookie(server, { username: 'admin-lain', role: 'it_admin', branchIds: [OTHER_BRANCH] });
  const context = await browser.createBrowserContext();
  const page = await openPage(browser, `${server.url}${FLEET_PATH}`, { context, sessionToken: other.token });
  await page.waitForSelector('[data-testid="booths-empty"]:not([hidden])');
  expect(await page.$$('[data-testid="booth-row"]')).toHaveLength(0);

  const statuses = await page.evaluate(async (branchId) => {
    const list = await fetch(`/api/branches/${branchId}/booths`);
    const code = await fetch('/api/booths/bilik-uji/enrolment-code', { method: 'POST' });
    const revoke = await fetch('/api/booths/bilik-uji/revoke', { method: 'POST' });
    return [list.status, code.status, revoke.status];
  }, TEST_BRANCH);
  expect(statuses).toEqual([403, 403, 403]);

  // Asked for the other branch by address, the page passes on the server's refusal.
  await page.goto(`${server.url}${FLEET_PATH}?branch=${TEST_BRANCH}`);
  await page.waitForSelector('[data-testid="fleet-error"]:not([hidden])');
  expect(await page.$eval('[data-testid="fleet-error"]', (error) => error.textContent)).toContain(TEST_BRANCH);
  expect(await page.$('[data-testid="fleet"]:not([hidden])')).toBeNull();
  expect(await page.$$('[data-testid="booth-row"]')).toHaveLength(0);
  expect((await server.booths.findBooth('bilik-uji'))?.revokedAt).toBeNull();
  await context.close();
});

test('the page sends a visitor without a session to sign-in, where an IT admin lands on it, and turns other roles away', async () => {
  const context = await browser.createBrowserContext();
  const page = await openPage(browser, `${server.url}${FLEET_PATH}`, { context });
  await page.waitForSelector('[data-testid="signin-form"]');
  expect(new URL(page.url()).searchParams.get('next')).toBe(FLEET_PATH);

  // Signing in without a page to return to lands an IT admin on the fleet page.
  await signedInCookie(server, { username: 'admin-masuk', role: 'it_admin', branchIds: [TEST_BRANCH] });
  await page.goto(`${server.url}/signin`);
  await page.type('input[name="username"]', 'admin-masuk');
  await page.type('input[name="password"]', TEST_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
  expect(new URL(page.url()).pathname).toBe(FLEET_PATH);
  await page.waitForSelector('[data-testid="fleet"]:not([hidden])');

  const supervisor = await signedInCookie(server, { username: 'supervisor-1', role: 'supervisor', branchIds: [TEST_BRANCH] });
  const supervisorContext = await browser.createBrowserContext();
  const notice = await openPage(browser, `${server.url}${FLEET_PATH}`, { context: supervisorContext, sessionToken: supervisor.token });
  await notice.waitForSelector('[data-testid="page-notice"]:not([hidden])');
  expect(await notice.$('[data-testid="fleet"]:not([hidden])')).toBeNull();
  await supervisorContext.close();
  await context.close();
});
