/**
 * Seven claimants and one officer of capacity 6. Six booths are assigned and appear on the
 * officer's console; the seventh shows place 1, shows on the supervisor's page past the maximum
 * wait, and is assigned as soon as the officer ends a session. The ended booth thanks its
 * claimant and keeps nothing of them.
 *
 * The officer, the supervisor and the two kiosks whose screens the story is about (the first,
 * whose session ends, and the seventh, which waits) are real Chromium pages going through the
 * kiosk's journey (Mulai, a service). The five claimants between them start their visits through
 * the kiosk's own protocol, without a browser: seven kiosks in call plus a console decoding six
 * of them take more than a 2-core machine has, and made this test pass or time out by luck.
 */
import type { Browser, Page } from 'puppeteer-core';
import type { Socket } from 'socket.io-client';
import { boothPageUrl, inboundMedia, openConsole, openPage } from '../support/browser.js';
import { claimantWithoutBrowser } from '../support/deskClient.js';
import { press, reachSummary } from '../support/kioskJourney.js';
import { E2E_HOOK_TIMEOUT_MS, useSuiteResources } from '../support/suiteResources.js';
import { seedBranch, signedInCookie, TEST_BRANCH, waitFor, type SeededDesk, type TestServer } from '../support/testServer.js';

let server: TestServer;
let desk: SeededDesk;
let browser: Browser;
let supervisorToken: string;

/** The sockets of the kiosks without a browser. */
const kioskSockets: Socket[] = [];

const resources = useSuiteResources();

beforeAll(async () => {
  // A maximum wait of 1.2 s, so the seventh booth's wait raises the supervisor's alert.
  server = await resources.server({ MAX_WAIT_MINUTES: '0.02' });
  desk = await seedBranch(server, { capacity: 6, booths: 7 });
  supervisorToken = (await signedInCookie(server, { username: 'penyelia-1', role: 'supervisor', branchIds: [TEST_BRANCH] })).token;
  browser = await resources.browser();
}, E2E_HOOK_TIMEOUT_MS);

afterAll(() => {
  for (const socket of kioskSockets) socket.disconnect();
});

/** How many peer connections `page` has made so far (see recordPeerConnections). */
const peerConnectionsMade = (page: Page): Promise<number> =>
  page.evaluate(() => (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections.length);

/**
 * Opens a kiosk and does what a claimant does (the journey to the summary, confirmed); resolves
 * once the server has the visit, with the peer connections the kiosk had made before the confirm.
 */
async function claimantArrives(boothId: string): Promise<{ booth: Page; connectionsBeforeConfirm: number }> {
  const booth = await openPage(browser, boothPageUrl(server.url, desk.credentials[boothId]!), { smallCamera: true });
  await reachSummary(booth);
  const connectionsBeforeConfirm = await peerConnectionsMade(booth);
  await press(booth, 'confirm');
  // The summary stays, busy, until the server answers with the visit's place.
  await booth.waitForSelector('[data-testid="screen-confirm"]', { hidden: true });
  return { booth, connectionsBeforeConfirm };
}

/** A claimant at a kiosk without a browser (see claimantWithoutBrowser). */
async function claimantArrivesWithoutBrowser(boothId: string): Promise<void> {
  kioskSockets.push(...(await claimantWithoutBrowser(server.url, desk.credentials[boothId]!)));
}

test('six booths fill the desk, the seventh waits at place 1 and is assigned as soon as a session ends', async () => {
  const officer = await openConsole(browser, `${server.url}/officer/`, { sessionToken: desk.officer.token, smallCamera: true });

  const { booth: first } = await claimantArrives('bilik-1');
  for (let number = 2; number <= 6; number += 1) await claimantArrivesWithoutBrowser(`bilik-${number}`);
  const { booth: seventh, connectionsBeforeConfirm: seventhConnectionsBefore } = await claimantArrives('bilik-7');

  for (let number = 1; number <= 6; number += 1)
    await officer.waitForSelector(`[data-testid="booth-tile"][data-booth-id="bilik-${number}"]`, { timeout: 20_000 });
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

  // The officer ends bilik-1's session: press Selesai, then again to confirm, and, with no decision
  // sent, say why (test/e2e/endWithoutDecision.test.ts tests that prompt).
  await officer.bringToFront();
  const endButton = '[data-testid="booth-tile"][data-booth-id="bilik-1"] [data-testid="end-session"]';
  await officer.click(endButton);
  await officer.waitForSelector(`${endButton}[data-armed="true"]`);
  await officer.click(endButton);
  await (await officer.waitForSelector('[data-testid="end-reason"][data-reason="claimant_left"]', { visible: true }))!.click();

  // Puppeteer polls visibility on animation frames, which a page in the background may not get.
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
  // The call made its two transports' connections and no more: the mediasoup Device the kiosk's
  // self-test loaded serves the call too, so nobody waits for the browser to be probed again.
  expect((await peerConnectionsMade(seventh)) - seventhConnectionsBefore).toBe(2);
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
