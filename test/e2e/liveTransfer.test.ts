/**
 * Live transfer in real Chromium: officer A hands the claimant at bilik-1 to officer B with a
 * note, from the tile's "Pindahkan". The kiosk never reloads; it says "Anda dipindahkan ke petugas
 * lain" while it moves, then receives B (and B it), while B's other booth (bilik-3) never receives
 * bilik-1's picture or voice (by inbound RTP and tones). B's console shows the note and the
 * visit's document photo taken at A's desk.
 */
import type { Page } from 'puppeteer-core';
import { DocumentStore } from '../../server/src/documents/documentStore.js';
import { boothPageUrl, inboundRtp, openPage } from '../support/browser.js';
import { ALL_TONES, AUDIBLE_DB, audible, BOOTH_TONES, OFFICER_TONE, OFFICER_VIDEO, flowing, tileSelector } from '../support/deskPages.js';
import { useServerAndBrowser } from '../support/e2eFixture.js';
import { greyJpeg } from '../support/images.js';
import { E2E_HOOK_TIMEOUT_MS } from '../support/suiteResources.js';
import { receivedToneLevels } from '../support/tones.js';
import { signedInCookie, TEST_BRANCH, waitFor } from '../support/testServer.js';

const e2e = useServerAndBrowser();
const NOTE = 'Rekening bank belum cocok, mohon dicek ulang.';
const RECEIVER_TONE = 600;
let officerA: Page;
let officerB: Page;
let moving: Page;
let other: Page;
let receiverId: string;

beforeAll(async () => {
  const { server, desk, browser } = e2e;
  // Officer B of the same branch comes on duty, and bilik-3 is already at B's desk: the "other booth" there.
  const receiver = await signedInCookie(server, {
    username: 'petugas-2',
    displayName: 'Petugas Penerima',
    role: 'officer',
    branchIds: [TEST_BRANCH],
  });
  receiverId = receiver.account.id;
  await server.scheduler.officerOnline(receiverId, 6, [TEST_BRANCH], 'seed-b');
  await server.scheduler.transfer(desk.officer.accountId, 'bilik-3', receiverId, '{}');
  // Opened together: each waits on its own load.
  [officerA, officerB, moving, other] = await Promise.all([
    openPage(browser, `${server.url}/officer/`, { tone: OFFICER_TONE, sessionToken: desk.officer.token }),
    // A browser context of its own: its session cookie must not replace officer A's.
    openPage(browser, `${server.url}/officer/`, {
      context: await browser.createBrowserContext(),
      tone: RECEIVER_TONE,
      sessionToken: receiver.token,
    }),
    openPage(browser, boothPageUrl(server.url, desk.credentials['bilik-1']!), { tone: BOOTH_TONES['bilik-1'], smallCamera: true }),
    openPage(browser, boothPageUrl(server.url, desk.credentials['bilik-3']!), { tone: BOOTH_TONES['bilik-3'], smallCamera: true }),
  ]);
}, E2E_HOOK_TIMEOUT_MS);

/** Codec-carrying inbound video streams of a page (mediasoup's probation packets carry none). */
async function inboundVideos(page: Page): Promise<number> {
  return (await inboundRtp(page)).filter((stream) => stream.kind === 'video' && stream.codecId !== undefined).length;
}

/** Fails at once if bilik-3 receives anything of bilik-1: its tone, or a second video. */
async function otherBoothIsolated(): Promise<void> {
  expect(audible(await receivedToneLevels(other, ALL_TONES))).not.toContain(BOOTH_TONES['bilik-1']);
  expect(await inboundVideos(other)).toBeLessThanOrEqual(1);
}

