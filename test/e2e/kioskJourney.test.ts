/**
 * The kiosk as a first-time claimant meets it, in real Chromium at a kiosk's 1366 × 768: the
 * service choice that sends nothing until the summary is confirmed, with a priority the claimant
 * can reach and see; "Bantuan" outside the call reaching the supervisor page; the end of a visit
 * with the decision in plain words and the documents to bring; and every screen of the way whole
 * inside the window, with nothing to scroll, at 1366 × 768 and at 1920 × 1080.
 */
import { randomUUID } from 'node:crypto';
import { NAMESPACES } from '@bilik/shared';
import { request } from '@bilik/shared/client';
import type { Browser, Page } from 'puppeteer-core';
import type { Socket } from 'socket.io-client';
import { boothPageUrl, openPage } from '../support/browser.js';
import { cameraOpenings, liveCameras, sendsNewestCamera } from '../support/capturedDevices.js';
import { joinQueue, press } from '../support/kioskJourney.js';
import { atEachScreenSize, KIOSK_VIEWPORT, layoutFaults, saveScreenshot } from '../support/kioskLayout.js';
import { connected, openSocket } from '../support/sockets.js';
import { E2E_HOOK_TIMEOUT_MS, useSuiteResources } from '../support/suiteResources.js';
import { seedBranch, signedInCookie, TEST_BRANCH, waitFor, type SeededDesk, type TestServer } from '../support/testServer.js';

let server: TestServer;
let desk: SeededDesk;
let browser: Browser;
const sockets: Socket[] = [];

const resources = useSuiteResources();

beforeAll(async () => {
  server = await resources.server();
  desk = await seedBranch(server, { booths: 3 });
  browser = await resources.browser();
}, E2E_HOOK_TIMEOUT_MS);

afterAll(() => {
  for (const socket of sockets) socket.disconnect();
});

/** A kiosk page at the kiosk's size, its welcome screen showing (its self-test passed). */
async function openKiosk(boothId: string): Promise<Page> {
  const page = await openPage(browser, boothPageUrl(server.url, desk.credentials[boothId]!), { smallCamera: true, recordDevices: true });
  await page.setViewport(KIOSK_VIEWPORT);
  await page.waitForSelector('[data-testid="screen-idle"]', { visible: true, timeout: 30_000 });
  return page;
}

/** Waits for the screen `testId`, then expects it whole inside the window and nothing scrolling, at 1366 × 768 and 1920 × 1080. */
async function expectScreenFits(page: Page, testId: string): Promise<void> {
  await page.waitForSelector(`[data-testid="${testId}"]`, { visible: true });
  await atEachScreenSize(page, async (size) => {
    await saveScreenshot(page, `${testId}-${size.name}`);
    expect({ screen: testId, size: size.name, ...(await layoutFaults(page)) }).toEqual({
      screen: testId,
      size: size.name,
      outside: [],
      scrolling: [],
    });
  });
}

const text = (page: Page, testId: string): Promise<string | null> =>
  page.$eval(`[data-testid="${testId}"]`, (element) => element.textContent);

