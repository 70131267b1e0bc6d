/**
 * Stable seats, in real Chromium: the officer's console and three kiosks sending tones. Two
 * kiosks leave and load again (a reload): meanwhile their tiles stay in place with their keys,
 * marked reconnecting; once back, the calling booth still calls, the booth the officer talked to
 * is talked to again (it hears the officer, the officer hears it), and no session clock restarted.
 */
import type { KeyInput, Page } from 'puppeteer-core';
import { boothPageUrl } from '../support/browser.js';
import { ALL_TONES, audible, BOOTH_TONES, OFFICER_TONE, tileSelector } from '../support/deskPages.js';
import { useTonePages } from '../support/tonePages.js';
import { useServerAndBrowser } from '../support/e2eFixture.js';
import { receivedToneLevels } from '../support/tones.js';
import { waitFor } from '../support/testServer.js';

const e2e = useServerAndBrowser();
const desk = useTonePages(e2e);

/** Each tile's booth and talk key, in the grid's order. */
function seats(officer: Page): Promise<string[]> {
  return officer.$$eval('[data-testid="booth-tile"]', (tiles) =>
    tiles.map((tile) => `${tile.getAttribute('data-booth-id')}=${tile.querySelector('[data-part="key"]')?.textContent}`),
  );
}

/** The session clock of a booth's tile, in seconds. */
async function sessionSeconds(officer: Page, boothId: string): Promise<number> {
  const text = await officer.$eval(`${tileSelector(boothId)} [data-part="elapsed"]`, (element) => element.textContent ?? '');
  const [minutes, seconds] = text.split(':').map(Number);
  return minutes! * 60 + seconds!;
}

test('kiosks that reload keep their seats, keys, call and talk, shown as reconnecting meanwhile', async () => {
  const { officer, booths } = desk;
  for (const boothId of Object.keys(BOOTH_TONES)) await officer.waitForSelector(`${tileSelector(boothId)}[data-reconnecting="false"]`);
  const before = await seats(officer);
  expect(before).toHaveLength(3);
  const keyOf = (boothId: string) => before.find((seat) => seat.startsWith(`${boothId}=`))!.split('=')[1]!;

  // The officer talks to bilik-2 by its key; bilik-1, on hold, calls.
  await officer.bringToFront();
  await officer.keyboard.press(keyOf('bilik-2') as KeyInput);
  await officer.waitForSelector(`${tileSelector('bilik-2')}[data-talking="true"]`);
  const booth1 = booths.get('bilik-1')!;
  await booth1.bringToFront();
  await (await booth1.waitForSelector('[data-testid="call-button"]', { visible: true }))!.click();
  await officer.waitForSelector(`${tileSelector('bilik-1')} [data-testid="attention-badge"]:not([hidden])`);
  await officer.waitForSelector(`${tileSelector('bilik-2')} [data-part="elapsed"]:not(:empty)`);
  const clockBefore = await sessionSeconds(officer, 'bilik-2');

  // Both kiosks leave their page: their tiles keep their places and keys, marked reconnecting.
  const leaving = ['bilik-1', 'bilik-2'];
  await Promise.all(leaving.map((boothId) => booths.get(boothId)!.goto('about:blank')));
  for (const boothId of leaving) await officer.waitForSelector(`${tileSelector(boothId)}[data-reconnecting="true"]`);
  expect(
    await officer.$eval(`${tileSelector('bilik-2')} [data-testid="booth-reconnecting"]`, (element) => !(element as HTMLElement).hidden),
  ).toBe(true);
  expect(await seats(officer)).toEqual(before);
  expect(await officer.$(`${tileSelector('bilik-2')}[data-talking="true"]`)).not.toBeNull();

  // Back: same seats and keys, the call still standing, the talk restored with its media.
  for (const boothId of leaving) await booths.get(boothId)!.goto(boothPageUrl(e2e.server.url, e2e.desk.credentials[boothId]!));
  for (const boothId of leaving) await officer.waitForSelector(`${tileSelector(boothId)}[data-reconnecting="false"]`, { timeout: 30_000 });
  expect(await seats(officer)).toEqual(before);
  expect(await officer.$eval(`${tileSelector('bilik-1')} [data-testid="attention-badge"]`, (element) => element.textContent)).toContain(
    '1',
  );
  expect(await officer.$(`${tileSelector('bilik-2')}[data-talking="true"]`)).not.toBeNull();
  await waitFor(
    'bilik-2 alone to hear the officer again, and the officer to hear bilik-2',
    async () => {
      const boothsHearing: string[] = [];
      for (const [boothId, page] of booths) {
        if (audible(await receivedToneLevels(page, ALL_TONES)).includes(OFFICER_TONE)) boothsHearing.push(boothId);
      }
      const officerHears = audible(await receivedToneLevels(officer, ALL_TONES));
      return boothsHearing.join() === 'bilik-2' && officerHears.join() === String(BOOTH_TONES['bilik-2']);
    },
    30_000,
    250,
  );
  expect(await sessionSeconds(officer, 'bilik-2')).toBeGreaterThanOrEqual(clockBefore);
});
