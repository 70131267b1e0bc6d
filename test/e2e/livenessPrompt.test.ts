/**
 * A liveness challenge from end to end in real Chromium: the officer presses "Uji keaktifan" on a
 * booth's tile, the kiosk shows the server's challenge large over the call at the kiosk's screen
 * size, shows it again after the kiosk reloads, the tile tells the officer what was asked (again
 * after the console reloads), and the officer's "Lulus" records the verdict and takes it off the
 * kiosk.
 */
import type { LivenessChallenge, LivenessGesture } from '@bilik/shared';
import type { Page } from 'puppeteer-core';
import { livenessKey, verdictsKey } from '../../server/src/liveness/livenessChallenges.js';
import { boothPageUrl, openConsole, openPage } from '../support/browser.js';
import { tileSelector } from '../support/deskPages.js';
import { joinQueue } from '../support/kioskJourney.js';
import { KIOSK_VIEWPORT, saveScreenshot } from '../support/kioskLayout.js';
import { E2E_HOOK_TIMEOUT_MS, useSuiteResources } from '../support/suiteResources.js';
import { seedBranch, waitFor, type SeededDesk, type TestServer } from '../support/testServer.js';

/** The kiosk's words for each gesture (booth-client/src/strings.ts), written out so a wrong one fails. */
const GESTURE_WORDS: Record<LivenessGesture, string> = {
  turn_left: 'Tolehkan kepala ke kiri',
  turn_right: 'Tolehkan kepala ke kanan',
  look_up: 'Lihat ke atas',
  blink_twice: 'Kedipkan mata dua kali',
};

let server: TestServer;
let desk: SeededDesk;
const resources = useSuiteResources();

beforeAll(async () => {
  server = await resources.server();
  desk = await seedBranch(server, { capacity: 4, booths: 1 });
}, E2E_HOOK_TIMEOUT_MS);

const textOf = (page: Page, selector: string): Promise<string | null> => page.$eval(selector, (element) => element.textContent);

test('"Uji keaktifan" shows the booth the server\'s challenge large over the call, again after a reload, tells the officer what was asked (again after the console reloads), and "Lulus" records the verdict and clears it', async () => {
  const browser = await resources.browser();
  const officer = await openConsole(browser, `${server.url}/officer/`, { sessionToken: desk.officer.token });
  const booth = await openPage(browser, boothPageUrl(server.url, desk.credentials['bilik-1']!), { smallCamera: true });
  await booth.setViewport(KIOSK_VIEWPORT);
  await joinQueue(booth, { service: 'jht' });

  await officer.bringToFront();
  const tile = tileSelector('bilik-1');
  const button = `${tile} [data-testid="liveness-challenge"]`;
  await officer.waitForSelector(button, { timeout: 20_000 });
  // Named with its booth, like the tile's other actions.
  expect(await officer.$eval(button, (element) => element.getAttribute('aria-label'))).toBe('Uji keaktifan bilik-1');
  await officer.click(button);
  await officer.waitForSelector(`${tile} [data-testid="liveness-asked"]:not([hidden])`);

  // The challenge as the server issued it and keeps it for the visit's outcome.
  const visit = await server.scheduler.visitOf('bilik-1');
  const stored = await server.redis.lrange(livenessKey(visit!.visitId), 0, -1);
  expect(stored).toHaveLength(1);
  const { challengeId, task } = JSON.parse(stored[0]!) as LivenessChallenge;
  const spaced = task.kind === 'digits' ? [...task.digits].join(' ') : null;
  expect(await textOf(officer, `${tile} [data-testid="liveness-asked"]`)).toContain(spaced ?? '');
  // The task and the three buttons stay inside the tile (they wrap rather than leave it).
  const outside = await officer.$eval(tile, (tileElement) => {
    const box = tileElement.getBoundingClientRect();
    return Array.from(tileElement.querySelectorAll('[data-testid="liveness-asked"] > *'))
      .map((element) => ({ element, rect: element.getBoundingClientRect() }))
      .filter(({ rect }) => rect.left < box.left || rect.right > box.right || rect.top < box.top || rect.bottom > box.bottom)
      .map(({ element }) => element.textContent);
  });
  expect(outside).toEqual([]);
  await saveScreenshot(officer, 'liveness-asked');

  await booth.bringToFront();
  const prompt = '[data-testid="liveness-prompt"]';
  await booth.waitForSelector(`${prompt}:not([hidden])`);
  if (task.kind === 'digits') {
    expect(await textOf(booth, '[data-testid="liveness-instruction"]')).toBe('Bacakan angka ini dengan suara keras:');
    expect(await textOf(booth, '[data-testid="liveness-digits"]')).toBe(spaced);
  } else {
    expect(await textOf(booth, '[data-testid="liveness-instruction"]')).toBe(GESTURE_WORDS[task.gesture]);
  }
  // Large, whole inside the kiosk's 1366 × 768 screen, and over the call: the officer's picture is still on screen.
  const shown = await booth.$eval(prompt, (panel) => {
    const box = panel.getBoundingClientRect();
    const sizes = Array.from(panel.querySelectorAll('p'))
      .filter((line) => !line.hidden)
      .map((line) => parseFloat(getComputedStyle(line).fontSize));
    const video = document.querySelector('[data-testid="officer-video"]');
    return {
      inside: box.left >= 0 && box.top >= 0 && box.right <= innerWidth && box.bottom <= innerHeight,
      smallestFontPx: Math.min(...sizes),
      callShown: video !== null && video.getBoundingClientRect().height > 0,
    };
  });
  expect(shown).toEqual({ inside: true, smallestFontPx: expect.any(Number), callShown: true });
  expect(shown.smallestFontPx).toBeGreaterThanOrEqual(40);
  await saveScreenshot(booth, 'liveness-prompt');

  // The kiosk reloads while the challenge shows: back in the call, it shows the same challenge again.
  await booth.reload();
  await waitFor(
    'the reloaded kiosk to show the challenge again',
    () => booth.$eval(prompt, (panel) => !(panel as HTMLElement).hidden).catch(() => false),
    30_000,
    100,
  );
  if (task.kind === 'digits') expect(await textOf(booth, '[data-testid="liveness-digits"]')).toBe(spaced);
  else expect(await textOf(booth, '[data-testid="liveness-instruction"]')).toBe(GESTURE_WORDS[task.gesture]);
  expect(await server.redis.llen(livenessKey(visit!.visitId))).toBe(1);

  // The console reloads too: its tile shows the challenge again, so the officer can still judge it.
  await officer.bringToFront();
  await officer.reload();
  await waitFor(
    'the reloaded console to show what was asked again',
    () => officer.$eval(`${tile} [data-testid="liveness-asked"]`, (asked) => !(asked as HTMLElement).hidden).catch(() => false),
    30_000,
    100,
  );
  expect(await textOf(officer, `${tile} [data-testid="liveness-asked"]`)).toContain(spaced ?? '');
  const passed = `${tile} [data-testid="liveness-passed"]`;
  expect(await officer.$eval(passed, (element) => element.getAttribute('aria-label'))).toBe('Uji keaktifan bilik-1 lulus');
  await officer.click(passed);
  await officer.waitForSelector(`${tile} [data-testid="liveness-asked"]`, { hidden: true });
  // Asked from the test: the kiosk is in the background now.
  await waitFor('the kiosk to take the challenge off', () => booth.$eval(prompt, (panel) => (panel as HTMLElement).hidden));
  expect(await textOf(booth, '[data-testid="liveness-instruction"]')).toBe('');
  expect(await server.redis.hgetall(verdictsKey(visit!.visitId))).toEqual({ [challengeId]: 'passed' });
});
