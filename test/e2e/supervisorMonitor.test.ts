/**
 * Silent monitor and barge-in in real Chromium, by tones: the officer's console and three kiosks
 * (see deskPages.ts) and a supervisor page sending a tone of its own. The supervisor monitoring
 * bilik-2 hears bilik-2, and the officer only while the officer talks to bilik-2; no booth, nor
 * the officer, hears the supervisor until the supervisor barges in, and then only bilik-2 does,
 * while the officer's console says so. Every start, barge and stop is in the audit trail.
 */
import type { Page } from 'puppeteer-core';
import { inboundMedia, openPage } from '../support/browser.js';
import { AUDIBLE_DB, BOOTH_TONES, OFFICER_TONE, framesShown } from '../support/deskPages.js';
import { useTonePages } from '../support/tonePages.js';
import { useServerAndBrowser } from '../support/e2eFixture.js';
import { receivedToneLevels } from '../support/tones.js';
import { signedInCookie, TEST_BRANCH, waitFor } from '../support/testServer.js';

const SUPERVISOR_TONE = 1700;
const TONES = [OFFICER_TONE, ...Object.values(BOOTH_TONES), SUPERVISOR_TONE];

const e2e = useServerAndBrowser();
const desk = useTonePages(e2e);
const { booths } = desk;

/** The tones `page` receives now, by frequency. */
async function heard(page: Page): Promise<number[]> {
  const levels = await receivedToneLevels(page, TONES);
  return TONES.filter((tone) => levels[tone]! > AUDIBLE_DB);
}

/** Who hears what now: each booth and the officer (booth ids and 'officer'), and the supervisor. */
async function hearing(
  supervisor: Page,
): Promise<{ supervisorHeardBy: string[]; supervisorHears: number[]; boothsHearing: Record<string, number[]> }> {
  const supervisorHeardBy: string[] = [];
  const boothsHearing: Record<string, number[]> = {};
  for (const [boothId, page] of booths) {
    boothsHearing[boothId] = await heard(page);
    if (boothsHearing[boothId].includes(SUPERVISOR_TONE)) supervisorHeardBy.push(boothId);
  }
  if ((await heard(desk.officer)).includes(SUPERVISOR_TONE)) supervisorHeardBy.push('officer');
  return { supervisorHeardBy, supervisorHears: await heard(supervisor), boothsHearing };
}

async function talkTo(boothId: string, key: '1' | '2'): Promise<void> {
  await desk.officer.bringToFront();
  await desk.officer.keyboard.press(key);
  await desk.officer.waitForSelector(`[data-testid="booth-tile"][data-booth-id="${boothId}"][data-talking="true"]`);
}

async function audited(action: string): Promise<number> {
  const rows = await e2e.server.db.query<{ count: string }>("select count(*) from audit_events where action = $1 and subject = 'bilik-2'", [
    action,
  ]);
  return Number(rows[0]!.count);
}

test('a supervisor monitors bilik-2 unheard, barges in on bilik-2 alone, and every step is audited', async () => {
  const { token } = await signedInCookie(e2e.server, { username: 'penyelia-1', role: 'supervisor', branchIds: [TEST_BRANCH] });
  await waitFor(
    'every desk page to decode video',
    async () => {
      for (const page of [desk.officer, ...booths.values()]) if ((await inboundMedia(page)).videoFramesDecoded < 5) return false;
      return true;
    },
    30_000,
    200,
  );
  await talkTo('bilik-2', '2');

  const supervisor = await openPage(e2e.browser, `${e2e.server.url}/officer/supervisor/`, { tone: SUPERVISOR_TONE, sessionToken: token });
  await (await supervisor.waitForSelector('[data-testid="monitor-visit"][data-booth-id="bilik-2"]', { timeout: 15_000 }))!.click();

  // Monitoring while the officer talks to bilik-2: the supervisor sees bilik-2 and hears it and the officer; nobody hears the supervisor.
  await waitFor(
    'the supervisor to see and hear bilik-2 and the officer, unheard',
    async () => {
      const now = await hearing(supervisor);
      expect(now.supervisorHeardBy).toEqual([]);
      return (
        now.supervisorHears.join() === [OFFICER_TONE, BOOTH_TONES['bilik-2']].join() &&
        (await framesShown(supervisor, '[data-testid="monitor-video"]')) > 5
      );
    },
    30_000,
    250,
  );
  expect(await audited('visit.monitor_started')).toBe(1);
  expect(await desk.officer.$eval('[data-testid="barge-notice"]', (element) => (element as HTMLElement).hidden)).toBe(true);

  // The officer talks to bilik-1: the supervisor hears bilik-2 only, since bilik-2 no longer hears the officer.
  await talkTo('bilik-1', '1');
  await waitFor(
    'the supervisor to hear bilik-2 alone',
    async () => {
      const now = await hearing(supervisor);
      expect(now.supervisorHeardBy).toEqual([]);
      return now.supervisorHears.join() === String(BOOTH_TONES['bilik-2']);
    },
    15_000,
    250,
  );

  // Barge-in: bilik-2 hears the supervisor, no other booth nor the officer does; the officer is told.
  await supervisor.bringToFront();
  await supervisor.click('[data-testid="monitor-barge"]');
  await supervisor.waitForSelector('[data-testid="monitor"][data-barging="true"]');
  await waitFor(
    'bilik-2 alone to hear the supervisor',
    async () => {
      const now = await hearing(supervisor);
      // bilik-1 still hears the officer it talks to, and nothing else.
      expect(now.boothsHearing['bilik-1']).toEqual([OFFICER_TONE]);
      return now.supervisorHeardBy.join() === 'bilik-2' && now.boothsHearing['bilik-2']!.join() === String(SUPERVISOR_TONE);
    },
    15_000,
    250,
  );
  const notice = await desk.officer.waitForSelector('[data-testid="barge-notice"]:not([hidden])');
  expect(await notice!.evaluate((element) => element.textContent)).toContain('bilik-2');
  expect(await audited('visit.barged_in')).toBe(1);

  // Back to listening silently: nobody hears the supervisor again, and the officer's notice goes.
  await supervisor.click('[data-testid="monitor-barge"]');
  await waitFor('nobody to hear the supervisor', async () => (await hearing(supervisor)).supervisorHeardBy.length === 0, 15_000, 250);
  await desk.officer.waitForSelector('[data-testid="barge-notice"]', { hidden: true });
  expect(await audited('visit.barge_ended')).toBe(1);

  await supervisor.click('[data-testid="monitor-stop"]');
  await waitFor('the stop to be audited', async () => (await audited('visit.monitor_stopped')) === 1);
  await supervisor.close();
});