test('a service tap queues nothing: ticket and priority, then the summary, and only its confirmation joins the queue, priority first', async () => {
  // Someone already waits, without priority, and no officer is on duty: the queue holds still.
  const other = openSocket(server.url, NAMESPACES.journey, { credential: desk.credentials['bilik-1']! });
  sockets.push(other);
  await connected(other);
  await request(other, 'journey:start', { service: 'jht', ticket: null, priority: false });

  const kiosk = await openKiosk('bilik-2');
  await expectScreenFits(kiosk, 'screen-idle');
  await press(kiosk, 'start');
  await expectScreenFits(kiosk, 'screen-service');
  // Each service says which documents to bring.
  expect(await text(kiosk, 'service-jkk')).toContain('Laporan kecelakaan kerja');

  await press(kiosk, 'service-jkk');
  await expectScreenFits(kiosk, 'screen-details');
  expect(await text(kiosk, 'details-service')).toBe('Jaminan Kecelakaan Kerja');
  expect(await server.scheduler.journeyOf('bilik-2')).toEqual({ state: 'idle' });

  // A ticket with a character no ticket has is refused on the spot, in words, and nothing moves on.
  await kiosk.type('[data-testid="ticket"]', 'b-007!');
  await press(kiosk, 'details-next');
  await expectScreenFits(kiosk, 'ticket-error');
  expect(await kiosk.$eval('[data-testid="screen-details"]', (screen) => (screen as HTMLElement).hidden)).toBe(false);
  await kiosk.keyboard.press('Backspace');
  await kiosk.waitForSelector('[data-testid="ticket-error"]', { hidden: true });
  await press(kiosk, 'priority');
  await kiosk.waitForSelector('[data-testid="priority"][aria-pressed="true"]');
  await press(kiosk, 'details-next');
  await expectScreenFits(kiosk, 'screen-confirm');
  expect([await text(kiosk, 'summary-service'), await text(kiosk, 'summary-ticket'), await text(kiosk, 'summary-priority')]).toEqual([
    'Jaminan Kecelakaan Kerja',
    'B-007',
    'Ya',
  ]);
  expect(await server.scheduler.journeyOf('bilik-2')).toEqual({ state: 'idle' });
  // About to be called: the camera opens now, so that the call will not wait for it (nothing is sent yet).
  await waitFor('the camera to open on the summary', async () => (await liveCameras(kiosk)) === 1, 10_000);

  // Ubah goes back to the details as they were typed; Lanjut brings the same summary again.
  await press(kiosk, 'back-confirm');
  await kiosk.waitForSelector('[data-testid="screen-details"]', { visible: true });
  await waitFor('the camera to close off the summary', async () => (await liveCameras(kiosk)) === 0, 10_000);
  expect(await kiosk.$eval('[data-testid="ticket"]', (input) => (input as HTMLInputElement).value)).toBe('B-007');
  expect(await kiosk.$eval('[data-testid="priority"]', (button) => button.getAttribute('aria-pressed'))).toBe('true');
  await press(kiosk, 'details-next');

  await press(kiosk, 'confirm');
  await expectScreenFits(kiosk, 'screen-waiting');
  expect(await text(kiosk, 'queue-place')).toBe('1');
  expect(await server.scheduler.visitOf('bilik-2')).toMatchObject({ service: 'jkk', ticket: 'B-007', priority: true, state: 'waiting' });
  expect(await server.scheduler.journeyOf('bilik-1')).toMatchObject({ state: 'waiting', place: 2 });
  // First in the queue: the camera stays open for the call.
  expect(await liveCameras(kiosk)).toBe(1);

  // Leaves the queue to the next tests, and the camera closes.
  await press(kiosk, 'cancel');
  await kiosk.waitForSelector('[data-testid="screen-idle"]', { visible: true });
  await waitFor('the camera to close once out of the queue', async () => (await liveCameras(kiosk)) === 0, 10_000);
  await request(other, 'journey:cancel', {});
  await kiosk.close();
}, 90_000);

test('Bantuan on the welcome screen tells the claimant staff are coming and lists the booth on the supervisor page until cleared', async () => {
  const supervisorToken = (await signedInCookie(server, { username: 'penyelia-1', role: 'supervisor', branchIds: [TEST_BRANCH] })).token;
  const supervisor = await openPage(browser, `${server.url}/officer/supervisor/`, { sessionToken: supervisorToken });
  await supervisor.waitForSelector('[data-testid="panels"]', { visible: true });
  expect(await supervisor.$eval('[data-testid="help-requests"]', (panel) => (panel as HTMLElement).hidden)).toBe(true);

  const kiosk = await openKiosk('bilik-3');
  await kiosk.bringToFront();
  await press(kiosk, 'help-button');
  await kiosk.waitForSelector('[data-testid="help-answer"][data-state="sent"]', { visible: true });
  await expectScreenFits(kiosk, 'help-answer');
  expect(await text(kiosk, 'help-message')).toBe('Petugas cabang sudah diberi tahu.');

  // Puppeteer polls visibility on animation frames, which a page in the background may not get.
  await supervisor.bringToFront();
  const row = '[data-testid="help-row"][data-booth-id="bilik-3"]';
  await supervisor.waitForSelector(row, { visible: true });
  expect(await supervisor.$eval(`${row} [data-testid="help-since"]`, (since) => since.textContent)).toMatch(/^sejak \d{2}[.:]\d{2}/);
  await supervisor.click(`${row} [data-testid="help-clear"]`);
  await supervisor.waitForSelector('[data-testid="help-requests"]', { hidden: true });
  expect(await server.redis.hkeys(`bilik:help:${TEST_BRANCH}`)).toEqual([]);

  // "Tutup" takes the claimant back to the screen they were on.
  await kiosk.bringToFront();
  await press(kiosk, 'help-close');
  await expectScreenFits(kiosk, 'screen-idle');
  await kiosk.waitForSelector('[data-testid="help-button"]', { visible: true });
}, 90_000);

test('a kiosk that loses its server says so in plain words, with no technical message on screen, and welcomes again once back', async () => {
  const kiosk = await openKiosk('bilik-3');
  await kiosk.setOfflineMode(true);
  // socket.io's own words for this are "xhr poll error" or "websocket error": never for the claimant's eyes.
  await kiosk.waitForSelector('[data-testid="status"][data-state="unreachable"]', { visible: true, timeout: 30_000 });
  await expectScreenFits(kiosk, 'status');
  const shown = await kiosk.evaluate(() => document.body.innerText);
  expect(shown).toContain('Belum tersambung. Sedang mencoba lagi…');
  expect(shown).not.toMatch(/error|xhr|websocket|timeout/i);
  expect(await kiosk.$eval('[data-testid="status"]', (status) => (status as HTMLElement).dataset.detail)).toMatch(/error/i);
  // Without a link, no Bantuan that could not be sent: the screen asks to call staff instead.
  expect(await kiosk.$eval('[data-testid="help-button"]', (button) => (button as HTMLElement).hidden)).toBe(true);

  await kiosk.setOfflineMode(false);
  await kiosk.waitForSelector('[data-testid="screen-idle"]', { visible: true, timeout: 30_000 });
}, 90_000);

