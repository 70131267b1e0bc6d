/**
 * One officer and three booths in real Chromium, each sending its own sine tone instead of a
 * microphone. By frequency analysis of what every page receives: a booth hears the officer only
 * while the officer talks to it, the officer hears only the selected booth, and no booth ever
 * receives another booth's tone or more than the officer's one video. Along the way the
 * officer's console shows voice activity and a booth's call for attention.
 */
import { inboundMedia } from '../support/browser.js';
import { hearing, isolationFaults, talkingPrivately, talkTo } from '../support/deskPages.js';
import { useTonePages } from '../support/tonePages.js';
import { useServerAndBrowser } from '../support/e2eFixture.js';
import { waitFor } from '../support/testServer.js';

const e2e = useServerAndBrowser();
const desk = useTonePages(e2e);
const { booths } = desk;

test('talk reaches the selected booth only, in both directions, across several switches', async () => {
  await waitFor(
    'every page to decode video',
    async () => {
      for (const page of [desk.officer, ...booths.values()]) if ((await inboundMedia(page)).videoFramesDecoded < 5) return false;
      return true;
    },
    30_000,
    200,
  );
  await desk.officer.waitForSelector('[data-testid="booth-tile"][data-booth-id="bilik-3"]');

  // Keys 1 to 3 select the tiles in seat order, which here is arrival order: bilik-1, bilik-2, bilik-3.
  for (const [boothId, key] of [
    ['bilik-2', '2'],
    ['bilik-3', '3'],
    ['bilik-1', '1'],
    ['bilik-3', '3'],
  ] as const) {
    await talkTo(desk.officer, boothId, key);
    await waitFor(
      `only ${boothId} to hear the officer, and the officer only ${boothId}`,
      () => talkingPrivately(desk, boothId),
      15_000,
      250,
    );
  }

  // The server's audio-level observer lights the voice indicator of a booth that makes sound.
  await desk.officer.waitForSelector('[data-booth-id="bilik-2"] [data-testid="voice-indicator"][data-speaking="true"]');

  // Booth 2 calls for the officer: its tile shows its place; answering the call clears it.
  const booth2 = booths.get('bilik-2')!;
  await booth2.bringToFront();
  await booth2.click('[data-testid="call-button"]');
  await booth2.waitForSelector('[data-testid="attention-status"]');
  const badge = await desk.officer.waitForSelector('[data-booth-id="bilik-2"] [data-testid="attention-badge"]');
  expect(await badge!.evaluate((element) => element.textContent)).toContain('1');
  await talkTo(desk.officer, 'bilik-2', '2');
  await desk.officer.waitForSelector('[data-booth-id="bilik-2"] [data-testid="attention-badge"]', { hidden: true });

  // Talking to nobody: silence everywhere, while every booth keeps the officer's video.
  await desk.officer.keyboard.press('0');
  await waitFor(
    'silence on every page',
    async () => {
      expect(await isolationFaults(desk)).toEqual([]);
      const now = await hearing(desk);
      return now.boothsHearingOfficer.length === 0 && now.officerHears.length === 0;
    },
    15_000,
    250,
  );
  for (const page of booths.values()) {
    expect(await page.$eval('[data-testid="hold-screen"]', (element) => !(element as HTMLElement).hidden)).toBe(true);
  }
});
