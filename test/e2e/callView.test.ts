/**
 * The call as the claimant and the officer see it, in real Chromium at a laptop's 1366 × 768: the
 * kiosk names the officer serving it and has "Saya tidak bisa mendengar", which flags the booth's
 * tile on the console until the officer dismisses it or talks to the booth; and the console with
 * six booths in session, the outcome panel and the document viewer open fits the screen: nothing
 * to scroll, every element inside the window, the submit button in view, the tiles big enough to
 * see the claimants. Both screens' layouts are checked at 1920 × 1080 as well.
 *
 * The first booth is a real kiosk going through the journey; the other five join the desk through
 * the kiosk's own protocol with synthetic media (see queueToDesk.test.ts for why).
 */
import type { Browser, Page } from 'puppeteer-core';
import type { Socket } from 'socket.io-client';
import { boothPageUrl, openConsole, openPage } from '../support/browser.js';
import { pressTalkButton, tileSelector } from '../support/deskPages.js';
import { claimantWithoutBrowser } from '../support/deskClient.js';
import { joinQueue } from '../support/kioskJourney.js';
import { atEachScreenSize, KIOSK_VIEWPORT, layoutFaults, saveScreenshot } from '../support/kioskLayout.js';
import { E2E_HOOK_TIMEOUT_MS, useSuiteResources } from '../support/suiteResources.js';
import { seedBranch, type SeededDesk, type TestServer } from '../support/testServer.js';

/** The smallest a booth's tile may get with the document viewer open: a face must still be seen. */
const MIN_TILE = { width: 240, height: 150 } as const;

let server: TestServer;
let desk: SeededDesk;
let browser: Browser;
let officer: Page;
let kiosk: Page;
const kioskSockets: Socket[] = [];

const resources = useSuiteResources();

beforeAll(async () => {
  server = await resources.server();
  desk = await seedBranch(server, { capacity: 6, booths: 6 });
  browser = await resources.browser();
  officer = await openConsole(browser, `${server.url}/officer/`, { sessionToken: desk.officer.token, smallCamera: true });
  await officer.setViewport(KIOSK_VIEWPORT);
  kiosk = await openPage(browser, boothPageUrl(server.url, desk.credentials['bilik-1']!), { smallCamera: true });
  await kiosk.setViewport(KIOSK_VIEWPORT);
  await joinQueue(kiosk);
  for (let number = 2; number <= 6; number += 1) {
    kioskSockets.push(...(await claimantWithoutBrowser(server.url, desk.credentials[`bilik-${number}`]!)));
  }
  for (let number = 1; number <= 6; number += 1) await officer.waitForSelector(tileSelector(`bilik-${number}`), { timeout: 20_000 });
}, E2E_HOOK_TIMEOUT_MS);

afterAll(() => {
  for (const socket of kioskSockets) socket.disconnect();
});

/** Whether `selector` shows on `page` (puppeteer polls visibility on animation frames, which a page in the background may not get). */
async function shows(page: Page, selector: string): Promise<void> {
  await page.bringToFront();
  await page.waitForSelector(selector, { visible: true, timeout: 15_000 });
}

async function hides(page: Page, selector: string): Promise<void> {
  await page.bringToFront();
  await page.waitForSelector(selector, { hidden: true, timeout: 15_000 });
}

const badge = `${tileSelector('bilik-1')} [data-testid="cannot-hear-badge"]`;

