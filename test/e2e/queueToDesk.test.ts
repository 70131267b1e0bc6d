/**
 * Seven claimants and one officer of capacity 6 in real Chromium, each booth going through the
 * kiosk's journey (Mulai, a service). Six booths are assigned and appear on the officer's
 * console; the seventh shows place 1, shows on the supervisor's page past the maximum wait, and
 * is assigned as soon as the officer ends a session. The ended booth thanks its claimant and
 * keeps nothing of them.
 */
import type { Browser, Page } from 'puppeteer-core';
import { boothPageUrl, inboundMedia, launchBrowser, openPage } from '../support/browser.js';
import {
  seedBranch,
  signedInCookie,
  startTestServer,
  TEST_BRANCH,
  waitFor,
  type SeededDesk,
  type TestServer,
} from '../support/testServer.js';

let server: TestServer;
let desk: SeededDesk;
let browser: Browser;
let supervisorToken: string;

beforeAll(async () => {
  // A maximum wait of 1.2 s, so the seventh booth's wait raises the supervisor's alert.
  server = await startTestServer({ MAX_WAIT_MINUTES: '0.02' });
  desk = await seedBranch(server, { capacity: 6, booths: 7 });
  supervisorToken = (await signedInCookie(server, { username: 'penyelia-1', role: 'supervisor', branchIds: [TEST_BRANCH] })).token;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a kiosk and does what a claimant does: Mulai, then a service. */
async function claimantArrives(boothId: string): Promise<Page> {
  const booth = await openPage(browser, boothPageUrl(server.url, desk.credentials[boothId]!));
  await (await booth.waitForSelector('[data-testid="start"]', { visible: true }))!.click();
  await (await booth.waitForSelector('[data-testid="service-jht"]', { visible: true }))!.click();
  return booth;
}

test('six booths fill the desk, the seventh waits at place 1 and is assigned as soon as a session ends', async () => {
  const officer = await openPage(browser, `${server.url}/officer/`, { sessionToken: desk.officer.token });
  await officer.waitForSelector('[data-testid="work-state"][data-state="available"]');

  const booths = new Map<string, Page>();
  for (let number = 1; number <= 7; number += 1) booths.set(`bilik-${number}`, await claimantArrives(`bilik-${number}`));

  for (let number = 1; number <= 6; number += 1)
    await officer.waitForSelector(`[data-testid="booth-tile"][data-booth-id="bilik-${number}"]`, { timeout: 20_000 });
  const seventh = booths.get('bilik-7')!;
  await seventh.waitForSelector('[data-testid="screen-waiting"]', { visible: true });
  expect(await seventh.$eval('[data-testid="queue-place"]', (element) => element.textContent)).toBe('1');
  expect(await officer.$$('[data-testid="booth-tile"][data-booth-id="bilik-7"]')).toHaveLength(0);

  // The supervisor sees the seventh booth waiting, and the alert once it waited past the maximum.
  const supervisor = await openPage(browser, `${server.url}/officer/supervisor/`, { sessionToken: supervisorToken });
  await supervisor.waitForSelector('[data-testid="queue-row"][data-booth-id="bilik-7"]');
  await supervisor.waitForSelector('[data-testid="wait-alert"]', { visible: true });
  expect(
    await supervisor.$eval(
      `[data-testid="officer-row"][data-account-id="${desk.officer.accountId}"] [data-testid="officer-load"]`,
      (element) => element.textContent,
    ),
  ).toMatch(/6\s*\/\s*6/);

  // The officer ends bilik-1's session: press Selesai, then again to confirm.
  await officer.bringToFront();
  const endButton = '[data-testid="booth-tile"][data-booth-id="bilik-1"] [data-testid="end-session"]';
  await officer.click(endButton);
  await officer.waitForSelector(`${endButton}[data-armed="true"]`);
  await officer.click(endButton);

  // Puppeteer polls visibility on animation frames, which a page in the background may not get.
  const first = booths.get('bilik-1')!;
  await first.bringToFront();
  await first.waitForSelector('[data-testid="screen-ended"]', { visible: true });
  await officer.waitForSelector('[data-testid="booth-tile"][data-booth-id="bilik-7"]', { timeout: 20_000 });
  await waitFor(
    "the seventh booth to decode the officer's video",
    async () => (await inboundMedia(seventh)).videoFramesDecoded > 10,
    20_000,
    200,
  );
  await seventh.bringToFront();
  await seventh.waitForSelector('[data-testid="screen-waiting"]', { hidden: true });
  // A page in the background polls slowly (Chromium throttles its timers); the supervisor looks at it.
  await supervisor.bringToFront();
  await supervisor.waitForSelector('[data-testid="queue-row"]', { hidden: true });

  // Nothing of the first claimant stays on its kiosk: no media, no storage but the credential.
  const leftOnKiosk = await first.evaluate(() => ({
    storage: Object.keys(localStorage),
    session: sessionStorage.length,
    media: Array.from(document.querySelectorAll('video, audio')).filter((element) => (element as HTMLMediaElement).srcObject !== null)
      .length,
  }));
  expect(leftOnKiosk).toEqual({ storage: ['bilik.deviceCredential'], session: 0, media: 0 });
  expect(await server.scheduler.journeyOf('bilik-1')).toEqual({ state: 'idle' });
}, 120_000);
