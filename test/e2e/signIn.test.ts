/**
 * A person signing in and out in real Chromium: the console sends them to the shared sign-in
 * page, brings them back once signed in, and signing out ends the session for every tab.
 * A kiosk without a credential, or with a revoked one, asks to be enrolled.
 */
import type { Page } from 'puppeteer-core';
import { boothPageUrl, openPage } from '../support/browser.js';
import { useServerAndBrowser } from '../support/e2eFixture.js';
import { TEST_PASSWORD } from '../support/testServer.js';

const e2e = useServerAndBrowser();

/** Fills and sends the sign-in form on `page`, waiting for the page it leads to. */
async function submitSignIn(page: Page, username: string, password: string): Promise<void> {
  await page.$eval('input[name="username"]', (input) => (input.value = ''));
  await page.type('input[name="username"]', username);
  await page.type('input[name="password"]', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
}

async function noticeOn(page: Page): Promise<string | null> {
  return page.$eval('[data-testid="signin-notice"]', (notice) => notice.getAttribute('data-kind'));
}

test('an officer signs in through the console and out with its button', async () => {
  const { server, browser } = e2e;
  const context = await browser.createBrowserContext();
  const page = await openPage(browser, `${server.url}/officer/`, { context });
  await page.waitForSelector('[data-testid="signin-form"]');
  expect(new URL(page.url()).pathname).toBe('/signin');

  // A wrong password first: the page says so and keeps the username.
  await submitSignIn(page, 'petugas-1', 'not the password');
  expect(await noticeOn(page)).toBe('invalid');
  expect(await page.$eval('input[name="username"]', (input) => input.value)).toBe('petugas-1');

  await submitSignIn(page, 'petugas-1', TEST_PASSWORD);
  expect(new URL(page.url()).pathname).toBe('/officer/');
  await page.waitForFunction(() => document.querySelector('[data-testid="officer-name"]')?.textContent === 'Petugas Uji');
  await page.waitForSelector('[data-testid="status"][data-state="live"]');

  await Promise.all([page.waitForNavigation(), page.click('[data-testid="sign-out"]')]);
  expect(await noticeOn(page)).toBe('signed-out');
  await page.goto(`${server.url}/officer/`);
  await page.waitForSelector('[data-testid="signin-form"]');
  await context.close();
});

test('signing out elsewhere sends an open console to the sign-in page', async () => {
  const { server, browser } = e2e;
  const context = await browser.createBrowserContext();
  const console = await openPage(browser, `${server.url}/signin?next=/officer/`, { context });
  await submitSignIn(console, 'petugas-1', TEST_PASSWORD);
  await console.waitForSelector('[data-testid="status"][data-state="live"]');

  // Another tab of the same browser signs out, as a future supervisor or IT page would.
  const other = await openPage(browser, `${server.url}/signin`, { context });
  const status = await other.evaluate(async () => (await fetch('/auth/signout', { method: 'POST', redirect: 'manual' })).type);
  expect(status).toBe('opaqueredirect');

  // The server closed the console's socket; the console sees its session is gone and leaves.
  await console.waitForSelector('[data-testid="signin-form"]', { timeout: 15_000 });
  expect(new URL(console.url()).searchParams.get('notice')).toBe('expired');
  expect(await noticeOn(console)).toBe('expired');
  await context.close();
});

test('a kiosk without a credential, or with a revoked one, asks to be enrolled', async () => {
  const { server, desk, browser } = e2e;
  const context = await browser.createBrowserContext();
  const bare = await openPage(browser, `${server.url}/booth/`, { context });
  await bare.waitForSelector('[data-testid="enrolment"]:not([hidden])');

  const kiosk = await openPage(browser, boothPageUrl(server.url, desk.credentials['bilik-2']!), { context });
  await kiosk.waitForSelector('[data-testid="status"][data-state="waiting"], [data-testid="officer-video"]');
  // The credential left the address bar; the kiosk keeps it for its next start.
  expect(new URL(kiosk.url()).hash).toBe('');
  await kiosk.reload();
  await kiosk.waitForSelector('[data-testid="status"][data-state="waiting"], [data-testid="officer-video"]');
  expect(await kiosk.$('[data-testid="enrolment"]:not([hidden])')).toBeNull();

  await server.booths.revoke('bilik-2', { kind: 'system' });
  await kiosk.reload();
  await kiosk.waitForSelector('[data-testid="enrolment"]:not([hidden])');
  // The revoked credential is forgotten, so the next start asks again too.
  expect(await kiosk.evaluate(() => localStorage.getItem('bilik.deviceCredential'))).toBeNull();
  await context.close();
});