test("the claimant moves desks without reloading and unseen by the new desk's other booth; the note and documents arrive", async () => {
  const { server, desk } = e2e;
  await waitFor(
    'both desks to show their booths both ways',
    async () => (await flowing(moving, OFFICER_VIDEO)) && (await flowing(other, OFFICER_VIDEO)),
    30_000,
    200,
  );
  await officerA.waitForFunction(
    (selector) => document.querySelector(selector) !== null,
    { polling: 'mutation' },
    `${tileSelector('bilik-1')} [data-testid="booth-service"]:not([hidden])`,
  );

  // A document photo of this visit, as taken at A's desk.
  const visit = (await server.scheduler.visitOf('bilik-1'))!;
  const photo = await new DocumentStore(server.db).insert({
    visitId: visit.visitId,
    boothId: 'bilik-1',
    officerId: desk.officer.accountId,
    branchId: TEST_BRANCH,
    mime: 'image/jpeg',
    width: 64,
    height: 48,
    data: greyJpeg(64, 48),
  });

  // The kiosk page must never load again: a mark on its window would be gone.
  await moving.evaluate(() => Object.assign(window, { transferMark: 'still here' }));
  const toldMoving = moving.waitForFunction(
    () =>
      document.querySelector<HTMLElement>('[data-testid="status"]')?.dataset.state === 'transferring' &&
      document.querySelector('[data-testid="status-message"]')?.textContent === 'Anda dipindahkan ke petugas lain',
    { polling: 'mutation', timeout: 20_000 },
  );

  // Officer A: "Pindahkan" on bilik-1's tile, B by keyboard, a note, confirm.
  await officerA.bringToFront();
  const button = (await officerA.$(`${tileSelector('bilik-1')} [data-testid="transfer-button"]`))!;
  expect(await button.evaluate((element) => element.getAttribute('aria-label'))).toBe('Pindahkan bilik-1');
  await button.click();
  await officerA.waitForSelector('[data-testid="transfer-dialog"] [data-testid="transfer-option"]');
  expect(
    await officerA.$$eval('[data-testid="transfer-option"]', (options) => options.map((option) => (option as HTMLInputElement).value)),
  ).toEqual([`officer:${receiverId}`, 'queue']);
  await officerA.keyboard.press('Space');
  await officerA.focus('[data-testid="transfer-note-input"]');
  await officerA.keyboard.type(NOTE);
  await officerA.keyboard.press('Tab');
  await officerA.keyboard.press('Enter');
  await officerA.waitForFunction(() => !document.querySelector<HTMLDialogElement>('[data-testid="transfer-dialog"]')!.open, {
    polling: 'mutation',
  });
  await toldMoving;

  // Seated at B's desk with the same visit: media both ways, the note and the photo on B's tile.
  await officerB.bringToFront();
  await waitFor(
    'bilik-1 and officer B to see each other, bilik-3 never receiving bilik-1',
    async () => {
      await otherBoothIsolated();
      return (await flowing(officerB, `${tileSelector('bilik-1')} video`)) && (await flowing(moving, OFFICER_VIDEO));
    },
    30_000,
    250,
  );
  expect((await server.scheduler.visitOf('bilik-1'))!).toMatchObject({ visitId: visit.visitId, officerId: receiverId });
  const shownNote = await officerB.$eval(`${tileSelector('bilik-1')} [data-testid="transfer-note"]`, (element) => ({
    hidden: (element as HTMLElement).hidden,
    text: element.textContent,
  }));
  expect(shownNote).toEqual({ hidden: false, text: `Dari Petugas Uji: ${NOTE} · 1 foto dokumen sebelumnya` });
  expect(await officerA.$(tileSelector('bilik-1'))).toBeNull();
  // B may open the photo that followed the visit.
  const viewed = await officerB.evaluate(async (id) => (await fetch(`/api/documents/${id}`)).status, photo.id);
  expect(viewed).toBe(200);

  // The kiosk never reloaded, and receives B's picture and voice alone: one video, no booth's tone.
  expect(await moving.evaluate(() => (window as unknown as { transferMark?: string }).transferMark)).toBe('still here');
  expect(await inboundVideos(moving)).toBe(1);
  await officerB.click(`${tileSelector('bilik-1')} [data-testid="tile-select"]`);
  await officerB.waitForSelector(`${tileSelector('bilik-1')}[data-talking="true"]`);
  await waitFor(
    'bilik-1 to hear officer B, and bilik-3 still nothing of bilik-1',
    async () => {
      await otherBoothIsolated();
      const levels = await receivedToneLevels(moving, [...ALL_TONES, RECEIVER_TONE]);
      // Officer A's tone (500) too: nothing of the old desk reaches the booth any more.
      expect(audible(levels)).toEqual([]);
      return levels[RECEIVER_TONE]! > AUDIBLE_DB;
    },
    15_000,
    250,
  );
});