test("the kiosk names the officer serving it, and 'Saya tidak bisa mendengar' reaches the officer's tile until dismissed or talked to", async () => {
  await shows(kiosk, '[data-testid="served-by"]');
  expect(await kiosk.$eval('[data-testid="served-by"]', (element) => element.textContent)).toBe('Anda dilayani oleh: Petugas Uji');

  // The officer talks to another booth, so the claimant at bilik-1 waits on hold.
  await officer.bringToFront();
  await pressTalkButton(officer, 'bilik-2');
  await officer.waitForSelector(`${tileSelector('bilik-2')}[data-talking="true"]`);

  await shows(kiosk, '[data-testid="hearing-button"]');
  expect(await kiosk.$eval('[data-testid="hearing-button"]', (element) => element.textContent)).toBe('Saya tidak bisa mendengar');
  await kiosk.click('[data-testid="hearing-button"]');
  // The claimant is told plainly what happens next, and the button gives way to that message.
  await shows(kiosk, '[data-testid="hearing-status"]');
  expect(await kiosk.$eval('[data-testid="hearing-status"]', (element) => element.textContent)).toMatch(
    /Petugas sudah diberi tahu.*tombol \+/,
  );
  expect(await kiosk.$eval('[data-testid="hearing-button"]', (element) => (element as HTMLElement).hidden)).toBe(true);
  // The message, the hold banner and the name fit the kiosk's screen whole, with nothing to scroll.
  await atEachScreenSize(kiosk, async (size) => {
    expect({ size: size.name, ...(await layoutFaults(kiosk)) }).toEqual({ size: size.name, outside: [], scrolling: [] });
    await saveScreenshot(kiosk, `kiosk-cannot-hear-${size.name}`);
  });

  // The officer's tile shows it like a call; no other tile does.
  await shows(officer, badge);
  expect(await officer.$eval(tileSelector('bilik-1'), (element) => element.classList.contains('is-calling'))).toBe(true);
  expect(await officer.$$('[data-testid="cannot-hear-badge"]:not([hidden])')).toHaveLength(1);
  await saveScreenshot(officer, 'console-cannot-hear-1366x768');

  // Dismissed: gone from the tile, talk unchanged, and the kiosk offers the button again.
  await officer.click(`${tileSelector('bilik-1')} [data-testid="cannot-hear-dismiss"]`);
  await hides(officer, badge);
  expect(await officer.$eval(tileSelector('bilik-2'), (element) => (element as HTMLElement).dataset.talking)).toBe('true');
  await shows(kiosk, '[data-testid="hearing-button"]');
  expect(await kiosk.$eval('[data-testid="hearing-status"]', (element) => (element as HTMLElement).hidden)).toBe(true);

  // Pressed again, then answered: the officer talking to the booth clears it.
  await kiosk.click('[data-testid="hearing-button"]');
  await shows(officer, badge);
  await pressTalkButton(officer, 'bilik-1');
  await hides(officer, badge);
  await shows(kiosk, '[data-testid="hearing-button"]');
}, 90_000);

/** Where the console's page, its submit button and its tiles are. */
function consoleLayout(page: Page) {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    const box = (element: Element) => {
      const { left, top, right, bottom, width, height } = element.getBoundingClientRect();
      return { left, top, right, bottom, width, height };
    };
    return {
      scrollHeight: root.scrollHeight,
      scrollWidth: root.scrollWidth,
      innerHeight: window.innerHeight,
      innerWidth: window.innerWidth,
      submit: box(document.querySelector('[data-testid="outcome-submit"]')!),
      tiles: Array.from(document.querySelectorAll('[data-testid="booth-tile"]')).map(box),
    };
  });
}

/**
 * At 1366 × 768 and 1920 × 1080: nothing to scroll, every element inside the window, the submit
 * button wholly in view, six tiles in view and no smaller than MIN_TILE.
 */
async function expectConsoleFits(page: Page, screenshot: string): Promise<void> {
  await atEachScreenSize(page, async (size) => {
    await saveScreenshot(page, `${screenshot}-${size.name}`);
    const { outside, scrolling } = await layoutFaults(page);
    // The checklist scrolls on its own by design, its submit button held in view (checked below).
    expect({ size: size.name, outside, scrolling: scrolling.filter((name) => name !== 'outcome-panel') }).toEqual({
      size: size.name,
      outside: [],
      scrolling: [],
    });
    expectConsoleLayout(await consoleLayout(page));
  });
}

/** What expectConsoleFits expects of the console at one size. */
function expectConsoleLayout(layout: Awaited<ReturnType<typeof consoleLayout>>): void {
  expect(layout.scrollHeight).toBeLessThanOrEqual(layout.innerHeight);
  expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
  expect(layout.submit.top).toBeGreaterThanOrEqual(0);
  expect(layout.submit.left).toBeGreaterThanOrEqual(0);
  expect(layout.submit.bottom).toBeLessThanOrEqual(layout.innerHeight);
  expect(layout.submit.right).toBeLessThanOrEqual(layout.innerWidth);
  expect(layout.tiles).toHaveLength(6);
  for (const tile of layout.tiles) {
    expect(tile.width).toBeGreaterThanOrEqual(MIN_TILE.width);
    expect(tile.height).toBeGreaterThanOrEqual(MIN_TILE.height);
    expect(tile.bottom).toBeLessThanOrEqual(layout.innerHeight);
  }
}

test('at 1366 × 768 and 1920 × 1080 six booths, the header, the outcome panel and the document viewer fit without scrolling', async () => {
  await officer.bringToFront();
  await pressTalkButton(officer, 'bilik-2');
  await officer.waitForSelector('[data-testid="outcome-submit"]');
  await expectConsoleFits(officer, 'console-six-booths');

  // The viewer opens at once, waiting for the photo (the synthetic booth never sends one).
  await officer.click(`${tileSelector('bilik-2')} [data-testid="capture-document"]`);
  await officer.waitForSelector('[data-testid="document-viewer"]', { visible: true });
  await expectConsoleFits(officer, 'console-six-booths-viewer');
}, 60_000);