test('the thanks say the documents are incomplete and which to bring, count down, and clear the screen', async () => {
  const kiosk = await openKiosk('bilik-2');
  await joinQueue(kiosk, { service: 'jkm' });
  await kiosk.waitForSelector('[data-testid="screen-waiting"]', { visible: true });
  // First in the queue, the camera is open before the officer comes; the call sends it, opening nothing more.
  await waitFor('the camera to open while first in the queue', async () => (await liveCameras(kiosk)) === 1, 10_000);
  const openedBeforeCall = await cameraOpenings(kiosk);

  // The officer's console, without a browser: on duty takes the booth; the decision, then Selesai.
  const officer = openSocket(server.url, NAMESPACES.officer, { cookie: desk.officer.cookie });
  sockets.push(officer);
  await connected(officer);
  await waitFor('the booth to be assigned', async () => (await server.scheduler.visitOf('bilik-2'))?.state === 'assigned');
  const visit = (await server.scheduler.visitOf('bilik-2'))!;

  // In the call, the claimant can turn the officer's voice up and down, in fifths.
  await kiosk.waitForSelector('[data-testid="volume"]', { visible: true, timeout: 20_000 });
  await waitFor('the call to send the camera opened while waiting', () => sendsNewestCamera(kiosk), 10_000);
  expect(await cameraOpenings(kiosk)).toBe(openedBeforeCall);
  await expectScreenFits(kiosk, 'volume');
  const volume = (): Promise<number> => kiosk.$eval('[data-testid="officer-audio"]', (audio) => (audio as HTMLAudioElement).volume);
  expect([await text(kiosk, 'volume-level'), await volume()]).toEqual(['80%', 0.8]);
  await press(kiosk, 'volume-up');
  expect([await text(kiosk, 'volume-level'), await volume()]).toEqual(['100%', 1]);
  expect(await kiosk.$eval('[data-testid="volume-up"]', (button) => (button as HTMLButtonElement).disabled)).toBe(true);
  await press(kiosk, 'volume-down');
  await press(kiosk, 'volume-down');
  expect(await volume()).toBeCloseTo(0.6);

  await request(officer, 'outcome:submit', {
    boothId: 'bilik-2',
    visitId: visit.visitId,
    submissionId: randomUUID(),
    decision: 'incomplete',
    checklist: { faceMatchesId: true, idNumberConfirmed: true, documentsPresent: ['ktp', 'kartu_peserta'], bankAccountConfirmed: true },
    missingDocuments: ['kartu_keluarga', 'surat_kematian', 'surat_ahli_waris', 'buku_tabungan'],
    reason: null,
    notes: null,
    documentIds: [],
  });
  await request(officer, 'session:end', { boothId: 'bilik-2', noOutcomeReason: null });

  await expectScreenFits(kiosk, 'screen-ended');
  expect(await text(kiosk, 'decision')).toBe('Dokumen Anda belum lengkap, jadi klaim Anda belum dapat diproses.');
  expect(await kiosk.$$eval('[data-testid="missing-documents"] li', (items) => items.map((item) => item.textContent))).toEqual([
    'Kartu keluarga',
    'Surat kematian',
    'Surat ahli waris',
    'Buku tabungan',
  ]);
  await kiosk.waitForSelector('[data-testid="tracking-code"]', { visible: true });
  // A kiosk not configured with a receipt printer offers no print.
  expect(await kiosk.$eval('[data-testid="print-tracking"]', (button) => (button as HTMLElement).hidden)).toBe(true);
  const secondsLeft = async (): Promise<number> => Number((await text(kiosk, 'clears-in'))?.match(/(\d+) detik/)?.[1]);
  const first = await secondsLeft();
  expect(first).toBeGreaterThan(40);
  expect(first).toBeLessThanOrEqual(45);
  await waitFor('the countdown to go on', async () => (await secondsLeft()) < first, 5_000, 100);

  // The next claimant starts at the usual volume.
  expect(await volume()).toBeCloseTo(0.8);
  await press(kiosk, 'thanks-done');
  await kiosk.waitForSelector('[data-testid="screen-idle"]', { visible: true });
  expect(await kiosk.$$('[data-testid="missing-documents"] li')).toHaveLength(0);
  expect(await text(kiosk, 'decision')).toBe('');
  await kiosk.close();
}, 90_000);
